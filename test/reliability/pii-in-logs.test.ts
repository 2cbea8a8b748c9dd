import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { parseInboundEmail } from '../../functions/channels/email/parse-inbound-email.ts';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { parseMetaWebhook } from '../../functions/channels/meta/parse-webhook.ts';
import { parseInboundSms } from '../../functions/channels/sms/parse-inbound-sms.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import type { InboundMessage, OutboundRequest } from '../../functions/core/model.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeMetaWebhookHandler } from '../../functions/handlers/meta-webhook.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { settingsFor } from '../support/builders.ts';
import { CHANNEL_CASES, type Fixture, NOW, startRig } from './channel-cases.ts';
import { dynamoWithFaults } from './fault-injection.ts';

/**
 * Every fixture through the real handlers with the logger switched on (the suite runs it
 * SILENT), on the way that succeeds and on the ways that fail; then the captured log lines, and
 * the messages of errors the handlers throw (Lambda logs those), are searched for the personal
 * data the fixtures carry: addresses, phone numbers in every spelling, names and message text.
 */

const OUR_DOMAIN = `@${sandboxSupportConfig.mailDomain}`;

interface PersonalData {
  readonly kind: 'email' | 'phone' | 'name' | 'text';
  readonly value: string;
  readonly fixture: string;
}

/** The spellings a phone number can take in a log line: as written, digits only, national. */
function phoneForms(raw: string): string[] {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 7) return [];
  return [...new Set([raw.trim(), `+${digits}`, digits, digits.slice(-10), nationalForm(raw)])].filter(
    (f) => f.length >= 7,
  );
}

/** A number as people and providers write it nationally: `0532 999 88 77` for +905329998877. */
function nationalForm(raw: string): string {
  const ten = raw.replace(/\D/g, '').slice(-10);
  return `0${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6, 8)} ${ten.slice(8, 10)}`;
}

function fromMessage(message: InboundMessage, fixture: string): PersonalData[] {
  const found: PersonalData[] = [];
  const add = (kind: PersonalData['kind'], value: string | undefined) => {
    if (value && value.trim().length > 0) found.push({ kind, value: value.trim(), fixture });
  };
  if (message.from.kind === 'email') add('email', message.from.value);
  else if (message.from.kind === 'phone' || message.from.kind === 'whatsapp')
    for (const form of phoneForms(message.from.value)) add('phone', form);
  if (message.fromName && message.fromName.length >= 4) add('name', message.fromName);
  // Lines of the text long enough to be the customer's words, not a stock word.
  for (const line of `${message.subject ?? ''}\n${message.text}`.split(/\r?\n/)) {
    if (line.trim().length >= 12) add('text', line.trim().slice(0, 60));
  }
  return found;
}

async function personalDataOf(channel: string, fixture: Fixture): Promise<PersonalData[]> {
  const text = fixture.content.toString('utf8');
  const found: PersonalData[] = [];
  try {
    if (channel === 'email') {
      const email = await parseInboundEmail(
        fixture.content,
        {
          sesMessageId: 'pii',
          timestamp: NOW.toISOString(),
          recipients: [sandboxSupportConfig.supportAddress],
          verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        },
        { supportAddress: sandboxSupportConfig.supportAddress },
      );
      found.push(...fromMessage(email.message, fixture.name));
    } else if (channel === 'sms') {
      found.push(
        ...fromMessage(parseInboundSms(text, { receivedAt: NOW.toISOString() }).message, fixture.name),
      );
    } else if (['whatsapp', 'messenger', 'instagram'].includes(channel)) {
      for (const message of parseMetaWebhook(JSON.parse(text)).messages)
        found.push(...fromMessage(message, fixture.name));
    }
  } catch {
    // Refused input still carries personal data: the raw fields below cover it.
  }
  // Raw fields, whatever the parser made of them (refused fixtures, national spellings).
  const json = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (['phone', 'originationNumber', 'wa_id', 'from', 'Address'].includes(key))
        for (const form of phoneForms(value))
          found.push({ kind: 'phone', value: form, fixture: fixture.name });
      if (key === 'email' && value.includes('@')) found.push({ kind: 'email', value, fixture: fixture.name });
      if (key === 'name' && value.length >= 4) found.push({ kind: 'name', value, fixture: fixture.name });
      if ((key === 'messageBody' || key === 'body' || key === 'text') && value.trim().length >= 12)
        found.push({ kind: 'text', value: value.trim().slice(0, 60), fixture: fixture.name });
    } else if (Array.isArray(value)) for (const item of value) visit(item, key);
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(json, '');
  if (channel === 'connect') {
    // Contact events name no caller; the contact flow's lookup, delivered with each, does.
    visit(
      JSON.parse(
        readFileSync(new URL('../fixtures/connect/flow-known-caller.json', import.meta.url), 'utf8'),
      ),
      '',
    );
  }
  if (channel === 'email') {
    for (const match of text.matchAll(/^(?:From|To|Cc|Reply-To|Return-Path|Sender):.*$/gim))
      for (const address of match[0].match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [])
        found.push({ kind: 'email', value: address, fixture: fixture.name });
  }
  return found.filter((p) => !(p.kind === 'email' && p.value.toLowerCase().endsWith(OUR_DOMAIN)));
}

