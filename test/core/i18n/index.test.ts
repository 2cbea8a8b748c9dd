import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import {
  type AcknowledgementInput,
  catalogFor,
  formatResponseDeadline,
  hasCatalog,
  renderAcknowledgement,
} from '../../../functions/core/i18n/index.ts';

const ISTANBUL = 'Europe/Istanbul';
const BERLIN = 'Europe/Berlin';

function local(isoWithoutOffset: string, zone: string): Date {
  return DateTime.fromISO(isoWithoutOffset, { zone }).toJSDate();
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

/** SMS segments as carriers count them: GSM-7 (160, or 153 per part) unless a character needs UCS-2 (70, or 67). */
function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const characters = [...text];
  if (characters.every((c) => GSM_BASIC.includes(c) || GSM_EXTENSION.includes(c))) {
    const septets = characters.reduce((n, c) => n + (GSM_EXTENSION.includes(c) ? 2 : 1), 0);
    return { encoding: 'GSM-7', segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const units = text.length;
  return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

describe('formatResponseDeadline', () => {
  // Monday 2026-11-30 09:00 in Istanbul
  const now = local('2026-11-30T09:00', ISTANBUL);

  it.each([
    ['same day', '2026-11-30T14:00', 'en', 'today at 14:00'],
    ['same day', '2026-11-30T14:00', 'tr', 'bugün 14:00'],
    ['next day', '2026-12-01T10:00', 'en', 'tomorrow at 10:00'],
    ['next day', '2026-12-01T10:00', 'tr', 'yarın 10:00'],
    ['three days ahead', '2026-12-03T10:00', 'en', 'Thursday 10:00'],
    ['three days ahead', '2026-12-03T10:00', 'tr', 'Perşembe 10:00'],
    ['six days ahead, still the weekday alone', '2026-12-06T10:00', 'en', 'Sunday 10:00'],
    [
      'seven days ahead: the same weekday would be ambiguous',
      '2026-12-07T10:00',
      'en',
      'Monday, 7 December at 10:00',
    ],
    ['seven days ahead', '2026-12-07T10:00', 'tr', '7 Aralık Pazartesi 10:00'],
    ['24-hour clock in the evening', '2026-11-30T21:05', 'en', 'today at 21:05'],
    ['a regional tag uses its language', '2026-12-01T10:00', 'tr-TR', 'yarın 10:00'],
    ['an unknown language falls back to English', '2026-12-01T10:00', 'xx', 'tomorrow at 10:00'],
  ])('%s (%s, %s) → %s', (_case, deadlineWallClock, language, expected) => {
    // Prepare
    const deadline = local(deadlineWallClock, ISTANBUL);

    // Act
    const text = formatResponseDeadline(deadline, now, language, ISTANBUL);

    // Assess
    expect(text).toBe(expected);
  });

  it('counts days in the customer time zone, not in UTC', () => {
    // Prepare: 22:30 UTC on Monday is already 01:30 Tuesday in Istanbul
    const mondayUtc = new Date('2026-11-30T12:00:00Z');
    const deadline = new Date('2026-11-30T22:30:00Z');

    // Act
    const inIstanbul = formatResponseDeadline(deadline, mondayUtc, 'en', ISTANBUL);
    const inUtc = formatResponseDeadline(deadline, mondayUtc, 'en', 'UTC');

    // Assess
    expect(inIstanbul).toBe('tomorrow at 01:30');
    expect(inUtc).toBe('today at 22:30');
  });

  it('counts calendar days across a DST change (a 23-hour and a 25-hour day)', () => {
    // Prepare
    const beforeSpringForward = local('2026-03-28T23:30', BERLIN);
    const endOfShortSunday = local('2026-03-29T23:30', BERLIN);
    const beforeFallBack = local('2026-10-24T00:30', BERLIN);
    const endOfLongSunday = local('2026-10-25T23:30', BERLIN);

    // Act
    const spring = formatResponseDeadline(endOfShortSunday, beforeSpringForward, 'en', BERLIN);
    const autumn = formatResponseDeadline(endOfLongSunday, beforeFallBack, 'en', BERLIN);

    // Assess
    expect(spring).toBe('tomorrow at 23:30');
    expect(autumn).toBe('tomorrow at 23:30');
  });

  it('rejects an unknown time zone as invalid input', () => {
    // Prepare
    const deadline = local('2026-12-01T10:00', ISTANBUL);

    // Act
    const act = () => formatResponseDeadline(deadline, now, 'en', 'Not/AZone');

    // Assess
    expect(act).toThrow(InvalidInputError);
  });
});

describe('renderAcknowledgement', () => {
  const englishEmail: AcknowledgementInput = {
    language: 'en',
    customerName: 'Ayşe Yılmaz',
    responseBy: 'Monday 10:00',
    reference: 'K7Q2',
    channel: 'email',
  };

  it('acknowledges an English email: thanks, receipt, response time, reference, how to add more', () => {
    // Prepare
    const input = englishEmail;

    // Act
    const { subject, text } = renderAcknowledgement(input);

    // Assess
    expect(subject).toBe('We received your message [#K7Q2]');
    expect(text).toBe(
      [
        'Hello Ayşe Yılmaz,',
        '',
        'Thank you for contacting us. We have received your message and will answer by Monday 10:00.',
        '',
        'Your reference: #K7Q2',
        '',
        'If you would like to add anything, simply reply to this email: your reply goes to the same conversation.',
        '',
        'This is an automatic confirmation; a member of our team will answer you personally.',
        '',
      ].join('\n'),
    );
  });

  it('acknowledges a Turkish email with correct suffix harmony', () => {
    // Prepare
    const input: AcknowledgementInput = {
      ...englishEmail,
      language: 'tr',
      responseBy: 'Pazartesi 14:00',
    };

    // Act
    const { subject, text } = renderAcknowledgement(input);

    // Assess
    expect(subject).toBe('Mesajınızı aldık [#K7Q2]');
    expect(text).toContain('Merhaba Ayşe Yılmaz,');
    expect(text).toContain("Mesajınızı aldık. Size en geç Pazartesi 14:00'e kadar yanıt vereceğiz.");
    expect(text).toContain('Referans numaranız: #K7Q2');
    expect(text).toContain('bu e-postayı yanıtlamanız yeterli; yanıtınız aynı görüşmeye eklenir.');
  });

  it.each([
    ['en', 'We received your message [#K7Q2]'],
    ['tr', 'Mesajınızı aldık [#K7Q2]'],
  ])('uses a neutral localized subject with the reference (%s)', (language, expected) => {
    // Prepare
    const input: AcknowledgementInput = { ...englishEmail, language };

    // Act
    const { subject } = renderAcknowledgement(input);

    // Assess
    expect(subject).toBe(expected);
  });

  it.each([
    ['no name', undefined],
    ['a blank name', '  '],
    ['an address instead of a name', 'ayse@example.com'],
    ['no letters at all', '+90 555 111 22 33'],
  ])('greets without a name when there is %s', (_case, customerName) => {
    // Prepare
    const input: AcknowledgementInput = { ...englishEmail, customerName };

    // Act
    const { text } = renderAcknowledgement(input);

    // Assess
    expect(text.startsWith('Hello,\n')).toBe(true);
  });

  it('does not double a reference that already has its "#"', () => {
    // Prepare
    const input: AcknowledgementInput = { ...englishEmail, reference: '#K7Q2' };

    // Act
    const { subject, text } = renderAcknowledgement(input);

    // Assess
    expect(subject).toBe('We received your message [#K7Q2]');
    expect(text).toContain('Your reference: #K7Q2\n');
  });

  it('rejects an empty reference or response time as invalid input', () => {
    // Prepare
    const noReference: AcknowledgementInput = { ...englishEmail, reference: ' # ' };
    const noResponseTime: AcknowledgementInput = { ...englishEmail, responseBy: '' };

    // Act
    const renderWithoutReference = () => renderAcknowledgement(noReference);
    const renderWithoutResponseTime = () => renderAcknowledgement(noResponseTime);

    // Assess
    expect(renderWithoutReference).toThrow(InvalidInputError);
    expect(renderWithoutResponseTime).toThrow(InvalidInputError);
  });

  it('falls back to English for a language without a catalog', () => {
    // Prepare
    const input: AcknowledgementInput = { ...englishEmail, language: 'xx' };

    // Act
    const { text } = renderAcknowledgement(input);

    // Assess
    expect(hasCatalog('xx')).toBe(false);
    expect(catalogFor('xx')).toBe(catalogFor('en'));
    expect(text).toContain('will answer by Monday 10:00.');
  });

  it('does not take inherited object keys for languages', () => {
    // Prepare
    const language = 'constructor';

    // Act
    const has = hasCatalog(language);
    const catalog = catalogFor(language);

    // Assess
    expect(has).toBe(false);
    expect(catalog).toBe(catalogFor('en'));
  });

  it('outputs NFC even when the name arrives decomposed', () => {
    // Prepare
    const decomposedName = 'Ayşe Gül'.normalize('NFD');
    const input: AcknowledgementInput = { ...englishEmail, customerName: decomposedName };

    // Act
    const { text } = renderAcknowledgement(input);

    // Assess
    expect(text.normalize('NFC')).toBe(text);
    expect(text).toContain('Hello Ayşe Gül,');
  });

  describe('SMS and messaging apps', () => {
    it('sends English as one short GSM-7 paragraph without greeting', () => {
      // Prepare
      const input: AcknowledgementInput = {
        ...englishEmail,
        channel: 'sms',
        responseBy: 'tomorrow at 10:00',
      };

      // Act
      const { text } = renderAcknowledgement(input);

      // Assess
      expect(text).toBe(
        'Thanks, we received your message (ref #K7Q2) and will answer by tomorrow at 10:00. Reply here to add more.',
      );
      expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', segments: 1 });
    });

    it('keeps the English SMS within two segments even with the longest deadline format', () => {
      // Prepare
      const longest = formatResponseDeadline(
        local('2026-09-30T10:00', ISTANBUL),
        local('2026-09-01T10:00', ISTANBUL),
        'en',
        ISTANBUL,
      );
      const input: AcknowledgementInput = {
        ...englishEmail,
        channel: 'sms',
        responseBy: longest,
        reference: 'ABCDEFGHIJKL',
      };

      // Act
      const { text } = renderAcknowledgement(input);

      // Assess
      expect(longest).toBe('Wednesday, 30 September at 10:00');
      const { encoding, segments } = smsSegments(text);
      expect(encoding).toBe('GSM-7');
      expect(segments).toBeLessThanOrEqual(2);
    });

    it('sends Turkish in two UCS-2 segments (ş, ı, ğ are not GSM-7), three with the longest date', () => {
      // Prepare
      const tomorrow: AcknowledgementInput = {
        ...englishEmail,
        language: 'tr',
        channel: 'sms',
        responseBy: 'yarın 10:00',
      };

      // Act
      const { text } = renderAcknowledgement(tomorrow);

      // Assess
      expect(text).toBe(
        "Teşekkürler, mesajınızı aldık (#K7Q2). En geç yarın 10:00'a kadar yanıt vereceğiz. Eklemek istediğinizi buraya yazabilirsiniz.",
      );
      expect(smsSegments(text)).toEqual({ encoding: 'UCS-2', segments: 2 });
    });

    it('sends Turkish with a full date in at most three UCS-2 segments', () => {
      // Prepare
      const input: AcknowledgementInput = {
        ...englishEmail,
        language: 'tr',
        channel: 'whatsapp',
        responseBy: '7 Aralık Pazartesi 10:00',
      };

      // Act
      const { text } = renderAcknowledgement(input);

      // Assess
      expect(text).toContain("En geç 7 Aralık Pazartesi 10:00'a kadar yanıt vereceğiz.");
      expect(text).toContain('#K7Q2');
      expect(text).not.toContain('\n');
      expect(smsSegments(text).segments).toBeLessThanOrEqual(3);
    });
  });
});
