import { beforeEach, describe, expect, it } from 'vitest';
import type { Customer, OutboundRequest } from '../../../functions/core/model.ts';
import { type DispatchOutboundDeps, dispatchOutbound } from '../../../functions/core/outbound/dispatch.ts';
import { acknowledgementRequest } from '../../support/builders.ts';
import { MemoryProviderMessages } from '../../support/in-memory-meta.ts';
import {
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemorySender,
} from '../../support/in-memory-ports.ts';

const LAST_INBOUND = '2026-11-23T10:00:00.000Z';
const INSIDE = new Date('2026-11-24T09:59:59.000Z');
const OUTSIDE = new Date('2026-11-24T10:00:00.000Z');
const PHONE = '+905321234567';

let now: Date;
let senders: { whatsapp: MemorySender; messenger: MemorySender; sms: MemorySender; email: MemorySender };
let deps: DispatchOutboundDeps & {
  conversations: MemoryConversations;
  customers: MemoryCustomers;
  providerMessages: MemoryProviderMessages;
};

function whatsAppReply(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return acknowledgementRequest({
    id: 'reply-1',
    kind: 'agent-reply',
    channel: 'whatsapp',
    to: PHONE,
    language: 'tr',
    subject: 'Siparişiniz',
    text: 'Siparişiniz yarın teslim edilecek.',
    email: undefined,
    headers: {},
    ...overrides,
  });
}

async function customer(consent: Customer['consent'], identities: Customer['identities']) {
  const [first] = identities;
  if (!first) throw new Error('a customer needs an identity');
  await deps.customers.createWithIdentity(
    { id: 'cust-1', consent, identities, createdAt: LAST_INBOUND },
    first,
  );
}

beforeEach(async () => {
  now = INSIDE;
  senders = {
    whatsapp: new MemorySender(),
    messenger: new MemorySender(),
    sms: new MemorySender(),
    email: new MemorySender(),
  };
  const conversations = new MemoryConversations();
  deps = {
    clock: { now: () => now },
    ledger: new MemoryLedger(),
    conversations,
    customers: new MemoryCustomers(),
    senders,
    providerMessages: new MemoryProviderMessages(conversations),
    social: { fallbackChannels: ['sms', 'email'] },
  };
  for (const channel of ['whatsapp', 'messenger'] as const) {
    await conversations.create({
      id: `conv-${channel}`,
      customerId: 'cust-1',
      channel,
      status: 'open',
      createdAt: LAST_INBOUND,
      lastMessageAt: LAST_INBOUND,
      lastInboundAt: LAST_INBOUND,
    });
  }
});

