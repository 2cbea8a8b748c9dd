import { describe, expect, it } from 'vitest';
import { chooseReplyLanguage, detectLanguage } from '../../../functions/core/auto-reply/language.ts';

const TURKISH_SHOP = ['tr', 'en'] as const;

describe('detectLanguage', () => {
  it.each([
    // The short messages franc-min alone gets wrong or cannot decide
    ['Merhaba, siparişim nerede?', 'tr'],
    ['Kargom gelmedi', 'tr'],
    ['Where is my order?', 'en'],
    ['I have not received my package yet, can you help me please?', 'en'],
    // Turkish typed without Turkish letters, or in capitals (İ), or as one word
    ['siparisim nerede', 'tr'],
    ['SİPARİŞİM GELMEDİ', 'tr'],
    ['Teşekkürler', 'tr'],
    ['Geldi mi?', 'tr'],
    ['Yardımcı olabilir misiniz?', 'tr'],
    ['İade yapmak istiyorum', 'tr'],
    ['Ürün hasarlı geldi', 'tr'],
    ['Sipariş numaram 12345', 'tr'],
    ['WHERE IS MY ORDER', 'en'],
    ['Thanks!', 'en'],
    ['The size is wrong', 'en'],
    ['My parcel arrived damaged', 'en'],
    // Longer messages, where franc carries more weight
    ['Paketim hala gelmedi, 5 gün oldu. Sipariş no: TR-99812. Lütfen acil dönüş yapın.', 'tr'],
    [
      'Hi, I ordered a blue sweater last week and it still has not arrived. Order #4411. Could you check the tracking please? Thanks, John',
      'en',
    ],
    [
      'Geçen hafta verdiğim siparişin faturasını bulamıyorum, e-posta adresime tekrar gönderebilir misiniz? İyi çalışmalar.',
      'tr',
    ],
  ])('%j → %s', async (text, expected) => {
    // Prepare
    const supported = TURKISH_SHOP;

    // Act
    const detected = await detectLanguage(text, supported);

    // Assess
    expect(detected).toBe(expected);
  });

  it.each([
    ['too short to say', 'ok'],
    ['only a number', '12345'],
    ['only a link', 'https://shop.example/orders/123'],
    ['only an address', 'ayse@example.com'],
    ['empty', ''],
    ['emoji only', '👍👍'],
  ])('is unsure (%s): %j → undefined', async (_case, text) => {
    // Prepare
    const supported = TURKISH_SHOP;

    // Act
    const detected = await detectLanguage(text, supported);

    // Assess
    expect(detected).toBeUndefined();
  });

  it('answers undefined rather than guessing when the text is clearly in an unsupported language', async () => {
    // Prepare
    const german = 'Hallo, wo ist meine Bestellung? Ich habe noch nichts erhalten.';

    // Act
    const amongTurkishAndEnglish = await detectLanguage(german, TURKISH_SHOP);
    const withGermanSupported = await detectLanguage(german, ['tr', 'en', 'de']);

    // Assess
    expect(amongTurkishAndEnglish).toBeUndefined();
    expect(withGermanSupported).toBe('de');
  });

  it('only ever returns a supported language', async () => {
    // Prepare
    const englishText = 'Where is my order? I have been waiting for a week.';

    // Act
    const detected = await detectLanguage(englishText, ['tr']);

    // Assess
    expect(detected).toBeUndefined();
  });

  it('trusts the script for short non-Latin text when one supported language uses it', async () => {
    // Prepare: "Where is my order?" in Arabic, 7 letters, far below franc's usual minimum
    const arabic = 'أين طلبي؟';

    // Act
    const withArabic = await detectLanguage(arabic, ['tr', 'en', 'ar']);
    const withoutArabic = await detectLanguage(arabic, TURKISH_SHOP);

    // Assess
    expect(withArabic).toBe('ar');
    expect(withoutArabic).toBeUndefined();
  });

  it('ignores configured codes that are not languages franc knows', async () => {
    // Prepare
    const supported = ['constructor', 'xx', 'en'];

    // Act
    const detected = await detectLanguage('Where is my order? I have been waiting for a week.', supported);

    // Assess
    expect(detected).toBe('en');
  });

  it('returns undefined when the shop supports no language', async () => {
    // Prepare
    const supported: string[] = [];

    // Act
    const detected = await detectLanguage('Merhaba, siparişim nerede?', supported);

    // Assess
    expect(detected).toBeUndefined();
  });

  it('gives the same answer for composed and decomposed Unicode', async () => {
    // Prepare: "ş" and "ü" as base letter + combining mark
    const decomposed = 'Merhaba, siparişim nerede? Ürün gelmedi.'.normalize('NFD');

    // Act
    const detected = await detectLanguage(decomposed, TURKISH_SHOP);

    // Assess
    expect(detected).toBe('tr');
  });
});

describe('chooseReplyLanguage', () => {
  const config = { languages: ['tr', 'en', 'de'], defaultLanguage: 'tr' } as const;

  it.each([
    ['preferred wins over everything', { preferred: 'en', detected: 'de', previous: 'tr' }, 'en'],
    [
      'unsupported preference is skipped for detected',
      { preferred: 'fr', detected: 'de', previous: 'en' },
      'de',
    ],
    ['detected wins over previous', { detected: 'en', previous: 'de' }, 'en'],
    ['previous when nothing detected', { previous: 'de' }, 'de'],
    ['unsupported detected is skipped for previous', { detected: 'es', previous: 'en' }, 'en'],
    ['default when nothing is known', {}, 'tr'],
    ['default when nothing is supported', { preferred: 'fr', detected: 'es', previous: 'it' }, 'tr'],
    ['a preference written in capitals still counts', { preferred: 'EN', detected: 'de' }, 'en'],
  ])('%s', (_case, input, expected) => {
    // Prepare
    const candidates: { preferred?: string; detected?: string; previous?: string } = input;

    // Act
    const language = chooseReplyLanguage(candidates, config);

    // Assess
    expect(language).toBe(expected);
  });
});
