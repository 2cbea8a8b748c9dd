import { createHash } from 'node:crypto';
import PostalMime, { type Address, type Attachment, type Mailbox } from 'postal-mime';
import { SUPPRESSING_PRECEDENCE } from '../../core/auto-reply/policy.ts';
import { domainOf } from '../../core/customers/mail-authentication.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type {
  AttachmentRef,
  EmailThreadingHints,
  InboundMessage,
  MailAuthenticationHints,
  MailAutomationSignals,
  MailVerdicts,
} from '../../core/model.ts';
import { SENDER_NOT_NORMALISED } from '../../core/model.ts';
import {
  extractMessageIds,
  isReceivedAddress,
  toSingleLine,
  toVisibleSingleLine,
  truncateCodeUnits,
} from './header-values.ts';
import { organizationalDomain } from './organizational-domain.ts';
import { type DroppedParts, keepFirstParts, withoutStrayBlankLines } from './raw-mime.ts';
import { extractNewText, normalizeBodyText } from './reply-text.ts';
import { extractReplyToken } from './reply-token.ts';

/** What SES tells us about a received message besides its bytes (the receipt notification). */
export interface SesReceiptContext {
  sesMessageId: string;
  /** ISO 8601, SES `mail.timestamp`: when SES received the message. */
  timestamp: string;
  /**
   * Envelope MAIL FROM (`mail.source`); `''` or `'<>'` for the null sender of bounces. When it is
   * not known (a message injected without an envelope), the Return-Path header stands in.
   */
  source?: string;
  /** Envelope recipients (`receipt.recipients`). */
  recipients: readonly string[];
  verdicts: MailVerdicts;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  content: Uint8Array;
  /** Shown inside the body (an embedded image) rather than offered as a file. */
  inline: boolean;
  /** Content-ID without angle brackets, for `cid:` references from the HTML body. */
  contentId?: string;
}

export interface ParsedInboundEmail {
  /** Channel `email`; attachments carry metadata only, the caller stores the content. */
  message: InboundMessage;
  attachments: ParsedAttachment[];
  /** The body was longer than we keep; `text`/`fullText` end with {@link TRUNCATION_MARKER}. */
  truncated: boolean;
  /** The MIME parts past {@link MAX_MIME_PARTS}, which were not read. */
  droppedParts?: DroppedParts;
}

export interface ParseInboundEmailOptions {
  /** Our address, e.g. `support@support.example.com`: reply tokens are read from its subaddresses. */
  supportAddress: string;
  /** Defaults to {@link MAX_RAW_EMAIL_BYTES}. */
  maxRawBytes?: number;
}

/**
 * MIME parts read of one message; the rest is recorded as dropped. Real mail has a few dozen;
 * thousands are a parser trap (every part is a node held in memory).
 */
export const MAX_MIME_PARTS = 1_000;

/** SES accepts messages up to 40 MB; anything larger did not come from SES. */
export const MAX_RAW_EMAIL_BYTES = 40 * 1024 * 1024;
/** Text kept per message (UTF-8 bytes), well inside a DynamoDB item. */
export const MAX_TEXT_BYTES = 64 * 1024;
export const TRUNCATION_MARKER = '\n\n[truncated]';
/** References keep the most recent ids: those are the ones that point at our latest messages. */
export const MAX_REFERENCES = 50;
const MAX_IN_REPLY_TO = 10;
/** Body text looked at before normalizing; far more than MAX_TEXT_BYTES, so truncation stays exact. */
const MAX_BODY_CHARS = 1_000_000;
const MAX_SUBJECT_LENGTH = 998;
const MAX_NAME_LENGTH = 200;
/** The longest address SMTP carries (RFC 5321 path limit); what a From gives is kept to that. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_HEADER_VALUE_LENGTH = 2_000;
/** Header bytes of all parts of one message: more is a parser trap, not mail. */
const MAX_HEADER_BYTES = 1024 * 1024;
const MAX_FILENAME_LENGTH = 200;

