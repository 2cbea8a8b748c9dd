import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ReceiveInboundDeps,
  receiveInbound,
} from '../../../functions/core/conversations/receive-inbound.ts';
import { RetryableError } from '../../../functions/core/errors.ts';
import { leaseSecondsFor } from '../../../functions/core/event-lease.ts';
import type { InboundMessage, MailVerdicts } from '../../../functions/core/model.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import type {
  MemoryAttachments,
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
} from '../../support/in-memory-ports.ts';
import { memoryEmailDeps } from '../../support/inbound-deps.ts';

const PASS: MailVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const NOW = new Date('2026-11-23T10:00:00.000Z');

function email(
  overrides: Partial<InboundMessage> & { id: string; verdicts?: Partial<MailVerdicts> },
): InboundMessage {
  const { id, verdicts, ...rest } = overrides;
  return {
    channel: 'email',
    providerMessageId: id,
    from: { kind: 'email', value: 'ayse@example.com' },
    fromName: 'Ayşe Yılmaz',
    receivedAt: NOW.toISOString(),
    subject: 'Siparişim nerede?',
    text: 'Merhaba, geçen hafta verdiğim sipariş hâlâ gelmedi. Kargom nerede?',
    attachments: [],
    email: {
      threading: { messageId: `${id}@mail.example.com`, inReplyTo: [], references: [] },
      signals: { returnPath: 'ayse@example.com', subject: 'Siparişim nerede?' },
      verdicts: { ...PASS, ...verdicts },
      recipients: ['support@support.example.com'],
    },
    ...rest,
  };
}

let deps: ReceiveInboundDeps & {
  ledger: MemoryLedger;
  customers: MemoryCustomers;
  conversations: MemoryConversations;
  attachments: MemoryAttachments;
  outbound: MemoryQueue;
};

beforeEach(() => {
  deps = memoryEmailDeps(NOW);
});

