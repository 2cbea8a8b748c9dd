import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { conversationItemChangeOf } from '../adapters/dynamodb/live-update-items.ts';
import { streamRecordsOf } from '../adapters/dynamodb/stream-event.ts';
import { describeError, logger } from '../adapters/observability.ts';
import {
  type AgentSocketDeps,
  broadcastToAgents,
  type ConversationItemChange,
  liveFramesOf,
} from '../core/agent/live-updates.ts';

/**
 * The table's change stream → notices on agents' sockets. Every write of a conversation, a
 * message, a note or a read marker, whichever function made it, becomes `conversation.changed`
 * frames (one per conversation and kind in the batch); the agents' connections are read once per
 * batch and each gets every frame. Notices are idempotent by nature: a repeat only makes an app
 * refetch what it already shows. So a failed post fails the whole batch (its first record), and
 * Lambda retries it, bisects it, and after its retries hands it to the on-failure queue.
 */
export function makeLiveUpdatesHandler(getDeps: () => AgentSocketDeps) {
  return middy(async function publishLiveUpdates(event: unknown): Promise<DynamoDBBatchResponse> {
    const deps = getDeps();
    const now = deps.clock.now();
    const records = streamRecordsOf(event);
    const changes: ConversationItemChange[] = [];
    for (const record of records) {
      const change = conversationItemChangeOf(record, now);
      if (change) changes.push(change);
    }
    const frames = liveFramesOf(changes);
    try {
      const result = await broadcastToAgents(deps, frames);
      logger.info('live updates sent', {
        records: records.length,
        frames: frames.length,
        ...result,
      });
      return { batchItemFailures: [] };
    } catch (error) {
      logger.warn('live updates not sent; the batch is retried', { error: describeError(error) });
      const first = records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
