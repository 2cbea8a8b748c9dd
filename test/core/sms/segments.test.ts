import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countSmsSegments,
  fitOneSegment,
  isGsm7,
  turkishToGsm7,
} from '../../../functions/core/sms/segments.ts';

describe('countSmsSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['ş'.repeat(70), 'UCS-2', 70, 1],
    ['ş'.repeat(71), 'UCS-2', 71, 2],
    ['ş'.repeat(134), 'UCS-2', 134, 2],
    ['ş'.repeat(135), 'UCS-2', 135, 3],
  ])('counts %j as %s, %i units, %i segments', (text, encoding, units, segments) => {
    // Act
    const counted = countSmsSegments(text);

    // Assess
    expect(counted).toMatchObject({ encoding, units, segments });
  });

  it('counts extension-table characters (€ [ ] { } ~ ^ | \\) as two septets', () => {
    // Act
    const euro = countSmsSegments('€'.repeat(80));
    const over = countSmsSegments(`${'€'.repeat(80)}a`);

    // Assess
    expect(euro).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(over).toMatchObject({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('does not split an escape sequence across segments', () => {
    // Prepare: 152 septets, then a two-septet € that cannot end the first 153-septet segment
    const text = `${'a'.repeat(152)}€${'a'.repeat(153)}`;

    // Act
    const counted = countSmsSegments(text);

    // Assess
    expect(counted.units).toBe(307);
    expect(counted.segments).toBe(3);
  });

  it('keeps ö ü Ö Ü Ç in GSM-7 but switches to UCS-2 for ç ğ ı İ ş (no Turkish shift table at AWS)', () => {
    // Act
    const gsm = countSmsSegments('Ödeme ve ürün: ÇÜÖ');
    const ucs = ['ç', 'ğ', 'Ğ', 'ı', 'İ', 'ş', 'Ş'].map((c) => countSmsSegments(`Merhaba ${c}`));

    // Assess
    expect(gsm.encoding).toBe('GSM-7');
    for (const counted of ucs) expect(counted.encoding).toBe('UCS-2');
    expect(countSmsSegments('Teşekkürler').nonGsmCharacters).toEqual(['ş']);
  });

  it('counts an emoji as two UCS-2 units and never splits it', () => {
    // Act
    const counted = countSmsSegments(`${'a'.repeat(66)}😀${'a'.repeat(10)}`);

    // Assess
    expect(counted).toMatchObject({ encoding: 'UCS-2', units: 78, segments: 2 });
  });

  it('never reports fewer segments than the units need, nor more than one extra per segment (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 800 }), (text) => {
        const counted = countSmsSegments(text);
        const perSegment = counted.encoding === 'GSM-7' ? 153 : 67;
        const single = counted.encoding === 'GSM-7' ? 160 : 70;
        if (counted.units <= single) return counted.segments === 1;
        const minimum = Math.ceil(counted.units / perSegment);
        return counted.segments >= minimum && counted.segments <= minimum + Math.ceil(minimum / 2);
      }),
    );
  });
});

describe('fitOneSegment', () => {
  it('keeps a text that already fits one segment as written', () => {
    // Act
    const text = fitOneSegment('Teşekkürler, mesajınızı aldık.');

    // Assess
    expect(text).toBe('Teşekkürler, mesajınızı aldık.');
  });

  it('writes Turkish in its GSM-7 spelling when only that fits one segment', () => {
    // Prepare
    const original =
      "Teşekkürler, mesajınızı aldık (#LBH4DTUL). En geç bugün 15:00'e kadar yanıt vereceğiz. Eklemek istediğinizi buraya yazabilirsiniz.";

    // Act
    const fitted = fitOneSegment(original);

    // Assess
    expect(countSmsSegments(original).segments).toBe(2);
    expect(fitted).toBe(
      "Tesekkürler, mesajinizi aldik (#LBH4DTUL). En gec bugün 15:00'e kadar yanit verecegiz. Eklemek istediginizi buraya yazabilirsiniz.",
    );
    expect(countSmsSegments(fitted)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('leaves a text alone that would not fit one segment either way', () => {
    // Prepare
    const long = 'ş'.repeat(200);

    // Act
    const fitted = fitOneSegment(long);

    // Assess
    expect(fitted).toBe(long);
  });

  it('turkishToGsm7 yields only GSM-7 characters from Turkish letters', () => {
    // Act
    const text = turkishToGsm7('çğĞıİşŞöüÖÜÇ');

    // Assess
    expect(text).toBe('cgGiIsSöüÖÜÇ');
    expect(Array.from(text).every(isGsm7)).toBe(true);
  });
});