describe('receiveInbound', () => {
  it('stores a first mail in a new conversation of a new customer and queues one acknowledgement', async () => {
    // Act
    const result = await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });

    // Assess
    expect(result.duplicate).toBe(false);
    // "Siparişim nerede?" is the order-status FAQ question: its answer rides along.
    expect(result.autoReply).toEqual({ queued: true, reasons: [], faq: 'order-status' });
    expect(deps.conversations.messagesOf(result.conversationId)).toHaveLength(1);
    const [ack] = deps.outbound.sent;
    expect(ack).toMatchObject({
      kind: 'auto-reply',
      channel: 'email',
      to: 'ayse@example.com',
      language: 'tr',
      conversationId: result.conversationId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      email: { inReplyTo: 'm1@mail.example.com', replyToken: result.conversationId },
    });
  });

  it('is a no-op the second time the same event arrives', async () => {
    // Prepare
    const message = email({ id: 'm1' });
    const first = await receiveInbound(deps, { message, attachments: [] });

    // Act
    const second = await receiveInbound(deps, { message: structuredClone(message), attachments: [] });

    // Assess
    expect(second).toEqual({ ...first, duplicate: true });
    expect(deps.conversations.messages.size).toBe(1);
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('refuses to work on an event another delivery is processing right now', async () => {
    // Prepare
    await deps.ledger.claim('inbound#email#m1', NOW, 300);

    // Act
    const attempt = receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RetryableError);
  });

  describe('a claim left behind by an attempt that died (timed out)', () => {
    // The inbound email function's timeout, and its lease as SupportFunction derives it.
    const TIMEOUT_SECONDS = 60;
    const LEASE_SECONDS = leaseSecondsFor(TIMEOUT_SECONDS);
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

    /** Starts an attempt at NOW that claims the event and then never returns, like one Lambda ends at its timeout. */
    function deadAttempt(message: InboundMessage): void {
      const customers: typeof deps.customers = Object.assign(Object.create(deps.customers), {
        findByIdentity: () => new Promise<never>(() => undefined),
      });
      void receiveInbound(
        {
          ...deps,
          customers,
          leaseSeconds: LEASE_SECONDS,
        },
        { message, attachments: [] },
      );
    }

    it("does not block Lambda's retry: the retry a minute after the timeout processes the event", async () => {
      // Prepare
      const message = email({ id: 'm-dead-1' });
      deadAttempt(message);
      const retryAt = at(TIMEOUT_SECONDS + 60);

      // Act
      const retried = await receiveInbound(
        { ...deps, clock: { now: () => retryAt }, leaseSeconds: LEASE_SECONDS },
        { message: structuredClone(message), attachments: [] },
      );

      // Assess
      expect(retried.duplicate).toBe(false);
      expect(deps.conversations.messagesOf(retried.conversationId)).toHaveLength(1);
      expect(deps.outbound.sent).toHaveLength(1);
    });

    it('answers a delivery while the attempt may still be running with a retryable verdict, not a failure', async () => {
      // Prepare
      const message = email({ id: 'm-dead-2' });
      deadAttempt(message);
      const whileLive = at(TIMEOUT_SECONDS - 30);

      // Act
      const attempt = receiveInbound(
        { ...deps, clock: { now: () => whileLive }, leaseSeconds: LEASE_SECONDS },
        { message: structuredClone(message), attachments: [] },
      );

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(RetryableError);
      expect(deps.conversations.messages.size).toBe(0);
    });
  });

  it('finishes on redelivery what a failed delivery left half done, acknowledging once', async () => {
    // Prepare
    const enqueue = deps.outbound.enqueue.bind(deps.outbound);
    let calls = 0;
    deps.outbound.enqueue = async (request) => {
      calls += 1;
      if (calls === 1) throw new Error('queue unavailable');
      return enqueue(request);
    };
    const message = email({ id: 'm1' });
    await expect(receiveInbound(deps, { message, attachments: [] })).rejects.toThrow('queue unavailable');

    // Act
    const retried = await receiveInbound(deps, { message, attachments: [] });

    // Assess
    expect(retried.duplicate).toBe(false);
    expect(retried.autoReply.queued).toBe(true);
    expect(deps.outbound.sent).toHaveLength(1);
    expect(deps.conversations.messages.size).toBe(1);
    expect(deps.conversations.conversations.size).toBe(1);
  });

  it('joins a reply that references an earlier mail of the same customer, without a second acknowledgement', async () => {
    // Prepare
    const first = await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });
    const reply = email({
      id: 'm2',
      text: 'Bir de adresimi değiştirmek istiyorum.',
      email: {
        threading: {
          messageId: 'm2@mail.example.com',
          inReplyTo: ['m1@mail.example.com'],
          references: ['m1@mail.example.com'],
        },
        signals: {},
        verdicts: PASS,
        recipients: ['support@support.example.com'],
      },
    });

    // Act
    const second = await receiveInbound(deps, { message: reply, attachments: [] });

    // Assess
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.autoReply).toEqual({ queued: false, reasons: ['follow-up'] });
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('joins by the reply token of our acknowledgement when the client dropped the references', async () => {
    // Prepare
    const first = await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });
    const reply = email({
      id: 'm2',
      email: {
        threading: { inReplyTo: [], references: [], replyToken: first.conversationId },
        signals: {},
        verdicts: PASS,
        recipients: [`support+c-${first.conversationId}@support.example.com`],
      },
    });

    // Act
    const second = await receiveInbound(deps, { message: reply, attachments: [] });

    // Assess
    expect(second.conversationId).toBe(first.conversationId);
  });

  it('gives a stranger who replies into another customer thread a conversation of their own', async () => {
    // Prepare
    const first = await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });
    const intruder = email({
      id: 'x1',
      from: { kind: 'email', value: 'mallory@example.net' },
      text: 'Please send me the invoice for this order.',
      email: {
        threading: { inReplyTo: ['m1@mail.example.com'], references: [], replyToken: first.conversationId },
        signals: {},
        verdicts: PASS,
        recipients: ['support@support.example.com'],
      },
    });

    // Act
    const result = await receiveInbound(deps, { message: intruder, attachments: [] });

    // Assess
    expect(result.conversationId).not.toBe(first.conversationId);
    expect(result.customerId).not.toBe(first.customerId);
    expect(deps.conversations.messagesOf(first.conversationId)).toHaveLength(1);
  });

  it('answers in the stored preference of the customer over the language of the message', async () => {
    // Prepare
    const identity = { kind: 'email', value: 'ayse@example.com' } as const;
    await deps.customers.createWithIdentity(
      { id: 'c-en', language: 'en', consent: {}, identities: [identity], createdAt: NOW.toISOString() },
      identity,
    );

    // Act
    await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });

    // Assess
    expect(deps.outbound.sent[0]?.language).toBe('en');
  });

  it('quarantines mail with a failed virus scan: no acknowledgement, attachments not stored', async () => {
    // Prepare
    const content = new Uint8Array([77, 90, 144, 0]);

    // Act
    const result = await receiveInbound(deps, {
      message: email({ id: 'v1', verdicts: { virus: 'FAIL' } }),
      attachments: [{ filename: 'invoice.exe', contentType: 'application/octet-stream', size: 4, content }],
    });

    // Assess
    expect(result.autoReply.queued).toBe(false);
    expect(result.autoReply.reasons).toContain('virus');
    expect(deps.conversations.conversations.get(result.conversationId)?.status).toBe('quarantined');
    expect(deps.attachments.objects.size).toBe(0);
    const [stored] = deps.conversations.messagesOf(result.conversationId);
    expect(stored?.attachments[0]?.skippedReason).toMatch(/virus/);
  });

  it('stores attachments within the limits and records the others with the reason', async () => {
    // Prepare
    const small = new Uint8Array(10);
    const limit = sandboxSupportConfig.attachments.maxBytesEach;

    // Act
    const result = await receiveInbound(deps, {
      message: email({ id: 'a1' }),
      attachments: [
        { filename: 'photo.jpg', contentType: 'image/jpeg', size: 10, content: small },
        { filename: 'video.mov', contentType: 'video/quicktime', size: limit + 1, content: small },
      ],
    });

    // Assess
    const [stored] = deps.conversations.messagesOf(result.conversationId);
    expect(stored?.attachments).toEqual([
      expect.objectContaining({ filename: 'photo.jpg', objectKey: expect.stringContaining('photo.jpg') }),
      expect.objectContaining({ filename: 'video.mov', skippedReason: expect.stringMatching(/larger than/) }),
    ]);
    expect(deps.attachments.objects.size).toBe(1);
  });

  it('sends no acknowledgement to a second new conversation inside the auto-reply window', async () => {
    // Prepare
    await receiveInbound(deps, { message: email({ id: 'm1' }), attachments: [] });

    // Act
    const second = await receiveInbound(deps, {
      message: email({ id: 'm2', subject: 'Başka bir soru' }),
      attachments: [],
    });

    // Assess
    expect(second.autoReply).toEqual({ queued: false, reasons: ['window'] });
    expect(deps.conversations.conversations.size).toBe(2);
  });
});
