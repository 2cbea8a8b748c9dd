import { describe, expect, it } from 'vitest';
import {
  type AutoReplyCandidate,
  type AutoReplySuppression,
  autoReplySuppressions,
  isAutoReplyWindowOpen,
} from '../../../functions/core/auto-reply/policy.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import type {
  Identity,
  MailAuthenticationHints,
  MailAutomationSignals,
  MailVerdicts,
} from '../../../functions/core/model.ts';

const OWN_ADDRESSES = ['support@shop.example', 'orders@shop.example', '+908501234567'];

const customer: Identity = { kind: 'email', value: 'ayse@example.com' };

const passingVerdicts: MailVerdicts = {
  spam: 'PASS',
  virus: 'PASS',
  spf: 'PASS',
  dkim: 'PASS',
  dmarc: 'PASS',
};

/** What a person's mail client sends: a subject, an envelope sender, nothing automatic. */
const humanSignals: MailAutomationSignals = {
  returnPath: 'ayse@example.com',
  subject: 'Where is my order?',
  contentType: 'multipart/alternative; boundary="b1"',
};

/** What the raw headers of her mail say (as organizational domains): her envelope, her signature. */
const ownDomainHints: MailAuthenticationHints = {
  fromDomain: 'example.com',
  envelopeDomain: 'example.com',
  dkimDomains: ['example.com'],
};

function email(
  signals: Partial<MailAutomationSignals> = {},
  verdicts: Partial<MailVerdicts> = {},
  from: Identity = customer,
  /** `null`: a message built without its raw headers. */
  authentication: MailAuthenticationHints | null = ownDomainHints,
): AutoReplyCandidate {
  return {
    from,
    email: {
      signals: { ...humanSignals, ...signals },
      verdicts: { ...passingVerdicts, ...verdicts },
      ...(authentication ? { authentication } : {}),
    },
  };
}

/** DMARC has no verdict (the From domain publishes no policy): SPF or DKIM must pass aligned. */
const noDmarc = (verdicts: Partial<MailVerdicts>): Partial<MailVerdicts> => ({ dmarc: 'GRAY', ...verdicts });

