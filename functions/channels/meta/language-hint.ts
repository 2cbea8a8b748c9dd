import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Language } from '../../core/model.ts';

/**
 * The main language of a phone number's country, for a first message without text (a sticker,
 * a photo) where there is nothing to detect. Only countries with one clearly dominant language;
 * anything else gives no hint and the configured default applies.
 */
const COUNTRY_LANGUAGE: Readonly<Record<string, Language>> = {
  TR: 'tr',
  GB: 'en',
  IE: 'en',
  US: 'en',
  AU: 'en',
  NZ: 'en',
  DE: 'de',
  AT: 'de',
  FR: 'fr',
  ES: 'es',
  IT: 'it',
  NL: 'nl',
  PL: 'pl',
  GR: 'el',
};

export function languageOfPhoneCountry(e164: string): Language | undefined {
  const country = parsePhoneNumberFromString(e164)?.country;
  return country === undefined ? undefined : COUNTRY_LANGUAGE[country];
}
