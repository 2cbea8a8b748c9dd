import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageOfPhoneCountry } from '../../../functions/channels/meta/language-hint.ts';
import { parseMetaWebhook } from '../../../functions/channels/meta/parse-webhook.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';

/** One real-shaped webhook body per file under test/fixtures/meta/. */
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/meta/${name}.json`, import.meta.url), 'utf8'));
}

const AT = '2026-11-23T10:00:00.000Z';

describe('parseMetaWebhook: WhatsApp', () => {
  it('reads a text message: wamid, sender as an E.164 phone identity, profile name, time', () => {
    // Act
    const { messages, statuses } = parseMetaWebhook(fixture('whatsapp-text'));

    // Assess
    expect(statuses).toEqual([]);
    expect(messages).toEqual([
      {
        channel: 'whatsapp',
        providerMessageId: 'wamid.HBgMOTA1MzIxMjM0NTY3FQIAEhggFIXTURE0001AA==',
        from: { kind: 'phone', value: '+905321234567' },
        fromName: 'Ayşe Yılmaz',
        // A Turkish number: Turkish, should the message have no text to detect it from.
        languageHint: 'tr',
        receivedAt: AT,
        replyTo: undefined,
        text: 'Merhaba, siparişim nerede?',
        attachments: [],
        flags: [],
      },
    ]);
  });

  it.each([
    ['whatsapp-image-with-caption', 'image', '1479537139650973', 'image/jpeg', 'Hasarlı geldi'],
    ['whatsapp-audio-voice-note', 'audio', '1003383421387256', 'audio/ogg; codecs=opus', undefined],
    ['whatsapp-video', 'video', '1218391332578543', 'video/mp4', undefined],
    ['whatsapp-document', 'document', '3310925469094812', 'application/pdf', 'Fatura'],
    ['whatsapp-sticker', 'sticker', '1033486561698203', 'image/webp', undefined],
  ])(
    'keeps %s as a media reference (type, id, MIME type, caption), not downloaded',
    (name, type, id, mime, caption) => {
      // Act
      const [message] = parseMetaWebhook(fixture(name)).messages;

      // Assess
      expect(message?.text).toBe(caption ?? '');
      expect(message?.attachments).toHaveLength(1);
      expect(message?.attachments[0]).toMatchObject({
        contentType: mime,
        size: 0,
        media: { type, id, caption },
      });
      expect(message?.attachments[0]?.objectKey).toBeUndefined();
      expect(message?.attachments[0]?.skippedReason).toMatch(/media reference/);
      expect(message?.flags).toEqual([type === 'sticker' ? 'sticker' : 'media']);
    },
  );

  it('names a document by its file name', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('whatsapp-document')).messages;

    // Assess
    expect(message?.attachments[0]?.filename).toBe('fatura-100234.pdf');
  });

  it('describes a location with its name, address and coordinates', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('whatsapp-location')).messages;

    // Assess
    expect(message?.text).toBe(
      '[location] Kadıköy Kargo Şubesi, Caferağa Mah., Kadıköy, İstanbul (41.0422, 29.0083)',
    );
    expect(message?.flags).toEqual(['location']);
  });

  it.each([
    ['whatsapp-interactive-button-reply', 'Kargom nerede?', 'wamid.OURBUTTONMESSAGE'],
    ['whatsapp-interactive-list-reply', 'İade', undefined],
    ['whatsapp-template-quick-reply-button', 'Stop promotions', 'wamid.OURTEMPLATEMESSAGE'],
  ])('reads %s as the title the customer tapped', (name, text, replyTo) => {
    // Act
    const [message] = parseMetaWebhook(fixture(name)).messages;

    // Assess
    expect(message?.text).toBe(text);
    expect(message?.flags).toEqual(['button-reply']);
    expect(message?.replyTo).toBe(replyTo);
  });

  it('reads a reaction with its emoji, and one that removes a reaction', () => {
    // Act
    const [added] = parseMetaWebhook(fixture('whatsapp-reaction')).messages;
    const [removed] = parseMetaWebhook(fixture('whatsapp-reaction-removed')).messages;

    // Assess
    expect(added).toMatchObject({ text: '[reaction 👍]', flags: ['reaction'] });
    expect(removed).toMatchObject({ text: '[reaction removed]', flags: ['reaction'] });
  });

  it('keeps the id of the message a reply answers (context.id)', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('whatsapp-reply-with-context')).messages;

    // Assess
    expect(message?.replyTo).toBe('wamid.OURACKNOWLEDGEMENT');
    expect(message?.text).toBe('Evet, bu sipariş');
  });

  it('stores an unsupported message with a placeholder naming what it was', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('whatsapp-unsupported-type')).messages;

    // Assess
    expect(message?.text).toBe('[unsupported message type: poll_creation]');
    expect(message?.flags).toEqual(['unsupported-type']);
  });

  it('never lets an unknown or malformed message block its neighbours, and keeps their order', () => {
    // Act
    const { messages } = parseMetaWebhook(fixture('whatsapp-unknown-type-between-texts'));

    // Assess
    expect(messages.map((m) => m.text)).toEqual([
      'Birinci',
      '[unsupported message type: order]',
      '[unsupported message type: image]',
      'İkinci',
    ]);
    const times = messages.map((m) => m.receivedAt);
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(4);
  });

  it('keeps a message with an unreadable timestamp, at the time we took the delivery, flagged', () => {
    // Act
    const { messages, unreadable } = parseMetaWebhook(fixture('whatsapp-bad-timestamp-neighbour'), {
      receivedAt: '2026-11-23T10:00:07.000Z',
    });

    // Assess
    expect(messages.map((m) => m.text)).toEqual(['Zamanı bozuk', 'Sağlam']);
    expect(messages[0]).toMatchObject({
      receivedAt: '2026-11-23T10:00:07.000Z',
      flags: expect.arrayContaining(['timestamp-unreadable']),
    });
    expect(unreadable).toEqual([]);
  });

  it('keeps a sender that libphonenumber does not validate on a whatsapp identity as given, flagged', () => {
    // Act
    const { messages } = parseMetaWebhook(fixture('whatsapp-invalid-sender-number'));

    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      from: { kind: 'whatsapp', value: '12' },
      fromName: 'Ayşe Yılmaz',
      text: 'hi',
      flags: ['sender-not-normalised'],
    });
  });

  it('keeps a username user’s message (no wa_id, a business-scoped from_user_id) on a whatsapp identity', () => {
    // Act
    const { messages } = parseMetaWebhook(fixture('whatsapp-username-user-without-wa-id'));

    // Assess
    expect(messages).toEqual([
      expect.objectContaining({
        from: { kind: 'whatsapp', value: 'TR.1502576394655843' },
        fromName: 'Deniz',
        flags: ['sender-not-normalised'],
      }),
    ]);
  });

  it.each([
    ['whatsapp-message-without-sender', 'whatsapp message without sender (no from, no from_user_id)'],
    ['whatsapp-array-entries', 'entry 0 is not an object'],
  ])('names what it could not read in %s, instead of dropping it', (name, reason) => {
    // Act
    const { messages, unreadable } = parseMetaWebhook(fixture(name));

    // Assess
    expect(messages).toEqual([]);
    expect(unreadable).toEqual([reason]);
  });

  it.each([
    ['whatsapp-status-sent', 'sent', '2026-11-23T10:00:01.000Z'],
    ['whatsapp-status-read', 'read', '2026-11-23T10:01:00.000Z'],
  ])('reads %s as a delivery status, not a message', (name, status, at) => {
    // Act
    const { messages, statuses } = parseMetaWebhook(fixture(name));

    // Assess
    expect(messages).toEqual([]);
    expect(statuses).toEqual([
      { channel: 'whatsapp', providerMessageId: 'wamid.OURACKNOWLEDGEMENT', status, at, reason: undefined },
    ]);
  });

  it('gives a failed status its error code and title, never the details that quote the number', () => {
    // Act
    const [status] = parseMetaWebhook(fixture('whatsapp-status-failed')).statuses;

    // Assess
    expect(status?.status).toBe('failed');
    expect(status?.reason).toBe('WhatsApp error 131047: Re-engagement message');
    expect(status?.reason).not.toContain('905321234567');
  });

  it('ignores statuses it does not track and changes that are not messages', () => {
    // Act
    const deleted = parseMetaWebhook(fixture('whatsapp-status-deleted'));
    const account = parseMetaWebhook(fixture('whatsapp-account-update-field'));

    // Assess
    expect(deleted.statuses).toEqual([]);
    expect(deleted.ignored).toEqual(['whatsapp status "deleted"']);
    expect(account.messages).toEqual([]);
    expect(account.ignored).toEqual(['whatsapp change field "account_update"']);
  });
});

describe('parseMetaWebhook: Messenger and Instagram', () => {
  it('reads a Messenger text with the PSID as a messenger identity and the millisecond time', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('messenger-text')).messages;

    // Assess
    expect(message).toMatchObject({
      channel: 'messenger',
      providerMessageId: 'm_FIXTUREMESSENGER0001',
      from: { kind: 'messenger', value: '6789012345678901' },
      receivedAt: AT,
      text: 'Hi, where is my order?',
      attachments: [],
    });
  });

  it('keeps a Messenger image as a reference to its URL', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('messenger-image')).messages;

    // Assess
    expect(message?.attachments[0]?.media).toMatchObject({
      type: 'image',
      url: expect.stringMatching(/^https:\/\/scontent/),
    });
  });

  it('reads the like button as a sticker', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('messenger-like-sticker')).messages;

    // Assess
    expect(message?.flags).toEqual(['sticker']);
    expect(message?.attachments[0]?.media).toMatchObject({ type: 'sticker', id: '369239263222822' });
  });

  it('reads a shared location', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('messenger-location')).messages;

    // Assess
    expect(message?.text).toBe('[location] (41.0422, 29.0083)');
  });

  it('ignores an echo of our own page message', () => {
    // Act
    const { messages, ignored } = parseMetaWebhook(fixture('messenger-echo'));

    // Assess
    expect(messages).toEqual([]);
    expect(ignored).toEqual(['messenger echo']);
  });

  it('reads a postback and a quick reply as button replies', () => {
    // Act
    const [postback] = parseMetaWebhook(fixture('messenger-postback')).messages;
    const [quick] = parseMetaWebhook(fixture('messenger-quick-reply')).messages;

    // Assess
    expect(postback).toMatchObject({ providerMessageId: 'm_FIXTUREPOSTBACK', text: 'Track my order' });
    expect(postback?.flags).toEqual(['button-reply']);
    expect(quick).toMatchObject({ text: 'Returns', flags: ['button-reply'] });
  });

  it('reads a reaction with a stable id and the message it reacts to', () => {
    // Act
    const first = parseMetaWebhook(fixture('messenger-reaction')).messages[0];
    const again = parseMetaWebhook(fixture('messenger-reaction')).messages[0];

    // Assess
    expect(first).toMatchObject({ text: '[reaction ❤]', flags: ['reaction'], replyTo: 'm_OURREPLY' });
    expect(first?.providerMessageId).toBe(again?.providerMessageId);
  });

  it('keeps the mid a reply answers', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('messenger-reply-to')).messages;

    // Assess
    expect(message?.replyTo).toBe('m_OURREPLY');
  });

  it('turns a delivery receipt into a delivered status per mid, and ignores read watermarks', () => {
    // Act
    const delivery = parseMetaWebhook(fixture('messenger-delivery'));
    const read = parseMetaWebhook(fixture('messenger-read'));

    // Assess
    expect(delivery.statuses.map((s) => [s.providerMessageId, s.status])).toEqual([
      ['m_OURREPLY', 'delivered'],
      ['m_OUROTHERREPLY', 'delivered'],
    ]);
    expect(read.statuses).toEqual([]);
    expect(read.messages).toEqual([]);
    expect(read.ignored).toEqual(['messenger read watermark']);
  });

  it('reads an Instagram text with the IGSID as an instagram identity', () => {
    // Act
    const [message] = parseMetaWebhook(fixture('instagram-text')).messages;

    // Assess
    expect(message).toMatchObject({
      channel: 'instagram',
      from: { kind: 'instagram', value: '1234567890123456' },
      text: 'What are your opening hours?',
    });
  });

  it.each([
    ['instagram-story-mention', '[story_mention]'],
    ['instagram-unsupported', '[unsupported message type: unsupported]'],
  ])('stores %s with a placeholder', (name, text) => {
    // Act
    const [message] = parseMetaWebhook(fixture(name)).messages;

    // Assess
    expect(message?.text).toBe(text);
    expect(message?.flags).toEqual(['unsupported-type']);
  });
});

describe('parseMetaWebhook: not a webhook', () => {
  it('refuses a body without object and entry, with the reason', () => {
    // Act / Assess
    expect(() => parseMetaWebhook(fixture('not-a-webhook'))).toThrow(InvalidInputError);
    expect(() => parseMetaWebhook(fixture('not-a-webhook'))).toThrow(/object.*entry/);
  });
});

describe('languageOfPhoneCountry', () => {
  it('hints the language of countries with one main language, and nothing elsewhere', () => {
    // Act / Assess
    expect(languageOfPhoneCountry('+905321234567')).toBe('tr');
    expect(languageOfPhoneCountry('+447400123456')).toBe('en');
    expect(languageOfPhoneCountry('+41446681800')).toBeUndefined(); // Switzerland: four languages
  });
});
