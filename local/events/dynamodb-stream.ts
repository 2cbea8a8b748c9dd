import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, AttributeValue>;
type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

export interface ItemChange {
  readonly tableName: string;
  readonly keys: Image;
  /** The item before the write (absent: the write created it). */
  readonly before?: Image;
  /** The item after the write (absent: the write deleted it). */
  readonly after?: Image;
  /** The stream's position of the change: increasing in write order. */
  readonly sequence: number;
  readonly at: Date;
}

/** One record of a NEW_AND_OLD_IMAGES table stream, as Lambda's stream poller hands it over. */
export function dynamoDbStreamRecord(change: ItemChange): DynamoDBRecord {
  const { before, after } = change;
  const sequenceNumber = String(change.sequence).padStart(21, '0');
  return {
    eventID: createHash('sha256').update(sequenceNumber).digest('hex').slice(0, 32),
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-central-1',
    eventSourceARN: `arn:aws:dynamodb:eu-central-1:000000000000:table/${change.tableName}/stream/sandbox`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.at.getTime() / 1000),
      Keys: change.keys as StreamImage,
      ...(after ? { NewImage: after as StreamImage } : {}),
      ...(before ? { OldImage: before as StreamImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: JSON.stringify([change.keys, before, after]).length,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
