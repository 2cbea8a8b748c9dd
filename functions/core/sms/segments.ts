/**
 * How many SMS segments a text costs (3GPP TS 23.038 and TS 23.040). A text made only of the GSM
 * 7-bit default alphabet (plus its extension table, whose characters take an escape septet and
 * so count twice) travels as GSM-7: 160 septets in one segment, 153 per segment once it is split
 * (the user data header takes the rest). Any other character switches the whole message to
 * UCS-2: 70 UTF-16 code units in one segment, 67 per segment when split.
 *
 * Turkish: ö, ü, Ö, Ü and Ç are in the default alphabet, but ç, ğ, Ğ, ş, Ş, ı and İ are not.
 * The Turkish national language shift tables (TS 23.038 annex A) would carry them in GSM-7, but
 * AWS End User Messaging does not use national language tables, so they force UCS-2 here too.
 */

const GSM7_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);

/** Reached through the escape code: two septets each. */
const GSM7_EXTENSION = new Set(Array.from('\f^{}\\[~]|€'));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  readonly units: number;
  readonly segments: number;
  /** Units still free in the last segment. */
  readonly remaining: number;
  /** Characters that forced UCS-2, in the order they first appear (empty for GSM-7). */
  readonly nonGsmCharacters: readonly string[];
}

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

export function isGsm7(character: string): boolean {
  return GSM7_BASIC.has(character) || GSM7_EXTENSION.has(character);
}

/** The segments `text` takes as it is sent (no normalization: send what you count). */
export function countSmsSegments(text: string): SegmentCount {
  const characters = Array.from(text);
  const nonGsm = [...new Set(characters.filter((c) => !isGsm7(c)))];
  if (nonGsm.length === 0) {
    // A character's septets never straddle two segments: an escape and its character stay together.
    const widths = characters.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1));
    return count('GSM-7', widths, []);
  }
  // A surrogate pair (an emoji) is one character of two code units; it is not split either.
  const widths = characters.map((c) => c.length);
  return count('UCS-2', widths, nonGsm);
}

function count(encoding: SmsEncoding, widths: readonly number[], nonGsm: readonly string[]): SegmentCount {
  const limits = LIMITS[encoding];
  const units = widths.reduce((sum, w) => sum + w, 0);
  if (units <= limits.single) {
    return { encoding, units, segments: 1, remaining: limits.single - units, nonGsmCharacters: nonGsm };
  }
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > limits.multi) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments, remaining: limits.multi - used, nonGsmCharacters: nonGsm };
}

/**
 * Turkish written with the GSM-7 alphabet, as Turkish SMS commonly is when space matters:
 * ç→c, ğ→g, ı→i, İ→I, ş→s (ö, ü, Ö, Ü, Ç are GSM-7 already). Readers are used to it, and a
 * message then costs 160 characters a segment instead of 70.
 */
export function turkishToGsm7(text: string): string {
  return text.replace(/[çğĞıİşŞ]/g, (c) => TURKISH_GSM7[c] ?? c);
}

const TURKISH_GSM7: Readonly<Record<string, string>> = {
  ç: 'c',
  ğ: 'g',
  Ğ: 'G',
  ı: 'i',
  İ: 'I',
  ş: 's',
  Ş: 'S',
};

/**
 * The text to send for an automatic SMS: as written when it fits one segment; otherwise, when
 * only Turkish letters keep it out of GSM-7 and the GSM-7 spelling fits one segment, that
 * spelling. Anything else is sent as written (an honest two segments beats a mangled text).
 */
export function fitOneSegment(text: string): string {
  if (countSmsSegments(text).segments === 1) return text;
  const transliterated = turkishToGsm7(text);
  const counted = countSmsSegments(transliterated);
  return counted.encoding === 'GSM-7' && counted.segments === 1 ? transliterated : text;
}
