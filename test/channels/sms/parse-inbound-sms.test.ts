import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SMS_TEXT_LENGTH, parseInboundSms } from '../../../functions/channels/sms/parse-inbound-sms.ts';

const RECEIVED_AT = '2026-11-23T10:00:00.000Z';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/sms/${name}`, import.meta.url), 'utf8');
}

function parse(name: string) {
  return parseInboundSms(fixture(name), { receivedAt: RECEIVED_AT });
}

describe('parseInboundSms', () => {
  it('turns a documented End User Messaging notification into an inbound SMS message', () => {
    // Act
    const { message, attachments, truncated } = parse('question-tr.json');

    // Assess
    expect(message).toEqual({
      channel: 'sms',
      providerMessageId: '8d3f2c6a-1b7e-4f0a-9c2d-5e6f7a8b9c11',
      from: { kind: 'phone', value: '+905321112233' },
      receivedAt: RECEIVED_AT,
      text: 'Merhaba, 100234 numaralı siparişim nerede?',
      attachments: [],
      sms: { destinationNumber: '+908501234567' },
    });
    expect(attachments).toEqual([]);
    expect(truncated).toBe(false);
  });

  it('accepts a notification without messageKeyword and previousPublishedMessageId', () => {
    // Act
    const { message } = parse('without-optional-fields.json');

    // Assess
    expect(message.from.value).toBe('+12065550123');
    expect(message.sms?.keyword).toBeUndefined();
  });

  it('recognises STOP from the body, whatever messageKeyword says', () => {
    // Act
    const { message } = parse('keyword-stop.json');

    // Assess
    expect(message.sms?.keyword).toEqual({ action: 'opt-out', keyword: 'STOP' });
  });

  it('recognises the Turkish İPTAL with a dotted capital I', () => {
    // Act
    const { message } = parse('keyword-iptal-dotted.json');

    // Assess
    expect(message.sms?.keyword).toEqual({ action: 'opt-out', keyword: 'IPTAL' });
    expect(message.text).toBe('İPTAL');
  });

  it.each([
    ['national-format-origination.json', 'a national number without country code'],
    ['impossible-number.json', 'a number too long for its country'],
  ])('keeps %s (%s) as it came, flagged, instead of refusing it', (name) => {
    // Prepare
    const raw = (JSON.parse(fixture(name)) as { originationNumber: string }).originationNumber;

    // Act
    const { message } = parse(name);

    // Assess
    expect(message.from).toEqual({ kind: 'phone', value: raw.trim() });
    expect(message.flags).toContain('sender-not-normalised');
  });

  it.each([
    ['+882', '+88234445555'],
    ['+883', '+883510001234567'],
    ['+979', '+979123456789'],
  ])('flags a sender in the special range %s (international network or premium rate)', (_range, number) => {
    // Prepare
    const notification = JSON.stringify({
      originationNumber: number,
      destinationNumber: '+908501234567',
      messageBody: 'STOP',
      inboundMessageId: 'premium-1',
    });

    // Act
    const { message } = parseInboundSms(notification, { receivedAt: RECEIVED_AT });

    // Assess
    expect(message.flags).toContain('special-rate-sender');
  });

  it('does not flag an ordinary mobile number', () => {
    // Act
    const { message } = parse('keyword-iptal-dotted.json');

    // Assess
    expect(message.flags).toBeUndefined();
  });

  it('refuses a notification without inboundMessageId, naming the field', () => {
    // Act
    const attempt = () => parse('missing-inbound-message-id.json');

    // Assess
    expect(attempt).toThrow(/inboundMessageId/);
  });

  it('refuses a body that is not JSON', () => {
    // Act
    const attempt = () => parseInboundSms('originationNumber=+905321112233', { receivedAt: RECEIVED_AT });

    // Assess
    expect(attempt).toThrow('the SNS message is not JSON');
  });

  it('bounds a long multi-part body and says so', () => {
    // Act
    const { message, truncated } = parse('long-multipart.json');

    // Assess
    expect(truncated).toBe(true);
    expect(Array.from(message.text)).toHaveLength(MAX_SMS_TEXT_LENGTH);
  });

  it('drops control characters and normalizes line breaks and Unicode', () => {
    // Act
    const controls = parse('control-characters.json').message.text;
    const decomposed = parse('decomposed-unicode.json').message.text;

    // Assess
    expect(controls).toBe('Satır bir\nSatır iki son');
    expect(decomposed).toBe('Teşekkürler');
    expect(decomposed).toHaveLength(11);
  });

  it('takes an empty body (an MMS without text) as an empty message', () => {
    // Act
    const { message } = parse('empty-body.json');

    // Assess
    expect(message.text).toBe('');
    expect(message.sms?.keyword).toBeUndefined();
  });

  it('never crashes on any body: a bounded, NFC, control-free text or nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 4_000 }), (body) => {
        const notification = JSON.stringify({
          originationNumber: '+905321112233',
          destinationNumber: '+908501234567',
          messageBody: body,
          inboundMessageId: 'prop-1',
        });
        const { message } = parseInboundSms(notification, { receivedAt: RECEIVED_AT });
        return (
          Array.from(message.text).length <= MAX_SMS_TEXT_LENGTH &&
          message.text === message.text.normalize('NFC') &&
          Array.from(message.text).every((c) => c === '\n' || c === '\t' || !/\p{Cc}/u.test(c))
        );
      }),
      { numRuns: 300 },
    );
  });
});
