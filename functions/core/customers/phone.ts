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

/**
 * International networks, satellite and premium-rate ranges (+870, +878, +881, +882, +883, +888,
 * +979) and numbers libphonenumber types as premium rate or shared cost: a reply there costs the
 * shop money, or pays the sender. A message from one is stored, never answered automatically.
 */
const SPECIAL_RATE_CALLING_CODES = ['870', '878', '881', '882', '883', '888', '979'];

/** `raw` as given (valid or not): by its calling code, or by libphonenumber's type when valid. */
export function isSpecialRateNumber(raw: string): boolean {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('+')) return false;
  const digits = trimmed.replace(/\D/g, '');
  if (SPECIAL_RATE_CALLING_CODES.some((code) => digits.startsWith(code))) return true;
  const parsed = parsePhoneNumberFromString(trimmed);
  if (!parsed?.isValid()) return false;
  const type = parsed.getType();
  return type === 'PREMIUM_RATE' || type === 'SHARED_COST';
}
