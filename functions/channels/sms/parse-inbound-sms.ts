import * as z from 'zod';
import type { ReceiveInboundInput } from '../../core/conversations/receive-inbound.ts';
import { isSpecialRateNumber, toE164 } from '../../core/customers/phone.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { type InboundMessage, SENDER_NOT_NORMALISED, SPECIAL_RATE_SENDER } from '../../core/model.ts';
import { matchSmsKeyword } from './keywords.ts';

/**
 * The JSON End User Messaging SMS publishes to the two-way SNS topic for each inbound SMS
 * (documented fields; unknown ones are ignored). A concatenated (multi-part) SMS arrives already
 * joined in `messageBody`.
 */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(1).max(40),
  destinationNumber: z.string().min(1).max(40),
  messageKeyword: z.string().max(100).optional(),
  messageBody: z.string().max(1_000_000),
  inboundMessageId: z.string().min(1).max(200),
  previousPublishedMessageId: z.string().max(200).optional(),
});
export type InboundSmsNotification = z.infer<typeof inboundSmsSchema>;

/**
 * Ten full concatenated segments (1,530 GSM-7 characters); End User Messaging itself caps a
 * message at 1,600. Anything longer is not a text message a person typed, so it is cut and flagged.
 */
export const MAX_SMS_TEXT_LENGTH = 1_600;

/** Parses the SNS message text into the core's inbound message; throws InvalidInputError with a reason. */
export function parseInboundSms(snsMessage: string, context: { receivedAt: string }): ReceiveInboundInput {
  let json: unknown;
  try {
    json = JSON.parse(snsMessage);
  } catch (error) {
    throw new InvalidInputError('the SNS message is not JSON', { cause: error });
  }
  const parsed = inboundSmsSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`not an End User Messaging inbound SMS: ${z.prettifyError(parsed.error)}`);
  }
  const sms = parsed.data;
  // A sender libphonenumber does not validate (a short code, a letters-only sender id, a new
  // range) is kept as it came, flagged, never dropped for its form.
  const e164 = toE164(sms.originationNumber);
  const from = e164 ?? sms.originationNumber.trim();
  const flags = [
    ...(e164 ? [] : [SENDER_NOT_NORMALISED]),
    ...(isSpecialRateNumber(from) ? [SPECIAL_RATE_SENDER] : []),
  ];
  const destination = toE164(sms.destinationNumber) ?? sms.destinationNumber.trim();

  const cleaned = cleanText(sms.messageBody);
  const characters = Array.from(cleaned);
  const truncated = characters.length > MAX_SMS_TEXT_LENGTH;
  const text = truncated ? characters.slice(0, MAX_SMS_TEXT_LENGTH).join('') : cleaned;
  const keyword = matchSmsKeyword(text);

  const message: InboundMessage = {
    channel: 'sms',
    providerMessageId: sms.inboundMessageId,
    from: { kind: 'phone', value: from },
    receivedAt: context.receivedAt,
    text,
    attachments: [],
    ...(flags.length > 0 ? { flags } : {}),
    sms: { destinationNumber: destination, ...(keyword ? { keyword } : {}) },
  };
  return { message, attachments: [], truncated };
}

/** NFC, no control characters but line breaks, CRLF as LF, no trailing blank space. */
function cleanText(body: string): string {
  return body
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .trim();
}
