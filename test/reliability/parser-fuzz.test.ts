import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../functions/adapters/http/request.ts';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { parseContactEvent } from '../../functions/channels/connect/contact-event.ts';
import { parseContactFlowEvent } from '../../functions/channels/connect/contact-flow-event.ts';
import { signMetaBody } from '../../functions/channels/meta/signature.ts';
import { MAX_SMS_TEXT_LENGTH, parseInboundSms } from '../../functions/channels/sms/parse-inbound-sms.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import { orderEventSchema } from '../../functions/core/orders/order-events.ts';
import { reminderRequestSchema } from '../../functions/core/reminders/reminders.ts';
import { processMetaDelivery } from '../../functions/handlers/inbound-social.ts';
import { makeMetaWebhookHandler } from '../../functions/handlers/meta-webhook.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { MemoryProviderMessages } from '../support/in-memory-meta.ts';
import { MemoryConversations } from '../support/in-memory-ports.ts';
import { memoryMetaDeps } from '../support/inbound-deps.ts';
import { shopSignatureHeaders } from '../support/shop-signing.ts';

/**
 * No parser of outside input crashes. Each one gets 1,000 structured runs (its
 * real fixtures with values replaced, removed or duplicated at random places) and 1,000 runs of
 * garbage; the only acceptable failure is an InvalidInputError with a reason. Raw MIME has its own
 * file (email-parser-fuzz.test.ts, 3 × 1,000 runs and the size limit). A new parser adds one row.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every fixture file under test/fixtures whose name ends with one of `suffixes`. */
function fixturesEndingWith(...suffixes: string[]): unknown[] {
  const found: unknown[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (suffixes.some((suffix) => path.endsWith(suffix))) {
        try {
          found.push(JSON.parse(readFileSync(path, 'utf8')));
        } catch {
          // A fixture that is deliberately not JSON is garbage, which the garbage runs cover.
        }
      }
    }
  };
  walk(FIXTURES);
  return found;
}

/** Every JSON fixture directly in test/fixtures/<directory>. */
function fixturesIn(directory: string): unknown[] {
  return readdirSync(join(FIXTURES, directory))
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(FIXTURES, directory, name), 'utf8'))];
      } catch {
        return [];
      }
    });
}

interface ParserCase {
  readonly name: string;
  /** `text`: the parser reads the raw body as it arrives; `event`: Lambda hands it a decoded JSON event. */
  readonly input: 'text' | 'event';
  readonly fixtures: readonly unknown[];
  readonly parse: (input: unknown) => Promise<unknown> | unknown;
}

function socialDeps() {
  const conversations = new MemoryConversations();
  return memoryMetaDeps(new Date('2026-11-23T10:00:02.000Z'), {
    conversations,
    providerMessages: new MemoryProviderMessages(conversations),
  });
}

const PARSERS: readonly ParserCase[] = [
  {
    name: 'SNS SMS JSON (End User Messaging inbound SMS)',
    input: 'text',
    fixtures: [...fixturesIn('sms'), ...fixturesEndingWith('.sms.json')],
    parse: (text) => parseInboundSms(String(text), { receivedAt: '2026-11-23T10:00:00.000Z' }),
  },
  {
    name: 'Meta webhook body (WhatsApp, Messenger, Instagram), through processMetaDelivery',
    input: 'text',
    fixtures: [...fixturesIn('meta'), ...fixturesEndingWith('.meta.json')],
    parse: (text) => processMetaDelivery(socialDeps(), String(text)),
  },
  {
    name: 'order event (POST /orders/events body)',
    input: 'text',
    fixtures: [...fixturesIn('orders'), ...fixturesEndingWith('.order.json')],
    parse: (text) => parseJsonBody(orderEventSchema, Buffer.from(String(text), 'utf8')),
  },
  {
    name: 'reminder request (POST /reminders body)',
    input: 'text',
    fixtures: fixturesEndingWith('.reminder.json'),
    parse: (text) => parseJsonBody(reminderRequestSchema, Buffer.from(String(text), 'utf8')),
  },
  {
    name: 'Connect contact event (EventBridge)',
    input: 'event',
    fixtures: fixturesEndingWith('.connect-event.json'),
    parse: (event) => parseContactEvent(event),
  },
  {
    name: 'Connect contact flow event (voice lookup)',
    input: 'event',
    fixtures: fixturesEndingWith('.connect-flow.json'),
    parse: (event) => parseContactFlowEvent(event),
  },
];

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, i]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