let standIns: StandIns;
const logLines: string[] = [];

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `pii-${randomUUID()}`,
  });
}, 60_000);

afterAll(async () => {
  await standIns?.stop();
});

/** Runs `act` with every log line the handlers write captured, at the most talkative level. */
async function capturingLogs(act: () => Promise<void>): Promise<void> {
  const capture =
    (stream: NodeJS.WriteStream) =>
    (chunk: unknown): boolean => {
      logLines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return stream === process.stdout || stream === process.stderr;
    };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture(process.stdout));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture(process.stderr));
  const level = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  // The Lambda-context middleware puts the level back to the configured one on every warm
  // invocation; keep DEBUG for the whole run.
  const keepLevel = vi.spyOn(logger, 'setLogLevel').mockImplementation(() => undefined);
  try {
    await act();
  } finally {
    keepLevel.mockRestore();
    logger.setLogLevel(level);
    out.mockRestore();
    err.mockRestore();
  }
}

/** Dispatches every queued request through the real SES, SMS and Graph senders, failing as told. */
async function dispatchThroughFailingSenders(
  requests: readonly OutboundRequest[],
  failure: 'permanent' | 'passing',
) {
  const ses = new SESv2Client({ region: 'eu-central-1' });
  const sms = new PinpointSMSVoiceV2Client({ region: 'eu-central-1' });
  const sesMock = mockClient(ses);
  const smsMock = mockClient(sms);
  // Provider errors that quote the customer: the address, the number in international and in
  // national form, the text. Senders must keep codes and types only.
  const phone = requests.find((r) => r.to.startsWith('+'))?.to ?? '+905321234567';
  const text = requests[0]?.text.slice(0, 40) ?? '';
  const sesError =
    failure === 'permanent'
      ? Object.assign(
          new Error(
            `Email address is not verified: ${requests[0]?.to}, call ${nationalForm(phone)}: ${text}`,
          ),
          { name: 'MessageRejected' },
        )
      : Object.assign(new Error(`Maximum sending rate exceeded for ${nationalForm(phone)}.`), {
          name: 'TooManyRequestsException',
        });
  sesMock.on(SendEmailCommand).rejects(sesError);
  smsMock.on(SendTextMessageCommand).rejects(
    Object.assign(
      new Error(
        failure === 'permanent'
          ? `Invalid destination ${nationalForm(phone)} for "${text}"`
          : `Rate exceeded for ${phone}`,
      ),
      {
        name: failure === 'permanent' ? 'ValidationException' : 'ThrottlingException',
        // Not one of the reasons the sender maps: the error falls through to the generic path.
        Reason: failure === 'permanent' ? 'UNKNOWN_OPERATION' : 'CANNOT_PARSE',
        $metadata: { httpStatusCode: failure === 'permanent' ? 400 : 429 },
      },
    ),
  );
  // Graph errors sometimes quote the recipient; the sender must keep codes and types only.
  const graphFetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const to = String((JSON.parse(String(init?.body)) as { to?: string }).to ?? '');
    return new Response(
      JSON.stringify({
        error: {
          message: `(#131026) Message undeliverable to ${to} (${nationalForm(to)}): ${text}`,
          type: 'OAuthException',
          code: 131026,
        },
      }),
      { status: failure === 'permanent' ? 400 : 503 },
    );
  });
  vi.stubGlobal('fetch', graphFetch);
  try {
    const rig = await startRig(standIns, `pii-dispatch-${failure}-${randomUUID()}`);
    const settings = {
      ...settingsFor(standIns),
      tableName: rig.tableName,
      meta: {
        graph: {
          baseUrl: 'https://graph.invalid',
          apiVersion: GRAPH_API_VERSION,
          whatsappPhoneNumberId: '106540352242922',
        },
        secrets: new StaticMetaSecrets({ appSecret: 'a', verifyToken: 'v', accessToken: 't' }),
        inboundQueueUrl: '',
      },
    };
    const deps = dispatcherDeps({ ...standIns.clients, ses, sms }, settings, { now: () => NOW });
    const dispatcher = makeDispatcherHandler(() => deps);
    for (const request of requests) {
      await dispatcher(sqsEventOfBodies([JSON.stringify(request)]), lambdaContext('switchboard-dispatcher'));
    }
  } finally {
    vi.unstubAllGlobals();
    sesMock.restore();
    smsMock.restore();
  }
}

