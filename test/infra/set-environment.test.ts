import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { handlerEntry, SupportFunction } from '../../lib/constructs/support-function.ts';

describe('SupportFunction.setEnvironment', () => {
  it("refuses a variable the function's schema does not name", () => {
    // Prepare
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const fn = new SupportFunction(stack, 'Lookup', {
      entry: handlerEntry('voice-lookup'),
      description: 'caller lookup',
    });

    // Act
    const set = () => fn.setEnvironment('OUTBOUND_QUEUE_URL', 'https://sqs.example/outbound');

    // Assess
    expect(set).toThrow(/the voice-lookup function reads no OUTBOUND_QUEUE_URL/);
  });
});
