import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../lib/config.ts';
import type { SupportFunction } from '../../lib/constructs/support-function.ts';
import type { SwitchboardStack } from '../../lib/switchboard-stack.ts';
import { exampleConfig, META_SECTION, synthesizeSwitchboard } from './synth.ts';

const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de';

/** Every optional part on: every inbound function there is. */
function everyChannel(extra: Record<string, unknown> = {}) {
  return {
    ...exampleConfig(),
    meta: META_SECTION,
    shop: {},
    connect: { instanceArn: INSTANCE_ARN },
    sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
    ...extra,
  };
}

function inboundFunctions(stack: SwitchboardStack): Record<string, SupportFunction | undefined> {
  return {
    'inbound email': stack.inboundEmail.function,
    'inbound SMS': stack.sms?.function,
    'Meta webhook': stack.social?.webhook,
    'Meta consumer': stack.social?.consumer,
    'order events': stack.orders?.function,
    reminders: stack.reminders?.function,
    'voice lookup': stack.voice?.lookupFunction,
    'voice events': stack.voice?.eventsFunction,
  };
}

/** The ReservedConcurrentExecutions of a function as the template has it. */
function reservedOf(synthesized: ReturnType<typeof synthesizeSwitchboard>, fn: SupportFunction): unknown {
  const logicalId = synthesized.stack.getLogicalId(fn.lambdaFunction.node.defaultChild as CfnFunction);
  const resource = synthesized.template.toJSON().Resources[logicalId] as {
    Properties: Record<string, unknown>;
  };
  return resource.Properties.ReservedConcurrentExecutions;
}

describe('reserved concurrency of the inbound functions', () => {
  it('reserves the default for every inbound function and nothing for the others', () => {
    // Act
    const synthesized = synthesizeSwitchboard({ config: everyChannel() });

    // Assess
    const inbound = inboundFunctions(synthesized.stack);
    for (const [name, fn] of Object.entries(inbound)) {
      expect(fn, name).toBeDefined();
      expect(reservedOf(synthesized, fn as SupportFunction), name).toBe(10);
    }
    expect(reservedOf(synthesized, synthesized.stack.outbound.dispatcher)).toBeUndefined();
  });

  it('takes the number from the top-level reservedConcurrency setting, or reserves nothing with false', () => {
    // Act
    const raised = synthesizeSwitchboard({ config: everyChannel({ reservedConcurrency: 40 }) });
    const off = synthesizeSwitchboard({ config: everyChannel({ reservedConcurrency: false }) });

    // Assess
    for (const [name, fn] of Object.entries(inboundFunctions(raised.stack))) {
      expect(reservedOf(raised, fn as SupportFunction), name).toBe(40);
    }
    for (const [name, fn] of Object.entries(inboundFunctions(off.stack))) {
      expect(reservedOf(off, fn as SupportFunction), name).toBeUndefined();
    }
  });

  it('refuses a reservation below what the Meta queue is polled with', () => {
    // Act
    const attempt = () => parseDeploymentConfig(everyChannel({ reservedConcurrency: 2 }));

    // Assess
    expect(attempt).toThrow(/reservedConcurrency/);
  });
});
