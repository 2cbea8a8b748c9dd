/**
 * The shape of an E.164 number ("+905321234567": a plus, a calling code that does not start
 * with 0, at most 15 digits in all), without asking whether its range is in use. Enough where a
 * number was already normalised (a stored identity, a configured own number) or where the
 * provider refuses it anyway; the full check (phone.ts) needs libphonenumber's metadata, which
 * only the functions that normalise numbers from outside load.
 */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

export function hasE164Shape(value: string): boolean {
  return E164_SHAPE.test(value);
}
