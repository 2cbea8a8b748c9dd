import { describe, expect, it } from 'vitest';
import {
  normalizedQuestion,
  searchTerms,
  stemEnglish,
  stemTurkish,
} from '../../../functions/core/knowledge-base/normalize.ts';

describe('Turkish-aware search terms', () => {
  it.each([
    ['iade', 'iadesi'],
    ['iade', 'iademi'],
    ['iade', 'İADEM'],
    ['siparişim', 'siparisim'],
    ['siparişim', 'SİPARİŞİMİ'],
    ['kargo', 'kargom'],
  ])('gives %s and %s one stem', (a, b) => {
    // Act
    const [left] = searchTerms(a, 'tr');
    const [right] = searchTerms(b, 'tr');

    // Assess
    expect(left).toBeDefined();
    expect(left).toBe(right);
  });

  it('reads the colloquial "nerde" as "nerede" and drops filler words', () => {
    // Act
    const colloquial = searchTerms('Merhaba, siparisim nerde?', 'tr');
    const standard = searchTerms('siparişim nerede', 'tr');

    // Assess
    expect(colloquial).toEqual(standard);
  });

  it('folds dotted and dotless i the Turkish way', () => {
    // Assess
    expect(searchTerms('IŞIK', 'tr')).toEqual(searchTerms('ışık', 'tr'));
    expect(searchTerms('ÖDEMELER', 'tr')).toEqual(searchTerms('odeme', 'tr'));
    expect(stemTurkish('odemeler')).toBe(stemTurkish('odeme'));
  });

  it('strips English plural and verb endings alike on both sides', () => {
    // Assess
    expect(stemEnglish('refunds')).toBe(stemEnglish('refund'));
    expect(stemEnglish('cancelled')).toBe('cancel');
    expect(stemEnglish('shipped')).toBe('ship');
  });

  it('groups questions that differ only in spelling, case and punctuation', () => {
    // Assess
    expect(normalizedQuestion('Siparişim NEREDE??', 'tr')).toBe(normalizedQuestion('siparisim nerde', 'tr'));
  });
});