describe('autoReplySuppressions', () => {
  it('finds nothing in a clean mail from a person', () => {
    // Prepare
    const input = email();

    // Act
    const reasons = autoReplySuppressions(input, OWN_ADDRESSES);

    // Assess
    expect(reasons).toEqual([]);
  });

  describe.each<[string, AutoReplyCandidate, AutoReplySuppression | undefined]>([
    // Auto-Submitted (RFC 3834 §5)
    ['Auto-Submitted: auto-replied', email({ autoSubmitted: 'auto-replied' }), 'auto-submitted'],
    ['Auto-Submitted: auto-generated', email({ autoSubmitted: 'auto-generated' }), 'auto-submitted'],
    ['Auto-Submitted: Auto-Notified (case)', email({ autoSubmitted: 'Auto-Notified' }), 'auto-submitted'],
    [
      'Auto-Submitted with parameters',
      email({ autoSubmitted: 'auto-replied; owner-email="me@example.com"' }),
      'auto-submitted',
    ],
    ['Auto-Submitted: no', email({ autoSubmitted: 'no' }), undefined],
    ['Auto-Submitted: NO with comment-ish parameters', email({ autoSubmitted: ' NO ; x=y' }), undefined],
    ['Auto-Submitted present but empty', email({ autoSubmitted: '' }), 'auto-submitted'],
    ['X-Autoreply present', email({ xAutoreply: 'yes' }), 'auto-submitted'],
    // Precedence
    ['Precedence: bulk', email({ precedence: 'bulk' }), 'precedence'],
    ['Precedence: List', email({ precedence: 'List' }), 'precedence'],
    ['Precedence: junk', email({ precedence: ' junk ' }), 'precedence'],
    ['Precedence: auto_reply', email({ precedence: 'auto_reply' }), 'precedence'],
    ['Precedence: first-class', email({ precedence: 'first-class' }), undefined],
    // Mailing lists
    ['List-Id', email({ listId: 'Shop news <news.shop.example>' }), 'mailing-list'],
    ['List-Unsubscribe', email({ listUnsubscribe: '<mailto:unsubscribe@news.example>' }), 'mailing-list'],
    // X-Auto-Response-Suppress (Exchange)
    ['X-Auto-Response-Suppress: All', email({ xAutoResponseSuppress: 'All' }), 'suppress-header'],
    [
      'X-Auto-Response-Suppress: DR, OOF, AutoReply',
      email({ xAutoResponseSuppress: 'DR, OOF, AutoReply' }),
      'suppress-header',
    ],
    [
      'X-Auto-Response-Suppress: autoreply (case)',
      email({ xAutoResponseSuppress: 'autoreply' }),
      'suppress-header',
    ],
    [
      'X-Auto-Response-Suppress: DR, RN, NRN (receipts only)',
      email({ xAutoResponseSuppress: 'DR, RN, NRN' }),
      undefined,
    ],
    // Envelope and sender
    ['null sender (empty Return-Path)', email({ returnPath: '' }), 'null-sender'],
    ['null sender written as <>', email({ returnPath: '<>' }), 'null-sender'],
    ...(
      [
        'MAILER-DAEMON@mx.example.com',
        'postmaster@example.com',
        'bounce@example.com',
        'Bounces+abc=example.com@mail.example.net',
        'listserv@lists.example.org',
        'majordomo@lists.example.org',
      ] as const
    ).map((address): [string, AutoReplyCandidate, AutoReplySuppression] => [
      `system sender ${address}`,
      email({}, {}, { kind: 'email', value: address }),
      'system-sender',
    ]),
    ...(
      [
        'no-reply@example.com',
        'noreply@example.com',
        'NoReply@example.com',
        'do-not-reply@example.com',
        'donotreply@example.com',
        'no_reply@example.com',
        'no-reply-orders@example.com',
      ] as const
    ).map((address): [string, AutoReplyCandidate, AutoReplySuppression] => [
      `no-reply sender ${address}`,
      email({}, {}, { kind: 'email', value: address }),
      'no-reply-sender',
    ]),
    [
      'a person whose name starts like a system word',
      email({}, {}, { kind: 'email', value: 'bouncer.ali@example.com' }),
      undefined,
    ],
    ['a person called Noreen', email({}, {}, { kind: 'email', value: 'noreen@example.com' }), undefined],
    // Our own addresses
    ['our support address', email({}, {}, { kind: 'email', value: 'support@shop.example' }), 'own-address'],
    [
      'our support address in capitals',
      email({}, {}, { kind: 'email', value: 'Support@Shop.Example' }),
      'own-address',
    ],
    [
      'a subaddress of ours (reply token)',
      email({}, {}, { kind: 'email', value: 'support+c-k7q2@shop.example' }),
      'own-address',
    ],
    [
      'another mailbox at our domain is not ours',
      email({}, {}, { kind: 'email', value: 'ceo@shop.example' }),
      undefined,
    ],
    ['X-Loop with our address', email({ xLoop: ['Support <support@shop.example>'] }), 'loop'],
    ['X-Loop with our subaddress', email({ xLoop: ['other@x.example', 'support+abc@shop.example'] }), 'loop'],
    ['X-Loop of someone else', email({ xLoop: ['helpdesk@vendor.example'] }), undefined],
    // Out-of-office subjects without RFC 3834 headers
    [
      'subject Out of Office',
      email({ subject: 'Out of Office: Where is my order?' }),
      'out-of-office-subject',
    ],
    [
      'subject Out-of-office (hyphens)',
      email({ subject: 'Out-of-office until Monday' }),
      'out-of-office-subject',
    ],
    [
      'subject Automatic reply',
      email({ subject: 'Automatic reply: Re: your order' }),
      'out-of-office-subject',
    ],
    ['subject Auto:', email({ subject: 'Auto: Re: your order' }), 'out-of-office-subject'],
    ['subject Autoreply', email({ subject: 'AutoReply - away' }), 'out-of-office-subject'],
    ['subject Otomatik yanıt', email({ subject: 'Otomatik yanıt: Siparişiniz' }), 'out-of-office-subject'],
    [
      'subject OTOMATİK YANIT (Turkish capitals)',
      email({ subject: 'OTOMATİK YANIT: Siparişiniz' }),
      'out-of-office-subject',
    ],
    ['subject Ofis dışında', email({ subject: 'Ofis dışında' }), 'out-of-office-subject'],
    [
      'subject Abwesenheitsnotiz',
      email({ subject: 'Abwesenheitsnotiz: Ihre Bestellung' }),
      'out-of-office-subject',
    ],
    [
      'subject Réponse automatique',
      email({ subject: 'Réponse automatique : commande' }),
      'out-of-office-subject',
    ],
    [
      'a subject that only mentions the office',
      email({ subject: 'My order for the office is late' }),
      undefined,
    ],
    // Reports
    [
      'multipart/report',
      email({ contentType: 'multipart/report; report-type=delivery-status' }),
      'delivery-report',
    ],
    ['Multipart/Report (case)', email({ contentType: 'Multipart/Report' }), 'delivery-report'],
    // Verdicts
    ['virus FAIL', email({}, { virus: 'FAIL' }), 'virus'],
    ['spam FAIL', email({}, { spam: 'FAIL' }), 'spam'],
    ['spam GRAY is still answered', email({}, { spam: 'GRAY' }), undefined],
    ['DMARC FAIL', email({}, { dmarc: 'FAIL' }), 'unauthenticated'],
    ['neither SPF nor DKIM PASS', email({}, noDmarc({ spf: 'FAIL', dkim: 'GRAY' })), 'unauthenticated'],
    ['DMARC PASS is enough alone', email({}, { spf: 'FAIL', dkim: 'GRAY' }, customer, null), undefined],
    ['aligned SPF PASS is enough', email({}, noDmarc({ dkim: 'FAIL' })), undefined],
    ['aligned DKIM PASS is enough', email({}, noDmarc({ spf: 'FAIL' })), undefined],
    [
      "SPF PASS for the attacker's own envelope domain",
      email({}, noDmarc({ dkim: 'FAIL' }), customer, {
        fromDomain: 'example.com',
        envelopeDomain: 'attacker.example',
        dkimDomains: [],
      }),
      'unauthenticated',
    ],
    [
      "DKIM PASS for the attacker's own signature",
      email({}, noDmarc({ spf: 'FAIL' }), customer, {
        fromDomain: 'example.com',
        dkimDomains: ['attacker.example'],
      }),
      'unauthenticated',
    ],
    [
      "DKIM PASS beside a signature of the attacker's (the pass may be theirs)",
      email({}, noDmarc({ spf: 'FAIL' }), customer, {
        fromDomain: 'example.com',
        dkimDomains: ['example.com', 'attacker.example'],
      }),
      'unauthenticated',
    ],
    [
      'DKIM PASS for a signature whose domain could not be read',
      email({}, noDmarc({ spf: 'FAIL' }), customer, { fromDomain: 'example.com', dkimDomains: [''] }),
      'unauthenticated',
    ],
    [
      'SPF and DKIM PASS without the raw headers to align them',
      email({}, noDmarc({}), customer, null),
      'unauthenticated',
    ],
  ])('%s', (_case, input, expected) => {
    it(expected === undefined ? 'is eligible' : `→ ${expected}`, () => {
      // Prepare
      const own = OWN_ADDRESSES;

      // Act
      const reasons = autoReplySuppressions(input, own);

      // Assess
      expect(reasons).toEqual(expected === undefined ? [] : [expected]);
    });
  });

  it('reports every reason of a typical bounce, each once, in a stable order', () => {
    // Prepare
    const bounce = email(
      {
        autoSubmitted: 'auto-replied',
        xAutoreply: 'yes',
        returnPath: '',
        subject: 'Undelivered Mail Returned to Sender',
        contentType: 'multipart/report; report-type=delivery-status',
      },
      noDmarc({ spf: 'GRAY', dkim: 'GRAY' }),
      { kind: 'email', value: 'MAILER-DAEMON@mx.example.com' },
    );

    // Act
    const reasons = autoReplySuppressions(bounce, OWN_ADDRESSES);

    // Assess
    expect(reasons).toEqual([
      'auto-submitted',
      'null-sender',
      'system-sender',
      'unauthenticated',
      'delivery-report',
    ]);
  });

  it('reports every reason of a newsletter that is also spam', () => {
    // Prepare
    const newsletter = email(
      {
        precedence: 'bulk',
        listId: '<news.example>',
        listUnsubscribe: '<https://news.example/u>',
        xAutoResponseSuppress: 'OOF',
      },
      { spam: 'FAIL', virus: 'FAIL', dmarc: 'FAIL' },
      { kind: 'email', value: 'noreply@news.example' },
    );

    // Act
    const reasons = autoReplySuppressions(newsletter, OWN_ADDRESSES);

    // Assess
    expect(reasons).toEqual([
      'precedence',
      'mailing-list',
      'suppress-header',
      'no-reply-sender',
      'spam',
      'virus',
      'unauthenticated',
    ]);
  });

  it('reports our own echo both as own address and loop', () => {
    // Prepare
    const echo = email(
      { autoSubmitted: 'auto-replied', xLoop: ['support@shop.example'] },
      {},
      { kind: 'email', value: 'support@shop.example' },
    );

    // Act
    const reasons = autoReplySuppressions(echo, OWN_ADDRESSES);

    // Assess
    expect(reasons).toEqual(['auto-submitted', 'own-address', 'loop']);
  });

  describe('other channels', () => {
    it.each<[string, Identity, AutoReplySuppression[]]>([
      ['an SMS from a customer', { kind: 'phone', value: '+905551112233' }, []],
      ['an SMS from our own number', { kind: 'phone', value: '+908501234567' }, ['own-address']],
      [
        'a WhatsApp message from our own number',
        { kind: 'whatsapp', value: '+908501234567' },
        ['own-address'],
      ],
      ['a Messenger user that happens to be called noreply', { kind: 'messenger', value: 'noreply' }, []],
    ])('%s → %j', (_case, from, expected) => {
      // Prepare
      const input: AutoReplyCandidate = { from };

      // Act
      const reasons = autoReplySuppressions(input, OWN_ADDRESSES);

      // Assess
      expect(reasons).toEqual(expected);
    });

    it('still checks the sender of an email identity that comes without mail signals', () => {
      // Prepare
      const input: AutoReplyCandidate = { from: { kind: 'email', value: 'no-reply@example.com' } };

      // Act
      const reasons = autoReplySuppressions(input, OWN_ADDRESSES);

      // Assess
      expect(reasons).toEqual(['no-reply-sender']);
    });
  });

  it('ignores case and blanks in the configured own addresses', () => {
    // Prepare
    const own = ['  Support@Shop.Example ', ''];
    const input = email({}, {}, { kind: 'email', value: 'support@shop.example' });

    // Act
    const reasons = autoReplySuppressions(input, own);

    // Assess
    expect(reasons).toEqual(['own-address']);
  });
});

describe('isAutoReplyWindowOpen', () => {
  const now = new Date('2026-03-06T12:00:00Z');

  it.each([
    ['never auto-replied', undefined, true],
    ['last auto-reply a day and a minute ago', '2026-03-05T11:59:00Z', true],
    ['last auto-reply exactly one window ago', '2026-03-05T12:00:00Z', true],
    ['last auto-reply one minute inside the window', '2026-03-05T12:01:00Z', false],
    ['last auto-reply just now', '2026-03-06T12:00:00Z', false],
    ['last auto-reply in the future (clock skew)', '2026-03-06T12:05:00Z', false],
    ['timestamp with an offset', '2026-03-06T14:30:00+03:00', false],
  ])('%s → %s', (_case, lastAutoReplyAt, expected) => {
    // Prepare
    const windowMinutes = 1_440;

    // Act
    const open = isAutoReplyWindowOpen(lastAutoReplyAt, now, windowMinutes);

    // Assess
    expect(open).toBe(expected);
  });

  it('rejects a stored timestamp that is not a date', () => {
    // Prepare
    const corrupted = 'yesterday';

    // Act
    const act = () => isAutoReplyWindowOpen(corrupted, now, 60);

    // Assess
    expect(act).toThrow(InvalidInputError);
  });
});
