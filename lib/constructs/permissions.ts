import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

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
