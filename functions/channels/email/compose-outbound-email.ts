import { InvalidInputError, PermanentDeliveryError } from '../../core/errors.ts';
import { isSendableAddress, normalizeMessageId, toSingleLine, toVisibleSingleLine } from './header-values.ts';

export { extractReplyToken, replyTokenAddress } from './reply-token.ts';

export interface OutboundEmail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  /** Without angle brackets, e.g. `out-abc@support.example.com`. */
  messageId: string;
  inReplyTo?: string;
  references: readonly string[];
  /** Extra headers such as `Auto-Submitted: auto-replied`; the structural ones are set from the fields above. */
  headers: Readonly<Record<string, string>>;
  /** BCP 47 tag for Content-Language, e.g. `tr` or `en-GB`. */
  language?: string;
  date: Date;
  /** Files sent with the mail (multipart/mixed), each as its own part with its declared type. */
  attachments?: readonly { filename: string; contentType: string; content: Uint8Array }[];
}

/**
 * The composer (133 KiB minified, half of it nodemailer's table of MIME types) loads with the
 * first email: a dispatcher that starts for an SMS or WhatsApp send never reads it.
 */
let mailComposer: Promise<typeof import('nodemailer/lib/mail-composer')> | undefined;
function loadMailComposer() {
  mailComposer ??= import('nodemailer/lib/mail-composer').catch((error: unknown) => {
    mailComposer = undefined;
    throw error;
  });
  return mailComposer;
}

const MAX_SUBJECT_LENGTH = 250;
const MAX_NAME_LENGTH = 100;
const MAX_HEADER_VALUE_LENGTH = 900;
/** As on the inbound side: the newest ids are the ones a client needs to thread. */
const MAX_REFERENCES = 50;

/** A header field name (RFC 5322 ftext): printable ASCII except ":"; no room for a line break. */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * Headers the composer derives from the typed fields. Letting `headers` set them would allow a
 * second From or To, or a Bcc nobody asked for.
 */
const STRUCTURAL_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-language',
  'return-path',
]);

function sendableAddress(address: string, field: string): string {
  const trimmed = address.trim();
  if (isSendableAddress(trimmed)) return trimmed;
  // The reason names the field, not the address: reasons end up in logs.
  if (field === 'to') throw new PermanentDeliveryError('the recipient is not a valid email address');
  throw new InvalidInputError(`${field} is not a valid email address`, { field });
}

function messageIdOf(value: string, field: string): string {
  const id = normalizeMessageId(value);
  if (id === undefined || !id.includes('@')) {
    throw new InvalidInputError(`${field} must look like local@domain, printable ASCII without spaces`, {
      field,
    });
  }
  return id;
}

/**
 * Ids of the conversation so far, oldest first, ending with the message we answer (RFC 5322
 * §3.6.4), without duplicates. An id that arrived malformed in a customer's mail is dropped rather
 * than failing the reply.
 */
function referencesOf(references: readonly string[], inReplyTo: string | undefined): string[] {
  const ids = new Set<string>();
  for (const reference of references) {
    const id = repeatableMessageId(reference);
    if (id !== undefined) ids.add(id);
  }
  if (inReplyTo !== undefined) {
    ids.delete(inReplyTo);
    ids.add(inReplyTo);
  }
  return [...ids].slice(-MAX_REFERENCES);
}

function extraHeadersOf(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new InvalidInputError('a header name must be printable ASCII without spaces or ":"', {
        field: 'headers',
      });
    }
    if (STRUCTURAL_HEADERS.has(name.toLowerCase())) {
      throw new InvalidInputError(`the ${name} header is set from its own field, not from headers`, {
        field: 'headers',
      });
    }
    result[name] = toSingleLine(value, MAX_HEADER_VALUE_LENGTH);
  }
  return result;
}

/**
 * Text that spells an RFC 2047 encoded-word (`=?UTF-8?B?DQpCY2M6…?=`), e.g. a stranger's subject
 * that decoded to one, would go out verbatim in an ASCII header and be decoded by the recipient's
 * client into whatever it hides, line breaks included. A space after `=` makes it plain text.
 */
function withoutEncodedWords(text: string): string {
  return text.replace(ENCODED_WORD_START, '= ?');
}

const ENCODED_WORD_START = /=\?(?=[^?\s]*\?[bBqQ]\?)/g;

/**
 * A Message-ID of someone else's mail as we may repeat it in In-Reply-To and References: one
 * that spells an encoded-word is dropped, since a lenient client decodes even there.
 */
function repeatableMessageId(value: string): string | undefined {
  const id = normalizeMessageId(value);
  return id === undefined || new RegExp(ENCODED_WORD_START.source).test(id) ? undefined : id;
}

/** Body text with `\n` line breaks and no control characters except tab and newline. */
function bodyTextOf(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '');
}

/**
 * Builds one raw RFC 5322 message (text/plain, UTF-8) ready for SES SendRawEmail / SendEmail Raw.
 * Every header value is reduced to a single line before it reaches the composer, so no input can
 * add a header; invalid addresses and ids are refused with {@link InvalidInputError}, an invalid
 * recipient with {@link PermanentDeliveryError}.
 */
export async function composeOutboundEmail(mail: OutboundEmail): Promise<Uint8Array> {
  const from = sendableAddress(mail.from.address, 'from');
  const to = sendableAddress(mail.to, 'to');
  const replyTo = mail.replyTo === undefined ? undefined : sendableAddress(mail.replyTo, 'replyTo');
  const messageId = messageIdOf(mail.messageId, 'messageId');
  const inReplyTo = mail.inReplyTo === undefined ? undefined : repeatableMessageId(mail.inReplyTo);
  const references = referencesOf(mail.references, inReplyTo);
  if (Number.isNaN(mail.date.getTime())) {
    throw new InvalidInputError('date is not a valid date', { field: 'date' });
  }
  if (mail.language !== undefined && !LANGUAGE_TAG.test(mail.language)) {
    throw new InvalidInputError('language must be a language tag such as "tr" or "en-GB"', {
      field: 'language',
    });
  }

  const headers = extraHeadersOf(mail.headers);
  if (mail.language !== undefined) headers['Content-Language'] = mail.language;

  const { default: MailComposer } = await loadMailComposer();
  const composer = new MailComposer({
    from: { name: withoutEncodedWords(toVisibleSingleLine(mail.from.name, MAX_NAME_LENGTH)), address: from },
    // Objects, not strings: a string would go through the address parser, which splits on commas.
    to: { name: '', address: to },
    replyTo: replyTo === undefined ? undefined : { name: '', address: replyTo },
    subject: withoutEncodedWords(toSingleLine(mail.subject, MAX_SUBJECT_LENGTH)),
    text: bodyTextOf(mail.text),
    messageId: `<${messageId}>`,
    inReplyTo: inReplyTo === undefined ? undefined : `<${inReplyTo}>`,
    references: references.length > 0 ? references.map((id) => `<${id}>`) : undefined,
    date: mail.date,
    headers,
    ...(mail.attachments && mail.attachments.length > 0
      ? {
          attachments: mail.attachments.map((file) => ({
            // Names are the agent's: one line, no path; the composer encodes non-ASCII (RFC 2231).
            filename: toSingleLine(file.filename, MAX_NAME_LENGTH).replace(/[\\/]/g, '_') || 'file',
            contentType: file.contentType,
            content: Buffer.from(file.content),
            contentDisposition: 'attachment' as const,
          })),
        }
      : {}),
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
