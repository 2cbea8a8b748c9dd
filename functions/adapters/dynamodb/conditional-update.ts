import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './keys.ts';

/**
 * One conditional UpdateItem: true when it applied, false when its condition did not hold (the
 * change was made before, or the item is not there), so the condition decides who goes first.
 */
export async function updateWhenCondition(
  db: DynamoDBDocumentClient,
  input: UpdateCommandInput,
): Promise<boolean> {
  try {
    await db.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
