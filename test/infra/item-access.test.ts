import { Stack } from 'aws-cdk-lib';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTION_ITEMS,
  ITEM_PREFIX,
  itemPrefixesOf,
  type TableFunction,
} from '../../functions/adapters/dynamodb/key-prefixes.ts';
import type { SupportFunction } from '../../lib/constructs/support-function.ts';
import type { SwitchboardStack } from '../../lib/switchboard-stack.ts';
import { META_SECTION, synthesizeSwitchboard } from './synth.ts';

/**
 * Least privilege per item, read off the synthesized template: every statement of every role
 * that reaches the conversation table is confined by `dynamodb:LeadingKeys` to the key prefixes
 * its function declares in FUNCTION_ITEMS, and none reaches the table without that condition.
 */

type Json = Record<string, unknown>;
interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Json;
}

let stack: SwitchboardStack;
let resources: Record<string, { Type: string; Properties?: Json }>;
let tableId: string;
/** The agent API without chat: the WebSocket routes then keep agents' sockets only. */
let agentsOnly: SwitchboardStack;
let agentsOnlyResources: Record<string, { Type: string; Properties?: Json }>;

beforeAll(() => {
  // Prepare / Act: every channel on, so every function that touches the table is in the template.
  const synthesized = synthesizeSwitchboard({
    config: {
      shop: {},
      agents: {},
      connect: {
        instanceArn:
          'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de',
      },
      meta: META_SECTION,
      help: { baseUrl: 'https://help.shop.example' },
      chat: {},
      sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
    },
  });
  stack = synthesized.stack;
  resources = synthesized.template.toJSON().Resources;
  tableId = Stack.of(stack).getLogicalId(stack.store.table.node.defaultChild as never);
  const withoutChat = synthesizeSwitchboard({ config: { agents: {} } });
  agentsOnly = withoutChat.stack;
  agentsOnlyResources = withoutChat.template.toJSON().Resources;
  if (Stack.of(agentsOnly).getLogicalId(agentsOnly.store.table.node.defaultChild as never) !== tableId) {
    throw new Error('the table has another logical id in the agents-only stack');
  }
});

/**
 * Reading the table's change stream (the live-updates consumer's event source mapping): no item
 * is named there, so no LeadingKeys condition can apply; the consumer's item access is checked
 * like every function's.
 */
const STREAM_ACTIONS = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
]);
const isItemStatement = (statement: Statement) =>
  [statement.Action].flat().some((action) => action.startsWith('dynamodb:') && !STREAM_ACTIONS.has(action));

/** Whether `value` mentions the table (its ARN, or an index ARN built from it). */
function mentionsTable(value: unknown): boolean {
  return JSON.stringify(value).includes(`"${tableId}"`);
}

/** Every statement of the policies attached to the role `roleId`. */
function statementsOf(roleId: string, of = resources): Statement[] {
  return Object.values(of)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(
      (r) => ((r.Properties?.PolicyDocument as Json | undefined)?.Statement as Statement[] | undefined) ?? [],
    );
}

function tableFunctions(): Array<[TableFunction, SupportFunction | undefined]> {
  return [
    ['inboundEmail', stack.inboundEmail.function],
    ['inboundSms', stack.sms?.function],
    ['inboundSocial', stack.social?.consumer],
    ['dispatcher', stack.outbound.dispatcher],
    ['orderEvents', stack.orders?.function],
    ['reminders', stack.reminders?.function],
    ['agentApi', stack.agentApi?.function],
    ['voiceLookup', stack.voice?.lookupFunction],
    ['voiceEvents', stack.voice?.eventsFunction],
    ['helpFeedback', stack.helpCenter?.feedbackFunction],
    ['chatRoutes', stack.chat?.routes],
    ['chatConfirm', stack.chat?.confirmation],
    ['liveUpdates', stack.liveUpdates?.consumer],
    ['channelCounters', stack.channelCounters.consumer],
    ['agentSockets', agentsOnly.webSocketApi?.routes],
  ];
}

/** The template a function of `tableFunctions` is in. */
const resourcesOf = (name: TableFunction) => (name === 'agentSockets' ? agentsOnlyResources : resources);

const roleIdOf = (fn: SupportFunction) => Stack.of(fn).getLogicalId(fn.role.node.defaultChild as CfnRole);

describe('item-level access to the conversation table', () => {
  it('declares every function that touches the table, each with prefixes of known item families', () => {
    // Assess
    expect(
      tableFunctions()
        .map(([name]) => name)
        .sort(),
    ).toEqual(Object.keys(FUNCTION_ITEMS).sort());
    const known = new Set<string>(Object.values(ITEM_PREFIX));
    for (const name of Object.keys(FUNCTION_ITEMS) as TableFunction[]) {
      expect(itemPrefixesOf(name).length, name).toBeGreaterThan(0);
      for (const prefix of itemPrefixesOf(name)) expect(known, name).toContain(prefix);
    }
  });

  it.each(Object.keys(FUNCTION_ITEMS) as TableFunction[])(
    '%s reaches the table only through its own key prefixes',
    (name) => {
      const fn = new Map(tableFunctions()).get(name);
      // Prepare
      if (!fn) throw new Error(`${name} is not in the every-channel stack`);
      const onTable = statementsOf(roleIdOf(fn), resourcesOf(name)).filter(
        (statement) => isItemStatement(statement) && mentionsTable(statement.Resource),
      );

      // Assess
      expect(onTable.length, name).toBeGreaterThan(0);
      for (const statement of onTable) {
        expect(statement.Condition, name).toEqual({
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': itemPrefixesOf(name).map((prefix) => `${prefix}*`),
          },
        });
      }
    },
  );

  it('gives no role in the stack a table-wide statement', () => {
    // Assess: roles of functions, schedulers, anything else alike.
    const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    const onTable = roles.flatMap(([roleId]) =>
      statementsOf(roleId).filter(
        (statement) => isItemStatement(statement) && mentionsTable(statement.Resource),
      ),
    );
    expect(onTable.length).toBeGreaterThanOrEqual(tableFunctions().length - 1);
    for (const statement of onTable) {
      const leadingKeys = (statement.Condition?.['ForAllValues:StringLike'] as Json | undefined)?.[
        'dynamodb:LeadingKeys'
      ];
      expect(leadingKeys).toEqual(expect.arrayContaining([expect.stringMatching(/^[A-Z]+#\*$/)]));
    }
  });

  it('lets the agent queue and a customer history be queried through their index keys', () => {
    // Assess: LeadingKeys of a Query on an index is the index's partition key.
    expect(itemPrefixesOf('agentApi')).toEqual(
      expect.arrayContaining([ITEM_PREFIX.statusIndex, ITEM_PREFIX.assigneeIndex, ITEM_PREFIX.customer]),
    );
    expect(ITEM_PREFIX.statusIndex).toBe('STATUS#');
    expect(ITEM_PREFIX.assigneeIndex).toBe('ASSIGNEE#');
  });
});
