import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type Message as SqsMessage,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { MetaSettings } from '../../functions/adapters/meta/meta-settings.ts';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { signMetaBody } from '../../functions/channels/meta/signature.ts';
import { socialInboundDeps } from '../../functions/composition/inbound-social.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import type { MetaSecretName } from '../../functions/core/ports/secrets.ts';
import { makeInboundSocialHandler } from '../../functions/handlers/inbound-social.ts';
import { makeMetaWebhookHandler } from '../../functions/handlers/meta-webhook.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { sqsEventFrom } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { receiveBatch } from '../../local/queue-polling.ts';
import { GraphStandIn } from './graph-stand-in.ts';
import { requestHeaders } from './headers-file.ts';
import { SANDBOX_MAX_RECEIVE_COUNT, type StandIns } from './stand-ins.ts';

/** The sandbox's Meta app: `.meta.json` replay files are signed with this app secret. */
export const SANDBOX_META_SECRETS: Record<MetaSecretName, string> = {
  appSecret: 'sandbox-meta-app-secret',
  verifyToken: 'sandbox-meta-verify-token',
  accessToken: 'sandbox-meta-access-token',
};
export const SANDBOX_WHATSAPP_PHONE_NUMBER_ID = '106540352242922';

export interface WebhookHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/**
 * Meta on the sandbox: the local Graph API, the inbound webhook queue and its DLQ on fauxqs, the
 * real webhook handler behind `GET/POST /webhooks/meta` (fed API Gateway v2 events), and the real
 * consumer draining the queue the way Lambda's poller would.
 */
export class SandboxMeta {
  private readonly webhook;
  private consumer: ReturnType<typeof makeInboundSocialHandler> | undefined;

  private constructor(
    private readonly standIns: StandIns,
    readonly graph: GraphStandIn,
    readonly inboundQueueUrl: string,
    readonly inboundDlqUrl: string,
    readonly settings: MetaSettings,
  ) {
    this.webhook = makeMetaWebhookHandler(() => ({
      secrets: settings.secrets,
      queue: {
        enqueue: async (rawBody: string) => {
          await standIns.clients.sqs.send(
            new SendMessageCommand({ QueueUrl: inboundQueueUrl, MessageBody: rawBody }),
          );
        },
      },
    }));
  }

  static async start(standIns: StandIns): Promise<SandboxMeta> {
    const graph = await GraphStandIn.start(SANDBOX_META_SECRETS.accessToken);
    try {
      const { sqs } = standIns.clients;
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'switchboard-social-inbound-dlq' }));
      const dlqAttributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const queue = await sqs.send(
        new CreateQueueCommand({
          QueueName: 'switchboard-social-inbound',
          Attributes: {
            VisibilityTimeout: '30',
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
              maxReceiveCount: SANDBOX_MAX_RECEIVE_COUNT,
            }),
          },
        }),
      );
      if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('the local queue service returned no queue URL');
      const settings: MetaSettings = {
        graph: {
          baseUrl: graph.baseUrl,
          apiVersion: GRAPH_API_VERSION,
          whatsappPhoneNumberId: SANDBOX_WHATSAPP_PHONE_NUMBER_ID,
        },
        secrets: new StaticMetaSecrets(SANDBOX_META_SECRETS),
        inboundQueueUrl: queue.QueueUrl,
      };
      return new SandboxMeta(standIns, graph, queue.QueueUrl, dlq.QueueUrl, settings);
    } catch (error) {
      await graph.stop();
      throw error;
    }
  }

  /** Wires the consumer to the same table and outbound queue as every other sandbox function. */
  bindConsumer(settings: LocalSettings, clock: Clock): void {
    const deps = socialInboundDeps(this.standIns.clients, settings, clock);
    const deadLetters = new SqsDeadLetters(
      this.standIns.clients.sqs,
      { queueUrl: this.inboundDlqUrl, maxReceiveCount: SANDBOX_MAX_RECEIVE_COUNT },
      () => clock.now(),
    );
    this.consumer = makeInboundSocialHandler(
      () => deps,
      () => deadLetters,
    );
  }

  async stop(): Promise<void> {
    await this.graph.stop();
  }

  /** An HTTP request to the webhook route, as API Gateway v2 would hand it to the function. */
  async request(request: WebhookHttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
    const event = apiGatewayV2Event({ ...request, path: '/webhooks/meta' });
    const result = await this.webhook(event, lambdaContext('switchboard-meta-webhook'));
    return result;
  }

  /**
   * A `.meta.json` replay file: POSTed to the webhook route signed with the sandbox app secret,
   * unless a `<name>.headers.json` sidecar gives the headers (a forged or missing signature).
   */
  async replayFile(
    content: Uint8Array,
    headersFile: Uint8Array | undefined,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const headers = requestHeaders(
      {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(content, SANDBOX_META_SECRETS.appSecret),
      },
      headersFile,
    );
    return this.request({ method: 'POST', query: {}, headers, body: content });
  }

  /** Runs the consumer until the inbound queue is empty; failed deliveries come back, then go to the DLQ. */
  async drain(onDeadLetter: (message: SqsMessage) => void): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) throw new Error('the social consumer is not bound');
    const { sqs } = this.standIns.platform;
    for (let round = 0; round < 1_000; round++) {
      const messages = await receiveBatch(sqs, this.inboundQueueUrl);
      if (messages.length === 0) break;
      const response = await consumer(
        sqsEventFrom(messages, 'switchboard-social-inbound'),
        lambdaContext('switchboard-inbound-social'),
      );
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of messages) {
        if (message.MessageId && failed.has(message.MessageId)) {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: this.inboundQueueUrl,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          );
        } else {
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: this.inboundQueueUrl,
              ReceiptHandle: message.ReceiptHandle,
            }),
          );
        }
      }
    }
    for (let round = 0; round < 100; round++) {
      const dead = await receiveBatch(sqs, this.inboundDlqUrl);
      if (dead.length === 0) return;
      for (const message of dead) {
        onDeadLetter(message);
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: this.inboundDlqUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }
}
