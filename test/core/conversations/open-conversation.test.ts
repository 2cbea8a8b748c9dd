import { beforeEach, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../../functions/core/conversations/receive-inbound.ts';
import type { InboundMessage } from '../../../functions/core/model.ts';
import { MemoryConversations, MemoryCustomers, MemoryLedger } from '../../support/in-memory-ports.ts';
import { memoryChatDeps, memorySmsDeps } from '../../support/inbound-deps.ts';

// Monday 23 November 2026, 13:00 in Istanbul.
const START = new Date('2026-11-23T10:00:00.000Z');
const AYSE = '+905321112233';
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

let now: Date;
let deps: ReturnType<typeof makeDeps>;

function makeDeps() {
  return memorySmsDeps(START, {
    clock: { now: () => now },
    ledger: new MemoryLedger(),
    customers: new MemoryCustomers(),
    conversations: new MemoryConversations(),
  });
}

/** The chat function's path on the same stores as the SMS one. */
function chatPathOf(sms: ReturnType<typeof makeDeps>) {
  return memoryChatDeps(START, {
    clock: sms.clock,
    ledger: sms.ledger,
    customers: sms.customers,
    conversations: sms.conversations,
    outbound: sms.outbound,
  });
}

function sms(id: string, text: string, at: Date = now): InboundMessage {
  return {
    channel: 'sms',
    providerMessageId: id,
    from: { kind: 'phone', value: AYSE },
    receivedAt: at.toISOString(),
    text,
    attachments: [],
    sms: { destinationNumber: '+908501234567' },
  };
}

function chat(id: string, text: string, at: Date = now): InboundMessage {
  return {
    channel: 'chat',
    providerMessageId: id,
    from: { kind: 'chat', value: 'visitor-1' },
    receivedAt: at.toISOString(),
    text,
    attachments: [],
  };
}

const receive = (message: InboundMessage) =>
  receiveInbound(message.channel === 'chat' ? chatPathOf(deps) : deps, { message, attachments: [] });

function inboundOf(conversationId: string) {
  return deps.conversations.messagesOf(conversationId).filter((m) => m.direction === 'inbound');
}

beforeEach(() => {
  now = START;
  deps = makeDeps();
});

describe('follow-ups through the open-conversation pointer', () => {
  it('points the channel at the conversation a first message opens, and continues it without the ledger', async () => {
    // Prepare
    const first = await receive(sms('m1', 'Siparişim nerede?'));
    now = minutes(5);

    // Act
    const followUp = await receive(sms('m2', 'Bir de fatura lazım.'));

    // Assess
    const customer = await deps.customers.get(first.customerId);
    expect(customer?.openConversations?.sms).toEqual({
      conversationId: first.conversationId,
      since: START.toISOString(),
      previous: [],
    });
    expect(followUp).toMatchObject({
      conversationId: first.conversationId,
      duplicate: false,
      autoReply: { queued: false, reasons: ['follow-up'] },
    });
    expect(inboundOf(first.conversationId).map((m) => m.text)).toEqual([
      'Siparişim nerede?',
      'Bir de fatura lazım.',
    ]);
    expect(await deps.conversations.get(first.conversationId)).toMatchObject({
      lastMessageAt: minutes(5).toISOString(),
    });
    // Only the first message, which had an acknowledgement and deadlines to make once, was claimed.
    expect([...deps.ledger.records.keys()]).toEqual(['inbound#sms#m1']);
  });

  it('stores a redelivered follow-up once, also when a chat resend comes with a new time', async () => {
    // Prepare
    const first = await receive(chat('c1', 'Merhaba'));
    now = minutes(1);
    await receive(chat('c2', 'Kargom gelmedi'));
    now = minutes(2);

    // Act
    const resent = await receive(chat('c2', 'Kargom gelmedi'));

    // Assess
    expect(resent).toMatchObject({ conversationId: first.conversationId, duplicate: true });
    expect(inboundOf(first.conversationId).map((m) => m.text)).toEqual(['Merhaba', 'Kargom gelmedi']);
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('opens a new conversation when the pointed one is closed, and then finds a late redelivery where it was stored', async () => {
    // Prepare
    const first = await receive(sms('m1', 'Siparişim nerede?'));
    now = minutes(5);
    await receive(sms('m2', 'Bir de fatura lazım.'));
    const closed = deps.conversations.conversations.get(first.conversationId);
    if (!closed) throw new Error('no conversation');
    deps.conversations.conversations.set(closed.id, { ...closed, status: 'closed' });
    now = minutes(30);

    // Act
    const reopened = await receive(sms('m3', 'Yine ben.'));
    const redelivered = await receive(sms('m2', 'Bir de fatura lazım.', minutes(5)));

    // Assess
    expect(reopened.conversationId).not.toBe(first.conversationId);
    const customer = await deps.customers.get(first.customerId);
    expect(customer?.openConversations?.sms).toMatchObject({
      conversationId: reopened.conversationId,
      previous: [first.conversationId],
    });
    expect(redelivered).toMatchObject({ conversationId: first.conversationId, duplicate: true });
    expect(inboundOf(first.conversationId)).toHaveLength(2);
    expect(inboundOf(reopened.conversationId).map((m) => m.text)).toEqual(['Yine ben.']);
  });

  it('opens a new conversation once the window has passed', async () => {
    // Prepare
    const first = await receive(sms('m1', 'Siparişim nerede?'));
    now = new Date(START.getTime() + (deps.config.conversationWindowMinutes + 1) * 60_000);

    // Act
    const later = await receive(sms('m2', 'Hâlâ bekliyorum.'));

    // Assess
    expect(later.conversationId).not.toBe(first.conversationId);
    expect(inboundOf(first.conversationId)).toHaveLength(1);
    expect(inboundOf(later.conversationId)).toHaveLength(1);
  });

  it('finishes a follow-up whose first delivery died between the conversation update and the message', async () => {
    // Prepare
    const first = await receive(sms('m1', 'Siparişim nerede?'));
    now = minutes(5);
    const store = deps.conversations.storeMessage.bind(deps.conversations);
    deps.conversations.storeMessage = async () => {
      throw new Error('the function timed out');
    };
    await expect(receive(sms('m2', 'Bir de fatura lazım.'))).rejects.toThrow('timed out');
    deps.conversations.storeMessage = store;

    // Act
    const retried = await receive(sms('m2', 'Bir de fatura lazım.'));

    // Assess
    expect(retried).toMatchObject({ conversationId: first.conversationId, duplicate: false });
    expect(inboundOf(first.conversationId).map((m) => m.text)).toEqual([
      'Siparişim nerede?',
      'Bir de fatura lazım.',
    ]);
  });

  it('threads a late first delivery into the open conversation without moving its clock back', async () => {
    // Prepare
    const first = await receive(sms('m1', 'Siparişim nerede?'));
    now = minutes(10);
    await receive(sms('m3', 'Üçüncü mesaj'));

    // Act: sent at minute 5, delivered after the one sent at minute 10
    const late = await receive(sms('m2', 'İkinci mesaj', minutes(5)));
    const again = await receive(sms('m2', 'İkinci mesaj', minutes(5)));

    // Assess
    expect(late).toMatchObject({ conversationId: first.conversationId, duplicate: false });
    expect(again).toMatchObject({ conversationId: first.conversationId, duplicate: true });
    expect(inboundOf(first.conversationId).map((m) => m.text)).toEqual([
      'Siparişim nerede?',
      'İkinci mesaj',
      'Üçüncü mesaj',
    ]);
    expect(await deps.conversations.get(first.conversationId)).toMatchObject({
      lastMessageAt: minutes(10).toISOString(),
    });
  });
});
