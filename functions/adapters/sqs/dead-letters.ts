import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { ConfigurationError, InvalidInputError } from '../../core/errors.ts';
import type { DeadLetters } from '../../core/ports/queues.ts';
import { describeError, logger, maskPersonalData } from '../observability.ts';

/** The consumer's dead-letter queue and the source queue's maxReceiveCount (its redrive policy). */
export interface DeadLetterSettings {
  readonly queueUrl: string;
  readonly maxReceiveCount: number;
}

/** SQS allows ten message attributes; ours come first. */
const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_REASON_LENGTH = 1_000;

/**
 * `Name: message` of a failure. Our errors' messages carry ids and fixed phrases only;
 * describeError bounds a foreign one, and anything in it shaped like an email address or a phone
 * number is masked: the DLQ has no log data-protection policy in front of it.
 */
export function failureReasonOf(error: unknown): string {
  const { name, reason } = describeError(error);
  return `${name}: ${maskPersonalData(reason)}`.slice(0, MAX_REASON_LENGTH);
}

function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isFinite(count) ? count : 0;
}

function queueNameOf(record: SQSRecord): string {
  return record.eventSourceARN.split(':').at(-1) ?? record.eventSourceARN;
}

/** The record's own attributes as SendMessage takes them (strings and numbers; binaries are dropped). */
function carriedAttributes(record: SQSRecord): Record<string, MessageAttributeValue> {
  const carried: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (value.stringValue !== undefined)
      carried[name] = { DataType: value.dataType, StringValue: value.stringValue };
  }
  return carried;
}

/**
 * The consumer's own dead-lettering: SQS's redrive moves a message without saying why, so on the
 * last allowed receive the consumer sends it to the DLQ itself, with the reason as attributes.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: DeadLetterSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  isFinalAttempt(record: SQSRecord): boolean {
    return receiveCountOf(record) >= this.settings.maxReceiveCount;
  }

  async deadLetter(record: SQSRecord, error: unknown): Promise<boolean> {
    if (!this.isFinalAttempt(record) && !isPermanentFailure(error)) return false;
    const ours: Record<string, MessageAttributeValue> = {
      failureReason: { DataType: 'String', StringValue: failureReasonOf(error) },
      failureAt: { DataType: 'String', StringValue: this.now().toISOString() },
      sourceQueue: { DataType: 'String', StringValue: queueNameOf(record) },
      sourceMessageId: { DataType: 'String', StringValue: record.messageId },
      receiveCount: { DataType: 'Number', StringValue: String(receiveCountOf(record)) },
    };
    const carried = Object.entries(carriedAttributes(record))
      .filter(([name]) => !(name in ours))
      .slice(0, MAX_MESSAGE_ATTRIBUTES - Object.keys(ours).length);
    try {
      await this.sqs.send(
        new SendMessageCommand({
          QueueUrl: this.settings.queueUrl,
          MessageBody: record.body,
          MessageAttributes: { ...Object.fromEntries(carried), ...ours },
        }),
      );
      logger.warn('message dead-lettered', {
        sqsMessageId: record.messageId,
        receiveCount: receiveCountOf(record),
        error: describeError(error),
      });
      return true;
    } catch (sendError) {
      // SQS's redrive still moves it on its next receive: nothing is lost, only the reason.
      logger.error('could not dead-letter the message; the redrive policy will', {
        sqsMessageId: record.messageId,
        error: describeError(sendError),
      });
      return false;
    }
  }
}

/**
 * A record that failed this way fails the same way on every receive: retrying it only delays the
 * reason reaching the DLQ (and an operator) by the redrive's receive count.
 */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof InvalidInputError;
}

/**
 * A partial-batch record handler whose last allowed failure, or any InvalidInputError, is
 * dead-lettered with its reason (the record then counts as handled); every other failure is
 * rethrown, so the record is retried.
 */
export function withDeadLetters(
  processRecord: (record: SQSRecord) => Promise<void>,
  getDeadLetters?: () => DeadLetters | undefined,
): (record: SQSRecord) => Promise<void> {
  if (!getDeadLetters) return processRecord;
  return async (record) => {
    try {
      await processRecord(record);
    } catch (error) {
      if (await getDeadLetters()?.deadLetter(record, error)) return;
      throw error;
    }
  };
}

/** From DEAD_LETTER_QUEUE_URL and MAX_RECEIVE_COUNT; absent where the function consumes no queue. */
export function deadLetterSettingsFromEnvironment(env: NodeJS.ProcessEnv): DeadLetterSettings | undefined {
  const queueUrl = env.DEAD_LETTER_QUEUE_URL;
  if (!queueUrl) return undefined;
  const maxReceiveCount = Number(env.MAX_RECEIVE_COUNT);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1)
    throw new ConfigurationError('MAX_RECEIVE_COUNT must be a positive integer with DEAD_LETTER_QUEUE_URL');
  return { queueUrl, maxReceiveCount };
}
