import { describe, expect, it } from 'vitest';
import { clockTimeWithDative, tr } from '../../../functions/core/i18n/tr.ts';

describe('clockTimeWithDative', () => {
  // How each time is read aloud decides the suffix: "saat on dörde kadar" → 14:00'e.
  it.each([
    ['00:00', "00:00'a"], // sıfır
    ['01:00', "01:00'e"], // bir
    ['02:00', "02:00'ye"], // iki
    ['03:00', "03:00'e"], // üç
    ['04:00', "04:00'e"], // dört
    ['05:00', "05:00'e"], // beş
    ['06:00', "06:00'ya"], // altı
    ['07:00', "07:00'ye"], // yedi
    ['08:00', "08:00'e"], // sekiz
    ['09:00', "09:00'a"], // dokuz
    ['10:00', "10:00'a"], // on
    ['11:00', "11:00'e"], // on bir
    ['12:00', "12:00'ye"], // on iki
    ['13:00', "13:00'e"], // on üç
    ['14:00', "14:00'e"], // on dört
    ['15:00', "15:00'e"], // on beş
    ['16:00', "16:00'ya"], // on altı
    ['17:00', "17:00'ye"], // on yedi
    ['18:00', "18:00'e"], // on sekiz
    ['19:00', "19:00'a"], // on dokuz
    ['20:00', "20:00'ye"], // yirmi
    ['21:00', "21:00'e"], // yirmi bir
    ['22:00', "22:00'ye"], // yirmi iki
    ['23:00', "23:00'e"], // yirmi üç
    // With minutes, the minutes are read last
    ['10:05', "10:05'e"], // beş
    ['09:06', "09:06'ya"], // altı
    ['10:10', "10:10'a"], // on
    ['10:15', "10:15'e"], // on beş
    ['10:20', "10:20'ye"], // yirmi
    ['10:30', "10:30'a"], // otuz
    ['10:40', "10:40'a"], // kırk
    ['10:45', "10:45'e"], // kırk beş
    ['10:50', "10:50'ye"], // elli
    ['Pazartesi 10:00', "Pazartesi 10:00'a"],
  ])('%s → %s', (time, expected) => {
    // Prepare
    const input = time;

    // Act
    const withSuffix = clockTimeWithDative(input);

    // Assess
    expect(withSuffix).toBe(expected);
  });

  it('gives up (undefined) when the text does not end in a clock time', () => {
    // Prepare
    const noTime = 'yarın öğlen';

    // Act
    const withSuffix = clockTimeWithDative(noTime);

    // Assess
    expect(withSuffix).toBeUndefined();
  });
});

describe('Turkish acknowledgement sentence', () => {
  it('uses the suffix when the deadline ends in a time', () => {
    // Prepare
    const responseBy = 'yarın 14:00';

    // Act
    const sentence = tr.acknowledgement.received(responseBy);

    // Assess
    expect(sentence).toContain("Size en geç yarın 14:00'e kadar yanıt vereceğiz.");
  });

  it('falls back to a phrasing that needs no suffix otherwise', () => {
    // Prepare
    const responseBy = 'yarın öğlen';

    // Act
    const sentence = tr.acknowledgement.received(responseBy);

    // Assess
    expect(sentence).toContain('Size en geç şu zamana kadar yanıt vereceğiz: yarın öğlen.');
    expect(sentence).not.toContain("'");
  });
});