type Mutation = {
  readonly at: number;
  readonly op: 'replace' | 'remove' | 'duplicate';
  readonly value: unknown;
};

/** `base` with one node replaced, removed or (in an array) duplicated. */
function mutate(base: unknown, { at, op, value }: Mutation): unknown {
  const paths = pathsOf(base);
  const path = paths[at % paths.length] ?? [];
  if (path.length === 0) return op === 'replace' ? value : op === 'remove' ? undefined : [base, base];
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (op === 'replace') parent[last] = value;
  else if (op === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
  else parent[`${String(last)}_copy`] = parent[last];
  return copy;
}

/** Values that break parsers: wrong types, control characters, header injection, huge and odd numbers. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\r\nBcc: victim@example.net',
    '\u0000',
    '\u202e',
    'null',
    '1e309',
    '+',
    '+905321112233',
    '00905321112233',
    'a@b',
    '<script>alert(1)</script>',
    '2026-02-30T25:61:00Z',
    'x'.repeat(70_000),
    '𝕏'.repeat(5_000),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'remove', 'duplicate'),
  value: hostileValue,
});

/** A real fixture with 1–3 mutations; as text, sometimes cut short. */
function structuredInput(parser: ParserCase): fc.Arbitrary<unknown> {
  return fc
    .record({
      fixture: fc.nat({ max: parser.fixtures.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      cutAt: fc.option(fc.nat(), { freq: 4 }),
    })
    .map(({ fixture, mutations, cutAt }) => {
      const mutated = mutations.reduce<unknown>((value, m) => mutate(value, m), parser.fixtures[fixture]);
      if (parser.input === 'event') return mutated;
      const text = JSON.stringify(mutated) ?? '';
      return cutAt === null ? text : text.slice(0, cutAt % (text.length + 1));
    });
}

function garbageInput(parser: ParserCase): fc.Arbitrary<unknown> {
  return parser.input === 'event'
    ? fc.oneof(fc.jsonValue(), fc.anything())
    : fc.oneof(
        fc.string({ unit: 'binary', maxLength: 2_000 }),
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.uint8Array({ maxLength: 1_000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      );
}

/** Resolves to 'parsed' or the InvalidInputError; any other exception fails the run. */
async function outcome(parser: ParserCase, input: unknown): Promise<'parsed' | InvalidInputError> {
  try {
    await parser.parse(input);
    return 'parsed';
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
}

function expectReasonedRejection(result: 'parsed' | InvalidInputError): void {
  if (result === 'parsed') return;
  expect(result.code).toBe('invalid-input');
  expect(result.reason.trim().length).toBeGreaterThan(10);
}

describe.each(PARSERS)('$name under fuzzing', (parser) => {
  it('has real fixtures to mutate', () => {
    // Assess
    expect(parser.fixtures.length).toBeGreaterThan(0);
  });

  it('takes or refuses with a reason every mutated real input (1,000 runs)', async () => {
    const seen = { parsed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(structuredInput(parser), async (input) => {
        const result = await outcome(parser, input);
        seen[result === 'parsed' ? 'parsed' : 'refused'] += 1;
        expectReasonedRejection(result);
      }),
      { numRuns: 1_000 },
    );
    // The mutations reach both sides of the parser: inputs it still takes and inputs it refuses.
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 60_000);

  it('refuses garbage with a reason, never with a crash (1,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(garbageInput(parser), async (input) => {
        expectReasonedRejection(await outcome(parser, input));
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);
});

describe('oversized input is bounded', () => {
  const SHOP_SECRET = 'shop-secret';

  it('refuses an SMS body over a million characters and cuts a long one to 1,600', () => {
    // Prepare
    const sms = { ...(PARSERS[0]?.fixtures[0] as Record<string, unknown>) };
    const huge = JSON.stringify({ ...sms, messageBody: 'a'.repeat(1_000_001) });
    const long = JSON.stringify({ ...sms, messageBody: 'ab '.repeat(5_000) });

    // Act
    const refused = () => parseInboundSms(huge, { receivedAt: '2026-11-23T10:00:00.000Z' });
    const cut = parseInboundSms(long, { receivedAt: '2026-11-23T10:00:00.000Z' });

    // Assess
    expect(refused).toThrow(InvalidInputError);
    expect(refused).toThrow(/messageBody/);
    expect(Array.from(cut.message.text).length).toBeLessThanOrEqual(MAX_SMS_TEXT_LENGTH);
    expect(cut.truncated).toBe(true);
  });

  it('answers 400 with a reason to a signed Meta delivery over 1 MiB and queues nothing', async () => {
    // Prepare
    const queued: string[] = [];
    const handler = makeMetaWebhookHandler(() => ({
      secrets: new StaticMetaSecrets({ appSecret: 'app-secret', verifyToken: 'v', accessToken: 'a' }),
      queue: { enqueue: async (raw: string) => void queued.push(raw) },
    }));
    const body = JSON.stringify({ object: 'page', entry: [], padding: 'x'.repeat(1024 * 1024) });

    // Act
    const response = await handler(
      apiGatewayV2Event({
        method: 'POST',
        path: '/webhooks/meta',
        headers: { 'x-hub-signature-256': signMetaBody(body, 'app-secret') },
        body,
      }),
      lambdaContext('meta-webhook'),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).reason).toMatch(/too large/);
    expect(queued).toEqual([]);
  });

  it('keeps at most 8,000 characters of one very long WhatsApp text', async () => {
    // Prepare
    const deps = socialDeps();
    const delivery = structuredClone(
      PARSERS[1]?.fixtures.find(
        (f) =>
          JSON.stringify(f).includes('"type":"text"') &&
          (f as { entry: { changes: { value: { messages?: unknown[] } }[] }[] }).entry[0]?.changes[0]?.value
            .messages?.length === 1,
      ),
    ) as { entry: { changes: { value: { messages: { text: { body: string } }[] } }[] }[] };
    const message = delivery.entry[0]?.changes[0]?.value.messages[0];
    if (message) message.text.body = 'ç'.repeat(50_000);

    // Act
    await processMetaDelivery(deps, JSON.stringify(delivery));

    // Assess
    const stored = [...deps.conversations.messages.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.text.length).toBeLessThanOrEqual(8_000);
  });

  it.each([
    ['/orders/events', 'order events'],
    ['/reminders', 'reminders'],
  ])('answers 400 with a reason to a signed %s body over 64 KiB and stores nothing', async (path) => {
    // Prepare: dependencies that fail the test if anything reaches them
    const refuseStore = () => {
      throw new Error('nothing may be stored for an oversized body');
    };
    const body = JSON.stringify({ eventId: 'evt-1', padding: 'x'.repeat(64 * 1024) });
    const NOW = new Date('2026-11-23T10:00:00Z');
    const event = apiGatewayV2Event({
      method: 'POST',
      path,
      headers: shopSignatureHeaders({
        method: 'POST',
        pathWithQuery: path,
        body,
        secret: SHOP_SECRET,
        at: NOW,
      }),
      body,
    });
    const secret = new StaticShopSecret(SHOP_SECRET);
    const handler =
      path === '/reminders'
        ? makeRemindersHandler(() => ({
            secret,
            clock: { now: () => NOW },
            reminders: new Proxy({}, { get: refuseStore }) as never,
          }))
        : makeOrderEventsHandler(() => ({
            secret,
            clock: { now: () => NOW },
            orders: new Proxy({}, { get: refuseStore }) as never,
          }));

    // Act
    const response = await handler(event, lambdaContext('shop'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body))).toMatchObject({
      field: 'body',
      reason: expect.stringMatching(/too large/),
    });
  });

  it('refuses a Connect contact id of 10,000 characters with a reason', () => {
    // Prepare
    const base = structuredClone(PARSERS[4]?.fixtures[0]) as { detail: { contactId: string } };
    base.detail.contactId = 'c'.repeat(10_000);

    // Act
    const refused = () => parseContactEvent(base);

    // Assess
    expect(refused).toThrow(InvalidInputError);
    expect(refused).toThrow(/contactId/);
  });
});
