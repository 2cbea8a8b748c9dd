import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { StandIns } from '../../bin/sandbox/stand-ins.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';

/** Up to ten requests waiting on the stand-ins' outbound queue, without waiting for more. */
export async function queuedOutboundRequests(standIns: StandIns): Promise<OutboundRequest[]> {
  const received = await standIns.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: standIns.outboundQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
    }),
  );
  return (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as OutboundRequest);
}
