import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

type CfnExpression =
  | string
  | number
  | boolean
  | null
  | undefined
  | CfnExpression[]
  | { [key: string]: CfnExpression };

/**
 * Renders a resolved CloudFormation value the way cdk-nag prints it in a finding id
 * (`<Logical.Arn>/inbound/*`), so an acknowledgement can name the exact finding it covers.
 */
function renderLikeCdkNag(value: CfnExpression): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join;
      return Array.isArray(parts) ? parts.map(renderLikeCdkNag).join(String(delimiter)) : '';
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      return `<${getAtt.map(renderLikeCdkNag).join('.')}>`;
    }
    const ref = value.Ref;
    if (ref !== undefined) return `<${renderLikeCdkNag(ref)}>`;
    const sub = value['Fn::Sub'];
    if (sub !== undefined) return renderLikeCdkNag(sub);
  }
  return JSON.stringify(value);
}

/** The cdk-nag IAM5 finding id a wildcard resource ARN (possibly holding tokens) produces. */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${renderLikeCdkNag(Stack.of(scope).resolve(arn) as CfnExpression)}]`;
}

/**
 * The validation plugin a finding belongs to, from its id: cdk-nag's ServerlessChecks register as
 * `Serverless` and prefix their findings `Serverless-`; everything else is AwsSolutionsChecks.
 */
function nagPackOf(findingId: string): 'AwsSolutions' | 'Serverless' {
  return findingId.startsWith('Serverless-') ? 'Serverless' : 'AwsSolutions';
}

/**
 * Acknowledges one cdk-nag finding (AwsSolutions or Serverless pack) on one construct. The id is
 * qualified with the plugin name so CDK, not cdk-nag, filters it: it then appears with its reason
 * and location under `suppressedViolations` in the synthesized validation-report.json, an audit
 * trail per finding.
 */
export function acknowledgeFinding(scope: IConstruct, findingId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${nagPackOf(findingId)}::${findingId}`, reason });
}

/**
 * The findings of CDK's one BucketDeployment function per stack (its role, managed policy and
 * runtime are the construct's own), acknowledged for one more destination bucket. It runs only
 * during a deploy: it reads the files from the CDK asset bucket, writes them to `destination` and
 * invalidates a distribution (CloudFront invalidation has no resource-level permission).
 */
export function acknowledgeBucketDeploymentCopier(scope: IConstruct, destination: IBucket): void {
  const stack = Stack.of(scope);
  const copier = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!copier) return;
  const reason =
    "CDK's BucketDeployment function (role, managed policy and runtime are the construct's own): it runs only during a deploy, reads the site from the CDK asset bucket, writes it to the site bucket and invalidates the distribution (CloudFront invalidation has no resource-level permission).";
  // The asset bucket's ARN names the partition and region literally once the stack's are known.
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  for (const finding of [
    'AwsSolutions-L1',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions-IAM5[Resource::*]',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]',
    'AwsSolutions-IAM5[Action::s3:List*]',
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
    `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
    wildcardResourceFinding(scope, `${destination.bucketArn}/*`),
    // A failed copy fails the deployment, which CloudFormation reports and rolls back.
    'Serverless-LambdaDLQ',
    'Serverless-LambdaLatestVersion',
    'Serverless-LambdaTracing',
  ]) {
    acknowledgeFinding(copier, finding, reason);
  }
}
