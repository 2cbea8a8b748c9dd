import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoSelfServiceLog } from '../adapters/dynamodb/self-service-log.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { bundledKnowledgeBase } from '../adapters/knowledge-base/bundled-knowledge-base.ts';
import type { ArticleFeedbackDeps } from '../core/knowledge-base/feedback.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { makeHelpFeedbackHandler } from '../handlers/help-feedback.ts';
import { type ClientsFor, once } from './shared/clients.ts';
import { type Settings, tableSettings } from './shared/settings.ts';

/** The help center's feedback endpoint: the table only. */
export function helpFeedbackClients() {
  return { dynamo: new DynamoDBClient({}) };
}

export function helpFeedbackSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  return tableSettings(readEnvironment('help-feedback', environment));
}

/** `POST /help/feedback`: the articles (to check the slug) and the self-service counters. */
export function helpFeedbackDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  clock: Clock = systemClock,
): ArticleFeedbackDeps {
  return {
    store: new DynamoSelfServiceLog(documentClient(clients.dynamo), settings.tableName),
    knowledgeBase: bundledKnowledgeBase(),
    clock,
    ids: derivedIds,
  };
}

export const handler = makeHelpFeedbackHandler(
  once(() => helpFeedbackDeps(helpFeedbackClients(), helpFeedbackSettings())),
);
