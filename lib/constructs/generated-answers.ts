import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SupportFunction } from './support-function.ts';

export interface GeneratedAnswersProps {
  /** The Bedrock foundation model answers are written with (`support.assistant.modelId`). */
  readonly modelId: string;
  /** The guardrail every answer passes (`support.assistant.guardrailId`), in this account and region. */
  readonly guardrailId: string;
}

/**
 * Generated answers on Amazon Bedrock: the functions that acknowledge customers may invoke this
 * one model, through this one guardrail, and nothing else of Bedrock. The model and guardrail are
 * the shop's (model access and the guardrail are set up in the console, see docs/help-center.md).
 */
export class GeneratedAnswers extends Construct {
  readonly modelArn: string;
  readonly guardrailArn: string;

  constructor(scope: Construct, id: string, props: GeneratedAnswersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.modelArn = stack.formatArn({
      service: 'bedrock',
      account: '',
      resource: 'foundation-model',
      resourceName: props.modelId,
    });
    this.guardrailArn = stack.formatArn({
      service: 'bedrock',
      resource: 'guardrail',
      resourceName: props.guardrailId,
    });
  }

  /** Lets `fn` write answers: Converse on the model (InvokeModel), with the guardrail applied. */
  grantAnswering(fn: SupportFunction): void {
    fn.lambdaFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [this.modelArn] }),
    );
    fn.lambdaFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [this.guardrailArn] }),
    );
  }
}