/** A header field name (RFC 5322 ftext): printable ASCII except ":". */
const HEADER_FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * What the parser gives us of one message: postal-mime's result with the addresses as flat
 * lists of mailboxes. postal-mime decodes charsets with the runtime's TextDecoder (every
 * WHATWG encoding with Node's full ICU), where mailparser carried iconv-lite, libmime and
 * encoding-japanese: about 750 KB of every cold start of the mail function.
 */
interface MimeMessage {
  readonly headerLines: ReadonlyArray<{ readonly key: string; readonly line: string }>;
  readonly from: readonly Mailbox[];
  readonly to: readonly Mailbox[];
  readonly cc: readonly Mailbox[];
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly Attachment[];
}

function toBuffer(raw: Uint8Array | string): Buffer {
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

function rawByteLength(raw: Uint8Array | string): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
}

/** Raw, unfolded values of one top-level header, in order. */
function headerValues(mail: MimeMessage, name: string): string[] {
  return mail.headerLines
    .filter((header) => header.key === name)
    .map((header) => toSingleLine(header.line.slice(header.line.indexOf(':') + 1), MAX_HEADER_VALUE_LENGTH));
}

/**
 * Of a header that belongs once but arrives several times (a relay or list server added its own
 * above the sender's), the first value that marks the mail automatic, else the first: a later
 * `Auto-Submitted: auto-generated` or `Precedence: bulk` must not hide behind an earlier `no` or
 * `normal`, or we would answer a machine.
 */
function mostAutomaticValue(values: readonly string[], isAutomatic: (keyword: string) => boolean) {
  return values.find((value) => isAutomatic((value.split(';')[0] ?? '').trim().toLowerCase())) ?? values[0];
}

