import { beforeEach, describe, expect, it } from 'vitest';
import { matchSmsKeyword } from '../../../functions/channels/sms/keywords.ts';
import { supportConfigSchema } from '../../../functions/core/config.ts';
import {
  receiveInbound,
  type SmsInboundDeps,
} from '../../../functions/core/conversations/receive-inbound.ts';
import type { InboundMessage } from '../../../functions/core/model.ts';
import { countSmsSegments } from '../../../functions/core/sms/segments.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import {
  type MemoryConversations,
  MemoryCustomers,
  type MemoryQueue,
} from '../../support/in-memory-ports.ts';
import { MemoryConsentLedger } from '../../support/in-memory-sms-ports.ts';
import { memorySmsDeps } from '../../support/inbound-deps.ts';

// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const NOW = new Date('2026-11-23T10:00:00.000Z');
const AYSE = '+905321112233';

function sms(id: string, text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  const keyword = matchSmsKeyword(text);
  return {
    channel: 'sms',
    providerMessageId: id,
    from: { kind: 'phone', value: AYSE },
    receivedAt: NOW.toISOString(),
    text,
    attachments: [],
    sms: { destinationNumber: '+908501234567', ...(keyword ? { keyword } : {}) },
    ...overrides,
  };
}

let deps: SmsInboundDeps & {
  customers: MemoryCustomers;
  conversations: MemoryConversations;
  outbound: MemoryQueue;
  consent: MemoryConsentLedger;
};

beforeEach(() => {
  const customers = new MemoryCustomers();
  deps = memorySmsDeps(NOW, { customers, consent: new MemoryConsentLedger(customers) });
});

