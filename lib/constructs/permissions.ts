import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { itemPrefixesOf, type TableFunction } from '../../functions/adapters/dynamodb/key-prefixes.ts';

/**
 * The IAM condition that confines a function's table access to the items of its own key
 * prefixes (key-prefixes.ts): DynamoDB checks every partition key of a request against it, and
 * for a Query on an index the index's partition key. `ForAllValues`: every key of a batch must
 * match, not one of them.
 */
export function itemAccessCondition(fn: TableFunction): Record<string, Record<string, string[]>> {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': itemPrefixesOf(fn).map((prefix) => `${prefix}*`) },
  };
}

/**
 * Lets `grantee` send to `queue` and nothing else. `queue.grantSendMessages` would also add
 * `kms:ReEncrypt*` and `kms:GenerateDataKey*`, wildcards a producer of an SSE-KMS queue never needs.
 */
export function grantSendToQueue(grantee: IGrantable, queue: IQueue): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  if (queue.encryptionMasterKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [queue.encryptionMasterKey.keyArn],
      }),
    );
  }
}
