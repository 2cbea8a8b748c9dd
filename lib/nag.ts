import { Stack, Validations } from 'aws-cdk-lib';
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
