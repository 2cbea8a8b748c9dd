import { beforeEach, describe, expect, it } from 'vitest';
import { organizationalDomain } from '../../../functions/channels/email/organizational-domain.ts';
import type { SupportConfig } from '../../../functions/core/config.ts';
import { receiveInbound } from '../../../functions/core/conversations/receive-inbound.ts';
import type { InboundMessage, MailAuthenticationHints, MailVerdicts } from '../../../functions/core/model.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { MemoryAutoResponseBudget } from '../../support/in-memory-ports.ts';
import { memoryEmailDeps } from '../../support/inbound-deps.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const PASS: MailVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
/** SES's verdicts for a forgery of a From domain without a DMARC record: SPF passed, for the attacker. */
const FORGED_VERDICTS: MailVerdicts = { ...PASS, dkim: 'GRAY', dmarc: 'GRAY' };
const ATTACKER_ENVELOPE: MailAuthenticationHints = {
  fromDomain: 'example.com',
  envelopeDomain: 'attacker.example',
  dkimDomains: [],
};

function email(
  id: string,
  options: {
    from?: string;
    verdicts?: MailVerdicts;
    authentication?: MailAuthenticationHints;
    inReplyTo?: string;
  } = {},
): InboundMessage {
  const from = options.from ?? 'ayse@example.com';
  return {
    channel: 'email',
    providerMessageId: id,
    from: { kind: 'email', value: from },
    fromName: 'Ayşe Yılmaz',
    receivedAt: NOW.toISOString(),
    subject: 'Siparişim nerede?',
    text: 'Merhaba, geçen hafta verdiğim sipariş hâlâ gelmedi. Kargom nerede?',
    attachments: [],
    email: {
      threading: {
        messageId: `${id}@mail.example.com`,
        inReplyTo: options.inReplyTo ? [options.inReplyTo] : [],
        references: options.inReplyTo ? [options.inReplyTo] : [],
      },
      signals: { returnPath: from, subject: 'Siparişim nerede?' },
      verdicts: options.verdicts ?? PASS,
      // As the email channel computes them: organizational domains, the envelope at the From's.
      authentication: options.authentication ?? {
        fromDomain: organizationalDomain(from.split('@')[1] ?? ''),
        envelopeDomain: organizationalDomain(from.split('@')[1] ?? ''),
        dkimDomains: [],
      },
      recipients: ['support@support.example.com'],
    },
  };
}

let deps: ReturnType<typeof memoryEmailDeps<{ autoResponseBudget: MemoryAutoResponseBudget }>>;

beforeEach(() => {
  deps = memoryEmailDeps(NOW, { autoResponseBudget: new MemoryAutoResponseBudget() });
});

describe('receiveInbound of mail whose sender is not authenticated', () => {
  it('stores it flagged on the message and the conversation and sends nothing', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: email('m1', { verdicts: FORGED_VERDICTS, authentication: ATTACKER_ENVELOPE }),
      attachments: [],
    });

    // Assess
    expect(result.autoReply.queued).toBe(false);
    expect(result.autoReply.reasons).toContain('unauthenticated');
    expect(deps.outbound.sent).toEqual([]);
    expect(deps.conversations.messagesOf(result.conversationId)[0]?.flags).toContain('unauthenticated');
    expect(deps.conversations.conversations.get(result.conversationId)?.flags).toContain('unauthenticated');
  });

  it("never joins the conversation of the customer it claims to be, even with that thread's references", async () => {
    // Prepare
    const genuine = await receiveInbound(deps, { message: email('m1'), attachments: [] });
    const forged = email('m2', {
      verdicts: FORGED_VERDICTS,
      authentication: ATTACKER_ENVELOPE,
      inReplyTo: 'm1@mail.example.com',
    });

    // Act
    const result = await receiveInbound(deps, { message: forged, attachments: [] });

    // Assess
    expect(result.conversationId).not.toBe(genuine.conversationId);
    expect(deps.conversations.messagesOf(genuine.conversationId)).toHaveLength(1);
    expect(deps.conversations.conversations.get(genuine.conversationId)?.flags ?? []).not.toContain(
      'unauthenticated',
    );
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('is threaded like any mail once its SPF pass is aligned with the From domain', async () => {
    // Prepare
    const genuine = await receiveInbound(deps, { message: email('m1'), attachments: [] });
    const reply = email('m2', {
      verdicts: FORGED_VERDICTS,
      authentication: { fromDomain: 'example.com', envelopeDomain: 'example.com', dkimDomains: [] },
      inReplyTo: 'm1@mail.example.com',
    });

    // Act
    const result = await receiveInbound(deps, { message: reply, attachments: [] });

    // Assess
    expect(result.conversationId).toBe(genuine.conversationId);
    expect(deps.conversations.messagesOf(genuine.conversationId)[1]?.flags ?? []).not.toContain(
      'unauthenticated',
    );
  });
});

