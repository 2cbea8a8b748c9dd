import { CustomDataIdentifier, DataIdentifier, DataProtectionPolicy } from 'aws-cdk-lib/aws-logs';

/**
 * CloudWatch Logs managed identifiers for the personal data a support inbox handles: email
 * addresses and the phone-number formats CloudWatch knows. Turkey (the first shop's market) has no
 * managed phone identifier, hence the E.164 custom identifier below.
 */
export const PERSONAL_DATA_IDENTIFIERS: readonly string[] = [
  'EmailAddress',
  'PhoneNumber-US',
  'PhoneNumber-GB',
  'PhoneNumber-DE',
  'PhoneNumber-FR',
  'PhoneNumber-ES',
  'PhoneNumber-IT',
  'PhoneNumber-BR',
];

/** Name of the custom identifier for numbers in international (E.164) form, as our code writes them. */
export const E164_PHONE_IDENTIFIER = 'E164PhoneNumber';

/**
 * Numbers in national form with a trunk 0, as customers and providers' error messages write them:
 * `0532 999 88 77`, `0532-999-88-77`, `05329998877` (Turkish mobiles, and the 0xxx forms of most
 * European numbering plans).
 */
export const NATIONAL_PHONE_IDENTIFIER = 'NationalPhoneNumber';
export const NATIONAL_PHONE_PATTERN = '0[1-9][0-9]{1,3}[ .-]?[0-9]{3}[ .-]?[0-9]{2}[ .-]?[0-9]{2}';

/**
 * The data protection policy every switchboard log group carries. The code logs ids only; this is
 * the safety net for the line that slips through (an SDK error quoting a request, a stack trace
 * with an address): CloudWatch masks matches for everyone without `logs:Unmask` and audits them.
 */
export function personalDataProtectionPolicy(): DataProtectionPolicy {
  return new DataProtectionPolicy({
    name: 'switchboard-personal-data',
    description: 'Masks email addresses and phone numbers that reach the logs by mistake',
    identifiers: [
      ...PERSONAL_DATA_IDENTIFIERS.map((name) => new DataIdentifier(name)),
      new CustomDataIdentifier(E164_PHONE_IDENTIFIER, '\\+[1-9][0-9]{7,14}'),
      new CustomDataIdentifier(NATIONAL_PHONE_IDENTIFIER, NATIONAL_PHONE_PATTERN),
    ],
  });
}