describe('dispatchOutbound on WhatsApp, Messenger and Instagram: the 24-hour window', () => {
  it('sends free text inside the window and remembers the wamid for delivery statuses', async () => {
    // Prepare
    await customer({}, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(senders.whatsapp.sent).toHaveLength(1);
    expect(senders.whatsapp.sent[0]?.template).toBeUndefined();
    expect(await deps.providerMessages.find('whatsapp', 'provider-reply-1')).toEqual({
      conversationId: 'conv-whatsapp',
      messageId: 'reply-1',
      at: INSIDE.toISOString(),
    });
  });

  it('sends the configured template once 24 hours have passed, with our text as its parameter', async () => {
    // Prepare
    now = OUTSIDE;
    deps = {
      ...deps,
      social: {
        fallbackChannels: ['sms'],
        whatsappTemplate: { name: 'support_reply', languages: { tr: 'tr', en: 'en_US' } },
      },
    };
    await customer({}, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(senders.whatsapp.sent[0]?.template).toEqual({
      name: 'support_reply',
      language: 'tr',
      parameters: ['Siparişiniz yarın teslim edilecek.'],
    });
    expect(senders.sms.sent).toHaveLength(0);
  });

  it('falls back to SMS outside the window without a template, when the customer has not opted out', async () => {
    // Prepare
    now = OUTSIDE;
    await customer({}, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(senders.whatsapp.sent).toHaveLength(0);
    expect(senders.sms.sent).toEqual([expect.objectContaining({ channel: 'sms', to: PHONE })]);
    const [recorded] = deps.conversations.messagesOf('conv-whatsapp');
    expect(recorded).toMatchObject({ channel: 'sms', deliveryStatus: 'sent' });
  });

  it('records the channel used and the fallback reason on the message and in the outcome', async () => {
    // Prepare
    now = OUTSIDE;
    await customer({}, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    const reason = expect.stringMatching(/^the whatsapp 24-hour messaging window is closed/);
    expect(result.fallback).toEqual({ channel: 'sms', from: 'whatsapp', reason });
    const [recorded] = deps.conversations.messagesOf('conv-whatsapp');
    expect(recorded?.fallback).toEqual({ from: 'whatsapp', reason });
  });

  it('never falls back to SMS for an order notice without an SMS opt-in (email instead)', async () => {
    // Prepare
    now = OUTSIDE;
    await customer({ whatsapp: 'opted-in' }, [
      { kind: 'phone', value: PHONE },
      { kind: 'email', value: 'ayse@example.com' },
    ]);

    // Act
    const result = await dispatchOutbound(
      deps,
      whatsAppReply({ id: 'order-1', kind: 'order-status', conversationId: 'conv-whatsapp' }),
    );

    // Assess
    expect(senders.sms.sent).toHaveLength(0);
    expect(result.fallback?.channel).toBe('email');
  });

  it('measures the window from the sender’s identity, not from the closed order conversation', async () => {
    // Prepare: the customer wrote a minute ago on another conversation; the notice has its own.
    now = new Date('2026-11-23T10:01:00.000Z');
    await customer({ whatsapp: 'opted-in' }, [{ kind: 'phone', value: PHONE }]);
    await deps.conversations.create({
      id: 'conv-order',
      customerId: 'cust-1',
      channel: 'whatsapp',
      status: 'closed',
      createdAt: LAST_INBOUND,
      lastMessageAt: LAST_INBOUND,
    });
    const windows = new Map<string, string>([[`phone#${PHONE}#whatsapp`, '2026-11-23T10:00:00.000Z']]);
    const withWindows = {
      ...deps,
      // No open conversation to fall back on: only the identity knows.
      conversations: Object.assign(Object.create(deps.conversations), {
        latestOpenConversation: async () => undefined,
      }) as typeof deps.conversations,
      identityWindows: {
        recordInbound: async () => undefined,
        lastInboundAt: async (identity: { kind: string; value: string }, channel: string) =>
          windows.get(`${identity.kind}#${identity.value}#${channel}`),
      },
    };

    // Act
    const result = await dispatchOutbound(
      withWindows,
      whatsAppReply({ id: 'order-2', kind: 'order-status', conversationId: 'conv-order' }),
    );

    // Assess
    expect(result.status).toBe('sent');
    expect(result.fallback).toBeUndefined();
    expect(senders.whatsapp.sent).toHaveLength(1);
    expect(senders.sms.sent).toHaveLength(0);
  });

  it('skips an opted-out SMS and falls back to email', async () => {
    // Prepare
    now = OUTSIDE;
    await customer({ sms: 'opted-out' }, [
      { kind: 'phone', value: PHONE },
      { kind: 'email', value: 'ayse@example.com' },
    ]);

    // Act
    await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    expect(senders.sms.sent).toHaveLength(0);
    expect(senders.email.sent).toEqual([
      expect.objectContaining({ channel: 'email', to: 'ayse@example.com' }),
    ]);
  });

  it('suppresses with the reason when the window is closed and no channel is left', async () => {
    // Prepare
    now = OUTSIDE;
    await customer({ sms: 'opted-out' }, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(deps, whatsAppReply({ conversationId: 'conv-whatsapp' }));

    // Assess
    expect(result).toMatchObject({
      status: 'suppressed',
      reason: expect.stringMatching(/24-hour messaging window is closed/),
    });
    expect(Object.values(senders).every((s) => s.sent.length === 0)).toBe(true);
    const [recorded] = deps.conversations.messagesOf('conv-whatsapp');
    expect(recorded?.deliveryStatus).toBe('suppressed');
  });

  it('never uses a WhatsApp template for Messenger: outside the window it falls back', async () => {
    // Prepare
    now = OUTSIDE;
    deps = {
      ...deps,
      social: {
        fallbackChannels: ['email'],
        whatsappTemplate: { name: 'support_reply', languages: { tr: 'tr' } },
      },
    };
    await customer({}, [
      { kind: 'messenger', value: '6789012345678901' },
      { kind: 'email', value: 'ayse@example.com' },
    ]);

    // Act
    await dispatchOutbound(
      deps,
      whatsAppReply({ channel: 'messenger', to: '6789012345678901', conversationId: 'conv-messenger' }),
    );

    // Assess
    expect(senders.messenger.sent).toHaveLength(0);
    expect(senders.email.sent).toHaveLength(1);
  });

  it('measures the window for a request outside a conversation from the open conversation on that channel', async () => {
    // Prepare
    await customer({}, [{ kind: 'phone', value: PHONE }]);

    // Act
    const result = await dispatchOutbound(
      deps,
      whatsAppReply({ kind: 'order-status', conversationId: undefined }),
    );

    // Assess
    expect(result.status).toBe('sent');
    expect(senders.whatsapp.sent).toHaveLength(1);
  });
});