describe('the acknowledgement of an email', () => {
  it('has a neutral subject with the reference and greets by the name on the customer record only', async () => {
    // Prepare: the shop knows her as "Ayşe"; the mail calls itself something else.
    const first = await receiveInbound(deps, { message: email('m1'), attachments: [] });
    const customer = deps.customers.customers.get(first.customerId);
    expect(customer?.name).toBeUndefined();
    deps.customers.customers.set(first.customerId, {
      ...(customer as NonNullable<typeof customer>),
      name: 'Ayşe',
      lastAutoReplyAt: undefined,
      lastAutoReplyKey: undefined,
    });
    const second = { ...email('m2'), fromName: 'Click evil.example', subject: 'Log in at evil.example' };

    // Act
    await receiveInbound(deps, { message: second, attachments: [] });

    // Assess
    const [, ack] = deps.outbound.sent;
    expect(ack?.subject).toMatch(/^Mesajınızı aldık \[#[0-9A-Z-]+\]$/);
    expect(ack?.text.startsWith('Merhaba Ayşe,\n')).toBe(true);
    expect(JSON.stringify(ack)).not.toContain('evil.example');
  });
});

describe('auto-response budgets', () => {
  function withBudget(budget: SupportConfig['autoResponseBudget']) {
    deps = memoryEmailDeps(NOW, {
      autoResponseBudget: new MemoryAutoResponseBudget(),
      config: { ...sandboxSupportConfig, autoResponseBudget: budget },
    });
  }

  it('answers at most N senders of one organizational domain per hour, subdomains included', async () => {
    // Prepare
    withBudget({ perSenderDomainPerHour: 2, perHour: 100 });
    const senders = ['a@flood.example', 'b@mx1.flood.example', 'c@mx2.flood.example'];

    // Act
    const results = [];
    for (const [i, from] of senders.entries()) {
      results.push(await receiveInbound(deps, { message: email(`m${i}`, { from }), attachments: [] }));
    }
    const otherDomain = await receiveInbound(deps, {
      message: email('m-other', { from: 'ayse@example.com' }),
      attachments: [],
    });

    // Assess
    expect(results.map((r) => r.autoReply.queued)).toEqual([true, true, false]);
    expect(results[2]?.autoReply.reasons).toEqual(['over-budget']);
    expect(otherDomain.autoReply.queued).toBe(true);
    expect(deps.outbound.sent).toHaveLength(3);
  });

  it('stops every automatic response at the global ceiling and starts again the next hour', async () => {
    // Prepare
    withBudget({ perSenderDomainPerHour: 100, perHour: 2 });
    const senders = ['a@one.example', 'b@two.example', 'c@three.example'];

    // Act
    const results = [];
    for (const [i, from] of senders.entries()) {
      results.push(await receiveInbound(deps, { message: email(`m${i}`, { from }), attachments: [] }));
    }
    const nextHour = new Date(NOW.getTime() + 3_600_000);
    const later = await receiveInbound(
      { ...deps, clock: { now: () => nextHour } },
      {
        message: { ...email('m-later', { from: 'd@four.example' }), receivedAt: nextHour.toISOString() },
        attachments: [],
      },
    );

    // Assess
    expect(results.map((r) => r.autoReply.queued)).toEqual([true, true, false]);
    expect(results[2]?.autoReply.reasons).toEqual(['over-budget']);
    expect(later.autoReply.queued).toBe(true);
  });
});

describe('receiveInbound of a mail whose channel could not read all of it', () => {
  it('stores the parts it could not read with the reason, and the flags', async () => {
    // Prepare
    const notRead = {
      filename: 'parts-not-read',
      contentType: 'multipart/mixed',
      size: 90_000,
      skippedReason: 'not read: 501 MIME parts after the first 1000; the original is kept in the mail bucket',
    };
    const message = { ...email('m1'), attachments: [notRead], flags: ['truncated', 'mime-parts-dropped'] };

    // Act
    const result = await receiveInbound(deps, { message, attachments: [] });

    // Assess
    const [stored] = deps.conversations.messagesOf(result.conversationId);
    expect(stored?.attachments).toEqual([notRead]);
    expect(stored?.flags).toEqual(expect.arrayContaining(['truncated', 'mime-parts-dropped']));
    expect(result.autoReply.queued).toBe(true);
  });
});
