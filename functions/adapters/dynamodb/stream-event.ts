import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod';
import { InvalidInputError } from '../../core/errors.ts';

/** The parts of a DynamoDB Streams event the table's consumers read (aws-lambda's DynamoDBStreamEvent). */
const streamEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      eventID: z.string().optional(),
      eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']).optional(),
      dynamodb: z.looseObject({ SequenceNumber: z.string().optional() }).optional(),
    }),
  ),
});

/** The records of a DynamoDB Streams event; anything else is refused with the reason. */
export function streamRecordsOf(event: unknown): DynamoDBRecord[] {
  const parsed = streamEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidInputError(`not a DynamoDB Streams event: ${z.prettifyError(parsed.error)}`);
  }
  // The schema checks only what the consumers rely on; the records keep every field the stream sent.
  return (event as { Records: DynamoDBRecord[] }).Records;
}
