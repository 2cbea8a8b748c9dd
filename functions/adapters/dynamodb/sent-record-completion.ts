import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { RetryableError } from '../../core/errors.ts';
import type { SentRecordCompletion } from '../../core/ports/outbound.ts';
import { emailReferenceItem } from './conversation-store.ts';
import { completedEventItem } from './event-ledger.ts';
import { providerMessageItem } from './provider-messages.ts';

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/** BatchWriteItem may leave items unprocessed under load; a few more rounds write them. */
const MAX_ROUNDS = 5;

/**
 * The reference of a sent message and its ledger outcome in one BatchWriteItem: two puts, one
 * call. A batch takes no conditions, and neither put needs one (the ledger already says the
 * send happened; the same send always writes the same items).
 */
export class DynamoSentRecordCompletion implements SentRecordCompletion {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async complete(input: Parameters<SentRecordCompletion['complete']>[0]): Promise<void> {
    const items = [
      ...(input.emailReference
        ? [emailReferenceItem(input.emailReference.messageId, input.emailReference.reference)]
        : []),
      ...(input.providerReference
        ? [
            providerMessageItem(
              input.providerReference.channel,
              input.providerReference.providerMessageId,
              input.providerReference.reference,
            ),
          ]
        : []),
      completedEventItem(input.ledgerKey, input.outcome, input.now),
    ];
    let requests: WriteRequests | undefined = items.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests && requests.length > 0; round++) {
      if (round === MAX_ROUNDS) {
        throw new RetryableError(
          'the sent message record could not be completed (unprocessed writes); retry later',
        );
      }
      const result: BatchWriteCommandOutput = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
      );
      requests = result.UnprocessedItems?.[this.tableName];
    }
  }
}
