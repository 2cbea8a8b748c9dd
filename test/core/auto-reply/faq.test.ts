import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAQ,
  type FaqEntry,
  foldForMatching,
  matchFaq,
} from '../../../functions/core/auto-reply/faq.ts';

describe('matchFaq', () => {
  it.each([
    ['Merhaba, SİPARİŞİM NEREDE?', 'tr', 'order-status'],
    ['siparisim nerede acaba', 'tr', 'order-status'],
    ['Hi, where is my order?', 'en', 'order-status'],
    ['Ürünü iade etmek istiyorum', 'tr', 'returns'],
    ['How do I get a refund?', 'en', 'returns'],
    ['Kargo kaç günde gelir?', 'tr', 'shipping-times'],
    ['What is the delivery time to Ankara?', 'en', 'shipping-times'],
    ['Çalışma saatleriniz nedir?', 'tr', 'opening-hours'],
    ['What are your opening hours?', 'en', 'opening-hours'],
  ])('matches "%s" (%s) to %s', (text, language, id) => {
    // Act
    const match = matchFaq(text, language);

    // Assess
    expect(match?.id).toBe(id);
    expect(match?.language).toBe(language);
    expect(match?.answer.length).toBeGreaterThan(20);
  });

  it('answers in the reply language, whatever language the question matched in', () => {
    // Act
    const match = matchFaq('where is my order', 'tr');

    // Assess
    expect(match?.answer).toMatch(/Siparişinizin durumunu/);
  });

  it('does not invent an answer when no keyword is there', () => {
    // Act / Assess
    expect(matchFaq('Merhaba, faturamı alabilir miyim?', 'tr')).toBeUndefined();
    expect(matchFaq('Can I change my delivery address?', 'en')).toBeUndefined();
  });

  it('matches from the start of a word, so Turkish suffixes still match', () => {
    // Act / Assess
    expect(matchFaq('Ürünün iadesini nasıl yaparım?', 'tr')?.id).toBe('returns');
    expect(matchFaq('hediyelik bir ürün', 'tr')).toBeUndefined();
    expect(matchFaq('Ayşe bir şey sordu', 'tr')).toBeUndefined();
  });

  it('takes a configured FAQ, first entry first, falling back to its first language', () => {
    // Prepare
    const faq: FaqEntry[] = [
      {
        id: 'gift-wrap',
        keywords: ['hediye paketi', 'gift wrap'],
        answers: { tr: 'Evet, ücretsiz hediye paketi yapıyoruz.' },
      },
      ...DEFAULT_FAQ,
    ];

    // Act
    const match = matchFaq('Do you gift wrap? Where is my order?', 'en', faq);

    // Assess
    expect(match).toEqual({
      id: 'gift-wrap',
      answer: 'Evet, ücretsiz hediye paketi yapıyoruz.',
      language: 'tr',
    });
  });

  it('finds nothing in an empty text', () => {
    // Act / Assess
    expect(matchFaq('   ', 'en')).toBeUndefined();
    expect(matchFaq('👍', 'en')).toBeUndefined();
  });
});

describe('foldForMatching', () => {
  it('folds Turkish letters, case and punctuation', () => {
    // Act / Assess
    expect(foldForMatching('İADE, Değişim; ÇALIŞMA saatleri!')).toBe('iade degisim calisma saatleri');
  });
});
