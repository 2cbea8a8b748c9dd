import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, ConsentRecord } from '../../core/model.ts';
import type { ConsentHistoryEntry, ConsentHistoryReader, ConsentLedger } from '../../core/ports/customers.ts';
import { CONSENT_PREFIX, isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';
import { queryItems } from './query-items.ts';

/**
 * The consent ledger on the conversation table: the current state per channel on the customer
 * profile (`consent`, `consentDetail`, guarded by `consentVersion`), and one history item per
 * change under the profile's partition (`CONSENT#<time>#<channel>#<event>`), so the whole
 * history is one Query.
 */
export class DynamoConsentLedger implements ConsentLedger, ConsentHistoryReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(
    customerId: string,
    channel: Channel,
    record: ConsentRecord,
    expectedVersion: number,
  ): Promise<boolean> {
    // Version 0 means no change was ever written, so there is no `consentDetail` map to set a
    // path in yet: the first change writes the whole map.
    const first = expectedVersion === 0;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.customer(customerId),
          UpdateExpression: first
            ? 'SET consent.#channel = :state, consentDetail = :detail, consentVersion = :next'
            : 'SET consent.#channel = :state, consentDetail.#channel = :record, consentVersion = :next',
          ConditionExpression: first
            ? 'attribute_exists(pk) AND attribute_not_exists(consentVersion)'
            : 'attribute_exists(pk) AND consentVersion = :expected',
          ExpressionAttributeNames: { '#channel': channel },
          ExpressionAttributeValues: {
            ':state': record.state,
            ':next': expectedVersion + 1,
            ...(first
              ? { ':detail': { [channel]: record } }
              : { ':record': record, ':expected': expectedVersion }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async appendHistory(entry: ConsentHistoryEntry): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.consentChange(entry.customerId, entry.at, entry.channel, entry.eventKey),
            entity: 'consent-change',
            ...entry,
          },
          // The first write of an entry wins; a retry of the same change leaves it as it is.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Every change of the customer's consent, oldest first (for agents and audits). */
  async history(customerId: string): Promise<ConsentHistoryEntry[]> {
    const entries: ConsentHistoryEntry[] = [];
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':prefix': CONSENT_PREFIX },
    })) {
      entries.push(withoutStorageAttributes<ConsentHistoryEntry>(item));
    }
    return entries;
  }

  /** The newest `limit` changes, newest first: one Query on the profile's partition, backwards. */
  async recentHistory(customerId: string, limit: number): Promise<ConsentHistoryEntry[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':prefix': CONSENT_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => withoutStorageAttributes<ConsentHistoryEntry>(item));
  }
}
