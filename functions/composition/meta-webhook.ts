import { SQSClient } from '@aws-sdk/client-sqs';
import { readEnvironment } from '../adapters/environment.ts';
import { SecretsManagerMetaSecrets } from '../adapters/meta/secrets.ts';
import { SqsWebhookQueue } from '../adapters/meta/webhook-queue.ts';
import { type MetaWebhookDeps, makeMetaWebhookHandler } from '../handlers/meta-webhook.ts';
import { type ClientsFor, once } from './shared/clients.ts';

/*
 * The webhook function: no table, no support config, a small bundle that starts fast and can do
 * nothing but verify and enqueue.
 */

/** The inbound queue only. */
export function metaWebhookClients() {
  return { sqs: new SQSClient({}) };
}

/** Its two secrets (app secret, verify token) and the queue verified deliveries wait on. */
export interface MetaWebhookSettings {
  readonly appSecretArn: string;
  readonly verifyTokenArn: string;
  readonly inboundQueueUrl: string;
}

export function metaWebhookSettings(environment: NodeJS.ProcessEnv = process.env): MetaWebhookSettings {
  const env = readEnvironment('meta-webhook', environment);
  return {
    appSecretArn: env.META_APP_SECRET_ARN,
    verifyTokenArn: env.META_VERIFY_TOKEN_ARN,
    inboundQueueUrl: env.META_INBOUND_QUEUE_URL,
  };
}

export function metaWebhookDeps(clients: ClientsFor<'sqs'>, settings: MetaWebhookSettings): MetaWebhookDeps {
  return {
    secrets: new SecretsManagerMetaSecrets({
      appSecret: settings.appSecretArn,
      verifyToken: settings.verifyTokenArn,
    }),
    queue: new SqsWebhookQueue(clients.sqs, settings.inboundQueueUrl),
  };
}

export const handler = makeMetaWebhookHandler(
  once(() => metaWebhookDeps(metaWebhookClients(), metaWebhookSettings())),
);