describe('receiveInbound for SMS', () => {
  it('acknowledges a first SMS once, in Turkish, by SMS, in one segment', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: sms('m1', 'Kırmızı çaydanlık stokta var mı?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply).toMatchObject({ queued: true, reasons: [] });
    const [ack] = deps.outbound.sent;
    expect(ack).toMatchObject({ channel: 'sms', to: AYSE, kind: 'auto-reply', language: 'tr', headers: {} });
    expect(countSmsSegments(ack?.text ?? '').segments).toBe(1);
  });

  it('keeps an SMS acknowledgement to one segment even when the question matches an FAQ', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: sms('m1', 'İade nasıl yapılıyor?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply).toEqual({ queued: true, reasons: [] });
    expect(countSmsSegments(deps.outbound.sent[0]?.text ?? '').segments).toBe(1);
  });

  it('sends no SMS acknowledgement when the same customer got one by email within the window', async () => {
    // Prepare: one customer known by email and phone (as an order event links them)
    const customer = {
      id: 'cust-linked',
      consent: {},
      identities: [
        { kind: 'email', value: 'ayse@example.com' },
        { kind: 'phone', value: AYSE },
      ] as const,
      createdAt: NOW.toISOString(),
    };
    await deps.customers.createWithIdentity(
      { ...customer, identities: [...customer.identities] },
      customer.identities[0],
    );
    deps.customers.identities.set(`phone#${AYSE}`, 'cust-linked');
    await deps.customers.claimAutoReplySlot(
      'cust-linked',
      new Date(NOW.getTime() - 3_600_000),
      1440,
      'inbound#email#m0',
    );

    // Act
    const result = await receiveInbound(deps, { message: sms('m1', 'Kargom nerede?'), attachments: [] });

    // Assess
    expect(result.customerId).toBe('cust-linked');
    expect(result.autoReply).toEqual({ queued: false, reasons: ['window'] });
    expect(deps.outbound.sent).toEqual([]);
  });

  it('continues the open SMS conversation with a follow-up and does not acknowledge it again', async () => {
    // Prepare
    const first = await receiveInbound(deps, { message: sms('m1', 'Kargom nerede?'), attachments: [] });

    // Act
    const second = await receiveInbound(deps, { message: sms('m2', 'Adresim değişti.'), attachments: [] });

    // Assess
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.autoReply.reasons).toEqual(['follow-up']);
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('stores STOP on the timeline, opts out, and confirms instead of acknowledging', async () => {
    // Act
    const result = await receiveInbound(deps, { message: sms('m1', 'STOP'), attachments: [] });

    // Assess
    expect(result.autoReply.reasons).toContain('sms-keyword');
    expect(deps.conversations.messagesOf(result.conversationId).map((m) => m.text)).toEqual(['STOP']);
    expect(deps.customers.customers.get(result.customerId)?.consent).toEqual({ sms: 'opted-out' });
    expect(deps.outbound.sent).toEqual([
      expect.objectContaining({
        kind: 'auto-reply',
        channel: 'sms',
        text: expect.stringMatching(/unsubscribed/),
      }),
    ]);
  });

  it('confirms STOP in the customer’s known language, İPTAL in Turkish', async () => {
    // Prepare
    await receiveInbound(deps, { message: sms('m1', 'Kargom nerede?'), attachments: [] });

    // Act
    await receiveInbound(deps, { message: sms('m2', 'İPTAL'), attachments: [] });

    // Assess
    const confirmation = deps.outbound.sent.at(-1);
    expect(confirmation?.language).toBe('tr');
    expect(confirmation?.text).toMatch(/listemizden/);
  });

  it('does not overwrite the detected language with the keyword', async () => {
    // Prepare
    const first = await receiveInbound(deps, { message: sms('m1', 'Kargom nerede?'), attachments: [] });

    // Act
    await receiveInbound(deps, { message: sms('m2', 'STOP'), attachments: [] });

    // Assess
    expect(deps.customers.customers.get(first.customerId)?.detectedLanguage).toBe('tr');
  });

  it('answers HELP with the help text, always, without touching consent', async () => {
    // Act
    const result = await receiveInbound(deps, { message: sms('m1', 'HELP'), attachments: [] });

    // Assess
    expect(deps.customers.customers.get(result.customerId)?.consent).toEqual({});
    expect(deps.outbound.sent).toEqual([expect.objectContaining({ text: expect.stringMatching(/STOP/) })]);
  });

  it('uses the configured help text and can leave STOP confirmations to End User Messaging', async () => {
    // Prepare
    const sms1 = sandboxSupportConfig.sms;
    if (!sms1) throw new Error('the sandbox config has no SMS section');
    deps = {
      ...deps,
      config: supportConfigSchema.parse({
        ...sandboxSupportConfig,
        sms: {
          ...sms1,
          keywordConfirmations: false,
          helpText: { en: 'Shop: call 0850 123 45 67. STOP to end.' },
        },
      }),
    };

    // Act
    await receiveInbound(deps, { message: sms('m1', 'HELP'), attachments: [] });
    await receiveInbound(deps, { message: sms('m2', 'STOP'), attachments: [] });

    // Assess
    expect(deps.outbound.sent.map((r) => r.text)).toEqual(['Shop: call 0850 123 45 67. STOP to end.']);
  });

  it('sends no acknowledgement to an opted-out number that writes again', async () => {
    // Prepare
    await receiveInbound(deps, { message: sms('m1', 'STOP'), attachments: [] });
    deps = { ...deps, clock: { now: () => new Date(NOW.getTime() + 48 * 3_600_000) } };

    // Act
    const later = await receiveInbound(deps, {
      message: sms('m2', 'Siparişim gelmedi', {
        receivedAt: new Date(NOW.getTime() + 48 * 3_600_000).toISOString(),
      }),
      attachments: [],
    });

    // Assess
    expect(later.autoReply).toMatchObject({ queued: false });
    expect(later.autoReply.reasons).toContain('opted-out');
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('never answers one of our own numbers', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: sms('m1', 'STOP', { from: { kind: 'phone', value: '+908501234567' } }),
      attachments: [],
    });

    // Assess
    expect(result.autoReply.reasons).toContain('own-address');
    expect(deps.outbound.sent).toEqual([]);
  });

  it('a redelivered STOP changes nothing and sends nothing more', async () => {
    // Prepare
    await receiveInbound(deps, { message: sms('m1', 'STOP'), attachments: [] });

    // Act
    const again = await receiveInbound(deps, { message: sms('m1', 'STOP'), attachments: [] });

    // Assess
    expect(again.duplicate).toBe(true);
    expect(deps.outbound.sent).toHaveLength(1);
    expect(deps.consent.entriesOf(again.customerId)).toHaveLength(1);
  });

  it('cannot be wired without the consent ledger that STOP and START change', () => {
    // Prepare
    const { consent: _unused, ...withoutConsent } = deps;

    // Act
    // @ts-expect-error: the SMS path's deps require the consent ledger
    const unwired: SmsInboundDeps = withoutConsent;

    // Assess
    expect(unwired).not.toHaveProperty('consent');
  });
});
