import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers in E.164 ("+905321234567"), checked against libphonenumber's full metadata:
 * a number must be valid for its country (right length and a range in use), not just look
 * like digits. Spaces and dashes are tolerated on the way in; the stored form is canonical.
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  // Only international form: a national number ("0532…") means nothing without a country.
  if (!trimmed.startsWith('+') || trimmed.length > 32) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

export function isE164(value: string): boolean {
  return toE164(value) === value;
}