function firstHeaderValue(mail: MimeMessage, ...names: string[]): string | undefined {
  for (const name of names) {
    const [value] = headerValues(mail, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

function mailboxesOf(header: Address | readonly Address[] | undefined): Mailbox[] {
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header as Address];
  return list.flatMap((entry: Address) => (entry.group ? entry.group : [entry]));
}

/** What stands for a sender whose mail names none at all (no From header, no envelope sender). */
export const UNNAMED_SENDER = '(no sender)';

interface Sender {
  readonly address: string;
  readonly name?: string;
  /** False: `address` is what the mail gave, not a valid address; the message is kept and flagged. */
  readonly normalised: boolean;
}

/**
 * The sender. A From without a usable address is no reason to lose the customer's words: the mail
 * is kept on an identity of what it gave (the From text, else the envelope sender), flagged, and
 * never answered, since there is no address to answer.
 */
function senderOf(mail: MimeMessage, envelopeSender: string | undefined): Sender {
  const mailbox = mail.from.find((entry) => isReceivedAddress(entry.address.trim()));
  if (mailbox !== undefined) {
    const address = mailbox.address.trim().toLowerCase();
    const name = toVisibleSingleLine(mailbox.name, MAX_NAME_LENGTH);
    return name === '' || name.toLowerCase() === address
      ? { address, normalised: true }
      : { address, name, normalised: true };
  }
  const fromText = toVisibleSingleLine(
    firstHeaderValue(mail, 'from') ?? '',
    MAX_ADDRESS_LENGTH,
  ).toLowerCase();
  const envelope = envelopeSender?.trim().toLowerCase() ?? '';
  const given = fromText !== '' ? fromText : envelope !== '' ? envelope : UNNAMED_SENDER;
  return { address: given, normalised: false };
}

/** `<a@b>` → `a@b`, `<>` → `''` (the null sender). */
function bareAddress(value: string): string {
  const bracketed = /<([^<>]*)>/.exec(value);
  return (bracketed?.[1] ?? value).trim();
}

/**
 * What makes two deliveries the same mail. SES retries carry the same SES message id, but a
 * sending server that retries after a dropped connection makes SES store a second copy under a
 * new id: the sender's Message-ID is what both copies share. It is scoped by the sender, so a
 * stranger who reuses someone's Message-ID cannot make their mail look like a duplicate, and
 * hashed, so the key stays short whatever the header holds. Mail without one falls back to SES's id.
 */
function providerMessageIdOf(
  senderAddress: string,
  messageId: string | undefined,
  sesMessageId: string,
): string {
  if (messageId === undefined) return `ses:${sesMessageId}`;
  return `mid:${createHash('sha256').update(`${senderAddress}\n${messageId}`).digest('hex').slice(0, 40)}`;
}

function threadingOf(
  mail: MimeMessage,
  context: SesReceiptContext,
  supportAddress: string,
): EmailThreadingHints {
  const messageIdValue = firstHeaderValue(mail, 'message-id');
  const messageId = messageIdValue === undefined ? undefined : extractMessageIds(messageIdValue)[0];
  const inReplyTo = [...new Set(headerValues(mail, 'in-reply-to').flatMap(extractMessageIds))];
  const references = [...new Set(headerValues(mail, 'references').flatMap(extractMessageIds))];
  // Envelope recipients first: they are what SES delivered on; To/Cc cover a token address that
  // reached us through a forward or an alias.
  const addressed = [
    ...context.recipients,
    ...mail.to.map((entry) => entry.address),
    ...mail.cc.map((entry) => entry.address),
  ];
  const replyToken = extractReplyToken(addressed, supportAddress);
  return withoutUndefined({
    messageId,
    inReplyTo: inReplyTo.slice(0, MAX_IN_REPLY_TO),
    references: references.slice(-MAX_REFERENCES),
    replyToken,
  });
}

/** The envelope sender: SES's `mail.source`, else the Return-Path header. */
function envelopeSenderOf(mail: MimeMessage, context: SesReceiptContext): string | undefined {
  if (context.source !== undefined) return bareAddress(context.source);
  const returnPathHeader = firstHeaderValue(mail, 'return-path');
  return returnPathHeader === undefined ? undefined : bareAddress(returnPathHeader);
}

/** More signatures than any real relay chain adds; the rest are not looked at. */
const MAX_DKIM_SIGNATURES = 20;
/** The `d=` tag of a DKIM-Signature (RFC 6376 §3.5), tags separated by `;`, whitespace anywhere. */
const DKIM_DOMAIN_TAG = /(?:^|;)\s*d\s*=\s*([^;\s]+)/i;

/**
 * The organizational domains of the From address and of what SPF and DKIM vouched for, as the
 * raw headers name them. A signature whose `d=` cannot be read is kept as `''`, which aligns
 * with nothing.
 */
function authenticationOf(
  mail: MimeMessage,
  fromAddress: string,
  envelopeSender: string | undefined,
): MailAuthenticationHints {
  const dkimDomains = mail.headerLines
    .filter((header) => header.key === 'dkim-signature')
    .slice(0, MAX_DKIM_SIGNATURES)
    .map((header) => {
      // Unfolded but not shortened: the tag may come after a long `b=`.
      const value = header.line.slice(header.line.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ');
      const domain = DKIM_DOMAIN_TAG.exec(value)?.[1] ?? '';
      return domain === '' ? '' : organizationalDomain(domain);
    });
  const envelopeDomain = envelopeSender === undefined ? undefined : domainOf(envelopeSender);
  return withoutUndefined({
    fromDomain: organizationalDomain(domainOf(fromAddress) ?? ''),
    envelopeDomain: envelopeDomain === undefined ? undefined : organizationalDomain(envelopeDomain),
    dkimDomains,
  });
}

function signalsOf(
  mail: MimeMessage,
  context: SesReceiptContext,
  subject: string | undefined,
): MailAutomationSignals {
  const returnPath = envelopeSenderOf(mail, context);
  const xLoop = headerValues(mail, 'x-loop');
  const contentType = firstHeaderValue(mail, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  return withoutUndefined({
    autoSubmitted: mostAutomaticValue(headerValues(mail, 'auto-submitted'), (keyword) => keyword !== 'no'),
    precedence: mostAutomaticValue(headerValues(mail, 'precedence'), (keyword) =>
      SUPPRESSING_PRECEDENCE.has(keyword),
    ),
    listId: firstHeaderValue(mail, 'list-id'),
    listUnsubscribe: firstHeaderValue(mail, 'list-unsubscribe'),
    // Repeated, its values add up (`DR` from one system, `OOF` from another).
    xAutoResponseSuppress: headerValues(mail, 'x-auto-response-suppress').join(', ') || undefined,
    xAutoreply: firstHeaderValue(mail, 'x-autoreply', 'x-autorespond'),
    xLoop: xLoop.length > 0 ? xLoop : undefined,
    returnPath,
    subject,
    contentType: contentType === '' ? undefined : contentType,
  });
}

/**
 * The body as plain text: the text part when there is one, otherwise the HTML part converted.
 * The converter (html-to-text and htmlparser2, ~190 KB) is loaded on the first HTML-only mail:
 * most mail has a text part, and a cold start need not pay for it.
 */
async function bodyTextOf(mail: MimeMessage): Promise<string> {
  if (mail.text !== undefined && mail.text.trim() !== '') return mail.text.slice(0, MAX_BODY_CHARS);
  if (typeof mail.html === 'string' && mail.html.trim() !== '') {
    const { htmlToPlainText } = await import('./html-text.ts');
    return htmlToPlainText(mail.html).slice(0, MAX_BODY_CHARS);
  }
  return '';
}

function flagsOf(sender: Sender, dropped: DroppedParts | undefined): string[] | undefined {
  const flags = [
    ...(sender.normalised ? [] : [SENDER_NOT_NORMALISED]),
    ...(dropped ? ['truncated', 'mime-parts-dropped'] : []),
  ];
  return flags.length > 0 ? flags : undefined;
}

/** Cuts `text` to `maxBytes` of UTF-8 on a character boundary, ending with the truncation marker. */
function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes - Buffer.byteLength(TRUNCATION_MARKER, 'utf8');
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return {
    text: `${bytes.subarray(0, end).toString('utf8').trimEnd()}${TRUNCATION_MARKER}`,
    truncated: true,
  };
}

/**
 * A file name safe to show and to use in an object key: no directories, no control or invisible
 * characters (a right-to-left override can make `exe.pdf` read as `fdp.exe`), no leading dots,
 * bounded length with the extension kept.
 */
export function sanitizeFilename(filename: string | undefined, position: number): string {
  const base = (filename ?? '').split(/[/\\]/).pop() ?? '';
  const visible = toVisibleSingleLine(base, Number.MAX_SAFE_INTEGER).replace(/^[.\s]+/, '');
  if (visible === '') return `attachment-${position}`;
  if (visible.length <= MAX_FILENAME_LENGTH) return visible;
  const extension = /\.[^.\s]{1,16}$/.exec(visible)?.[0] ?? '';
  return `${truncateCodeUnits(visible, MAX_FILENAME_LENGTH - extension.length).trimEnd()}${extension}`;
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

function attachmentOf(attachment: Attachment, position: number): ParsedAttachment {
  const contentType = attachment.mimeType.trim().toLowerCase();
  const content =
    typeof attachment.content === 'string'
      ? Buffer.from(attachment.content, attachment.encoding === 'base64' ? 'base64' : 'utf8')
      : attachment.content instanceof Uint8Array
        ? attachment.content
        : new Uint8Array(attachment.content);
  const contentId = attachment.contentId?.trim().replace(/^<\s*/, '').replace(/\s*>$/, '');
  return withoutUndefined({
    filename: sanitizeFilename(attachment.filename ?? undefined, position),
    contentType: MIME_TYPE.test(contentType) ? contentType : 'application/octet-stream',
    size: content.byteLength,
    content,
    inline: attachment.disposition === 'inline' || attachment.related === true,
    contentId:
      contentId === undefined || contentId === ''
        ? undefined
        : toSingleLine(contentId, MAX_HEADER_VALUE_LENGTH),
  });
}

/** Drops properties whose value is undefined, so the result marshals and compares cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

async function parseMime(raw: Buffer): Promise<MimeMessage> {
  try {
    const mail = await PostalMime.parse(raw, {
      // A forwarded message stays an attachment (the agent opens it), as with mailparser: its
      // text inlined into the body would read as the customer's own words.
      forceRfc822Attachments: true,
      // Header bytes of every part together (real mail has a few KB per part; keepFirstParts
      // has already cut the part count): beyond it the parse is refused.
      maxHeadersSize: MAX_HEADER_BYTES,
      attachmentEncoding: 'arraybuffer',
    });
    return {
      headerLines: mail.headerLines,
      from: mailboxesOf(mail.from),
      to: mailboxesOf(mail.to),
      cc: mailboxesOf(mail.cc),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments,
    };
  } catch (cause) {
    throw new InvalidInputError('the message could not be parsed as MIME', { cause });
  }
}

/**
 * Turns a raw message received by SES into an {@link InboundMessage} plus its attachments.
 * Throws {@link InvalidInputError} (with a reason, never the message content) for anything that
 * is not a usable email: empty, too large, not MIME, no valid From address.
 */
export async function parseInboundEmail(
  raw: Uint8Array | string,
  context: SesReceiptContext,
  options: ParseInboundEmailOptions,
): Promise<ParsedInboundEmail> {
  const maxRawBytes = options.maxRawBytes ?? MAX_RAW_EMAIL_BYTES;
  const size = rawByteLength(raw);
  if (size === 0) throw new InvalidInputError('the message is empty');
  if (size > maxRawBytes) {
    throw new InvalidInputError(`the message is ${size} bytes, more than the ${maxRawBytes} bytes accepted`);
  }

  const kept = keepFirstParts(withoutStrayBlankLines(toBuffer(raw)), MAX_MIME_PARTS);
  const mail = await parseMime(kept.raw);
  const firstHeader = mail.headerLines[0];
  if (firstHeader === undefined || !HEADER_FIELD_NAME.test(firstHeader.key)) {
    throw new InvalidInputError('the input is not an email message: it does not start with header fields');
  }
  const envelopeSender = envelopeSenderOf(mail, context);
  const sender = senderOf(mail, envelopeSender);
  const subjectLine = mail.subject === undefined ? '' : toSingleLine(mail.subject, MAX_SUBJECT_LENGTH);
  const subject = subjectLine === '' ? undefined : subjectLine;

  const { text: fullText, truncated } = truncateUtf8(
    normalizeBodyText(await bodyTextOf(mail)),
    MAX_TEXT_BYTES,
  );
  const attachments = mail.attachments.map((attachment, index) => attachmentOf(attachment, index + 1));
  const attachmentRefs: AttachmentRef[] = attachments.map(({ filename, contentType, size }) => ({
    filename,
    contentType,
    size,
  }));
  const { dropped } = kept;
  if (dropped) {
    // Shown with the attachments, where an agent looks for what is missing.
    attachmentRefs.push({
      filename: 'parts-not-read',
      contentType: 'multipart/mixed',
      size: dropped.bytes,
      skippedReason: `not read: ${dropped.count} MIME parts after the first ${MAX_MIME_PARTS}; the original is kept in the mail bucket`,
    });
  }

  const threading = threadingOf(mail, context, options.supportAddress);
  const message: InboundMessage = withoutUndefined({
    channel: 'email',
    providerMessageId: providerMessageIdOf(sender.address, threading.messageId, context.sesMessageId),
    from: { kind: 'email', value: sender.address },
    fromName: sender.name,
    receivedAt: context.timestamp,
    subject,
    text: extractNewText(fullText),
    fullText,
    attachments: attachmentRefs,
    flags: flagsOf(sender, dropped),
    email: {
      threading,
      signals: signalsOf(mail, context, subject),
      verdicts: context.verdicts,
      authentication: authenticationOf(mail, sender.address, envelopeSender),
      recipients: [...context.recipients],
    },
  });
  return withoutUndefined({ message, attachments, truncated, droppedParts: dropped });
}
