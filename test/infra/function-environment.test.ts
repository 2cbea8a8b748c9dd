import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_CHANNEL } from '../../bin/docs/configuration.ts';
import { describeFunctions, everyOptionConfig, type SynthesizedFunctions } from '../../bin/docs/functions.ts';
import { FUNCTION_ENVIRONMENT, type Requirement } from '../../functions/adapters/environment.ts';
import { exampleConfig } from './synth.ts';

const localOnly = (name: string) =>
  (FUNCTION_ENVIRONMENT as Record<string, { localOnly?: true } | undefined>)[name]?.localOnly === true;

const withRequirement = (schema: object, requirement: Requirement) =>
  Object.entries(schema)
    .filter(([, r]) => r === requirement)
    .map(([name]) => name);

/** What every function's runtime reads beside its use case: the service name, log level, lease. */
const PLATFORM = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS', 'EVENT_LEASE_SECONDS'];

/** The visitors' side of the chat: their identity key, answers to them, the widget's uploads. */
const VISITOR_CHAT = [
  'CHAT_IDENTITY_SECRET_ARN',
  'SUPPORT_CONFIG',
  'OUTBOUND_QUEUE_URL',
  'HELP_BASE_URL',
  'MAIL_BUCKET',
];

let everyOption: SynthesizedFunctions;
let example: SynthesizedFunctions;
let agentsWithoutChat: SynthesizedFunctions;

beforeAll(() => {
  everyOption = describeFunctions(everyOptionConfig());
  example = describeFunctions(exampleConfig());
  agentsWithoutChat = describeFunctions({
    ...exampleConfig(),
    agents: structuredClone(EVERY_CHANNEL.agents),
  });
}, 360_000);

describe("each function's synthesized environment and its schema (FUNCTION_SCHEMAS)", () => {
  it('sets every variable of the schema, and no other, with every channel and option on', () => {
    // Act
    const differences = everyOption.functions.map((fn) => ({
      name: fn.name,
      unset: Object.keys(fn.schema).filter((name) => !fn.environment.includes(name) && !localOnly(name)),
      unread: fn.environment.filter((name) => !(name in fn.schema)),
    }));

    // Assess
    expect(everyOption.functions.length).toBeGreaterThanOrEqual(15);
    expect(differences).toEqual(
      everyOption.functions.map((fn) => ({ name: fn.name, unset: [], unread: [] })),
    );
  });

  it('sets each required variable in the example deployment, whose functions would not start without it', () => {
    // Act
    const missing = example.functions.map((fn) => ({
      name: fn.name,
      missing: withRequirement(fn.schema, 'required').filter((name) => !fn.environment.includes(name)),
      unread: fn.environment.filter((name) => !(name in fn.schema)),
    }));

    // Assess
    expect(example.functions.length).toBeGreaterThan(0);
    expect(missing).toEqual(example.functions.map((fn) => ({ name: fn.name, missing: [], unread: [] })));
  });

  it('sets each required variable and nothing of the visitor chat where agents are deployed without chat', () => {
    // Act
    const names = agentsWithoutChat.functions.map((fn) => fn.name);
    const sockets = agentsWithoutChat.functions.find((fn) => fn.name === 'chat-websocket');
    const authorizer = agentsWithoutChat.functions.find((fn) => fn.name === 'chat-authorizer');
    const differences = agentsWithoutChat.functions.map((fn) => ({
      name: fn.name,
      missing: withRequirement(fn.schema, 'required').filter((name) => !fn.environment.includes(name)),
      unread: fn.environment.filter((name) => !(name in fn.schema)),
      chat: fn.environment.filter((name) => name.startsWith('CHAT_IDENTITY')),
    }));
    const beyondPlatform = (environment: readonly string[] = []) =>
      environment.filter((name) => !PLATFORM.includes(name)).sort();

    // Assess
    expect(names).toEqual(
      expect.arrayContaining(['agent-api', 'chat-authorizer', 'chat-websocket', 'live-updates']),
    );
    expect(names).not.toContain('chat-confirm');
    expect(differences).toEqual(
      agentsWithoutChat.functions.map((fn) => ({ name: fn.name, missing: [], unread: [], chat: [] })),
    );
    // The shared WebSocket function serves the agents' sockets alone: its schema's required
    // variables and the switch that turns the agents' routes on, none of the visitors' routes.
    expect(beyondPlatform(sockets?.environment)).toEqual(
      [...withRequirement(sockets?.schema ?? {}, 'required'), 'AGENT_SOCKETS_ENABLED'].sort(),
    );
    expect(sockets?.environment.filter((name) => VISITOR_CHAT.includes(name))).toEqual([]);
    expect(beyondPlatform(authorizer?.environment)).toEqual(['AGENT_JWT_AUDIENCE', 'AGENT_JWT_ISSUER']);
  });
});