describe('no personal data in the logs', () => {
  it('logs no address, phone number, name or message text while every fixture goes through, on success and on failure', async () => {
    // Prepare
    const personal: PersonalData[] = [];
    for (const channelCase of CHANNEL_CASES)
      for (const fixture of channelCase.fixtures)
        personal.push(...(await personalDataOf(channelCase.channel, fixture)));
    expect(personal.filter((p) => p.kind === 'email').length).toBeGreaterThan(10);
    expect(personal.filter((p) => p.kind === 'phone').length).toBeGreaterThan(10);
    expect(personal.filter((p) => p.kind === 'text').length).toBeGreaterThan(10);
    const healthy = await startRig(standIns, `pii-ok-${randomUUID()}`);
    // Every DynamoDB call fails (no table): the handlers' failure paths log (and throw) what they know.
    const broken = dynamoWithFaults(inject('dynamoEndpoint'), () => 'resource-not-found');
    const failing = await startRig(standIns, `pii-failing-${randomUUID()}`, { dynamo: broken.client });
    const webhook = makeMetaWebhookHandler(() => ({
      secrets: new StaticMetaSecrets({ appSecret: 'a', verifyToken: 'v', accessToken: 't' }),
      queue: { enqueue: async () => undefined },
    }));

    // Act
    await capturingLogs(async () => {
      for (const channelCase of CHANNEL_CASES) {
        for (const fixture of channelCase.fixtures) {
          await channelCase.deliver(healthy, fixture);
          await channelCase.deliver(failing, fixture);
        }
      }
      for (const fixture of CHANNEL_CASES.filter((c) => c.channel === 'whatsapp').flatMap(
        (c) => c.fixtures,
      )) {
        // A forged delivery: refused at the webhook.
        await webhook(
          apiGatewayV2Event({
            method: 'POST',
            path: '/webhooks/meta',
            headers: { 'x-hub-signature-256': 'sha256=00' },
            body: fixture.content,
          }),
          lambdaContext('switchboard-meta-webhook'),
        );
      }
      const queued = [...healthy.outbound.sent];
      expect(queued.length).toBeGreaterThan(5);
      for (const request of queued) {
        await healthy.dispatcher(
          sqsEventOfBodies([JSON.stringify(request)]),
          lambdaContext('switchboard-dispatcher'),
        );
      }
      await dispatchThroughFailingSenders(queued, 'permanent');
      await dispatchThroughFailingSenders(queued, 'passing');
    });

    // Assess
    expect(logLines.length).toBeGreaterThan(100);
    // What Lambda writes to the function's log when an invocation fails.
    const thrown = [...healthy.thrown, ...failing.thrown].map((e) =>
      e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    );
    expect(thrown.length).toBeGreaterThan(5);
    const corpus = [...logLines, ...thrown].join('\n');
    expect(leaksIn(corpus, personal)).toEqual([]);
    // The scan would see one: a log line naming a customer's address and number.
    const planted = JSON.stringify({
      message: 'x',
      to: 'A@B.com',
      phone: '0532 123 45 67'.replace(/ /g, ''),
    });
    expect(leaksIn(planted, personal).map((p) => p.kind)).toEqual(expect.arrayContaining(['email', 'phone']));
  }, 60_000);
});

function leaksIn(corpus: string, personal: readonly PersonalData[]): PersonalData[] {
  // JSON escapes non-ASCII in some writers; compare on both spellings.
  const haystack = `${corpus}\n${unescapeJson(corpus)}`.toLowerCase();
  return personal.filter((p) => haystack.includes(p.value.toLowerCase()));
}

function unescapeJson(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
