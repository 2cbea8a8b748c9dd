import { isSenderAuthenticated } from '../customers/mail-authentication.ts';
import { InvalidInputError } from '../errors.ts';
import type { Identity, MailAuthenticationHints, MailAutomationSignals, MailVerdicts } from '../model.ts';

/**
 * When an automatic response must not be sent (RFC 3834 §2 and what mail systems do in practice).
 * Answering a machine starts mail loops, answering a list spams its members, answering a forged or
 * spam sender makes us a backscatter source. Every reason found is returned, so the timeline and
 * the logs can say why no acknowledgement went out.
 */
export type AutoReplySuppression =
  | 'auto-submitted'
  | 'precedence'
  | 'mailing-list'
  | 'suppress-header'
  | 'null-sender'
  | 'system-sender'
  | 'no-reply-sender'
  | 'own-address'
  | 'spam'
  | 'virus'
  | 'unauthenticated'
  | 'loop'
  | 'out-of-office-subject'
  | 'delivery-report';

/** The order reasons are reported in, whatever order the checks found them. */
const SUPPRESSION_ORDER: readonly AutoReplySuppression[] = [
  'auto-submitted',
  'precedence',
  'mailing-list',
  'suppress-header',
  'null-sender',
  'system-sender',
  'no-reply-sender',
  'own-address',
  'spam',
  'virus',
  'unauthenticated',
  'loop',
  'out-of-office-subject',
  'delivery-report',
];

/**
 * `Precedence: auto_reply` is not in any RFC but is what several vacation responders send, so it
 * is treated like bulk/list/junk.
 */
export const SUPPRESSING_PRECEDENCE: ReadonlySet<string> = new Set(['bulk', 'list', 'junk', 'auto_reply']);

/** Exchange's X-Auto-Response-Suppress values that ask not to be auto-answered (DR/RN/NRN are receipts). */
const SUPPRESSING_X_AUTO_RESPONSE = new Set(['all', 'oof', 'autoreply']);

/** Mailboxes that belong to mail software, not people (RFC 2142, bounce handlers, list servers). */
const SYSTEM_LOCAL_PART = /^(?:mailer-daemon|postmaster|bounces?|listserv|majordomo)(?:[-+._].*)?$/i;

const NO_REPLY_LOCAL_PART = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-+._].*)?$/i;

/**
 * Subject beginnings of out-of-office and other automatic replies, folded (lowercase, no
 * diacritics, dotless ı as i, hyphens as spaces) so "OTOMATİK YANIT", "Otomatik yanıt" and
 * "Out-of-Office" all match. For responders that send none of the RFC 3834 headers.
 */
const OUT_OF_OFFICE_SUBJECT_PREFIXES = [
  'out of office',
  'automatic reply',
  'auto reply',
  'autoreply',
  'auto:',
  'otomatik yanit',
  'ofis disinda',
  'abwesenheitsnotiz',
  'automatische antwort',
  'reponse automatique',
  'respuesta automatica',
  'risposta automatica',
].map(foldSubject);

export interface AutoReplyCandidate {
  readonly from: Identity;
  readonly email?: {
    readonly signals: MailAutomationSignals;
    readonly verdicts: MailVerdicts;
    readonly authentication?: MailAuthenticationHints;
  };
}

/**
 * Why an automatic response to this inbound message must not go out; `[]` means it may.
 * `ownAddresses` are every address and number of ours on any channel (support address, other
 * mailboxes, our SMS numbers, page ids): a message from one of them is our own echo.
 */
export function autoReplySuppressions(
  input: AutoReplyCandidate,
  ownAddresses: readonly string[],
): AutoReplySuppression[] {
  const found = new Set<AutoReplySuppression>();
  const own = ownAddresses.map((a) => a.trim().toLowerCase()).filter((a) => a !== '');

  if (isOwnAddress(input.from.value, own)) found.add('own-address');

  if (input.from.kind === 'email') {
    const localPart = emailLocalPart(input.from.value);
    if (localPart !== undefined && SYSTEM_LOCAL_PART.test(localPart)) found.add('system-sender');
    if (localPart !== undefined && NO_REPLY_LOCAL_PART.test(localPart)) found.add('no-reply-sender');
  }

  if (input.email !== undefined) {
    for (const reason of mailSignalSuppressions(input.email.signals, own)) found.add(reason);
    for (const reason of verdictSuppressions(input.email)) found.add(reason);
  }

  return SUPPRESSION_ORDER.filter((reason) => found.has(reason));
}

/**
 * Whether an automatic response may go to this customer now: none was sent in the last
 * `windowMinutes` (across all channels). A last send in the future (clock skew between writers)
 * keeps the window closed, because one acknowledgement too few is better than two.
 */
export function isAutoReplyWindowOpen(
  lastAutoReplyAt: string | undefined,
  now: Date,
  windowMinutes: number,
): boolean {
  if (lastAutoReplyAt === undefined) return true;
  const last = Date.parse(lastAutoReplyAt);
  if (Number.isNaN(last)) {
    throw new InvalidInputError(`lastAutoReplyAt is not an ISO timestamp: "${lastAutoReplyAt}"`, {
      field: 'lastAutoReplyAt',
    });
  }
  if (Number.isNaN(now.getTime())) throw new InvalidInputError('now is not a valid date', { field: 'now' });
  return now.getTime() - last >= windowMinutes * 60_000;
}

function mailSignalSuppressions(
  signals: MailAutomationSignals,
  own: readonly string[],
): AutoReplySuppression[] {
  const reasons: AutoReplySuppression[] = [];

  // RFC 3834 §5: any value but "no" marks an automatic message; parameters (";owner-email=…")
  // follow the keyword. A present but empty header is malformed and treated as automatic.
  if (signals.autoSubmitted !== undefined && headerKeyword(signals.autoSubmitted) !== 'no') {
    reasons.push('auto-submitted');
  }
  if (signals.xAutoreply !== undefined) reasons.push('auto-submitted');

  if (signals.precedence !== undefined && SUPPRESSING_PRECEDENCE.has(headerKeyword(signals.precedence))) {
    reasons.push('precedence');
  }
  if (signals.listId !== undefined || signals.listUnsubscribe !== undefined) reasons.push('mailing-list');

  const suppressRequests = signals.xAutoResponseSuppress?.split(/[\s,;]+/) ?? [];
  if (suppressRequests.some((value) => SUPPRESSING_X_AUTO_RESPONSE.has(value.toLowerCase()))) {
    reasons.push('suppress-header');
  }

  if (signals.returnPath !== undefined && isNullSender(signals.returnPath)) reasons.push('null-sender');

  if (signals.xLoop?.some((value) => addressesIn(value).some((address) => isOwnAddress(address, own)))) {
    reasons.push('loop');
  }

  if (signals.subject !== undefined) {
    const subject = foldSubject(signals.subject);
    if (OUT_OF_OFFICE_SUBJECT_PREFIXES.some((prefix) => subject.startsWith(prefix))) {
      reasons.push('out-of-office-subject');
    }
  }

  if (signals.contentType !== undefined && headerKeyword(signals.contentType) === 'multipart/report') {
    reasons.push('delivery-report');
  }
  return reasons;
}

function verdictSuppressions(email: NonNullable<AutoReplyCandidate['email']>): AutoReplySuppression[] {
  const { verdicts } = email;
  const reasons: AutoReplySuppression[] = [];
  if (verdicts.spam === 'FAIL') reasons.push('spam');
  if (verdicts.virus === 'FAIL') reasons.push('virus');
  // Without DMARC PASS or an SPF or DKIM pass aligned with From, the From may be forged:
  // answering it would send our acknowledgement to a bystander (backscatter).
  if (!isSenderAuthenticated(verdicts, email.authentication)) reasons.push('unauthenticated');
  return reasons;
}

/** Whether an inbound mail's From is forged or unproven: such mail is kept, flagged, never answered. */
export function isUnauthenticatedMail(input: AutoReplyCandidate): boolean {
  return (
    input.email !== undefined && !isSenderAuthenticated(input.email.verdicts, input.email.authentication)
  );
}

/**
 * An exact own address or number, or a subaddress of an own mailbox (`support+c-123@shop.example`
 * for `support@shop.example`), which is how reply tokens reach us.
 */
function isOwnAddress(value: string, own: readonly string[]): boolean {
  const candidate = value.trim().toLowerCase();
  if (own.includes(candidate)) return true;
  const at = candidate.lastIndexOf('@');
  if (at <= 0) return false;
  const plus = candidate.indexOf('+');
  if (plus <= 0 || plus > at) return false;
  return own.includes(`${candidate.slice(0, plus)}${candidate.slice(at)}`);
}

function isNullSender(returnPath: string): boolean {
  const trimmed = returnPath.trim();
  return trimmed === '' || trimmed === '<>';
}

function emailLocalPart(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at <= 0 ? undefined : address.slice(0, at).trim();
}

/** Addresses inside a header value such as `X-Loop: Support <support@shop.example>`. */
function addressesIn(headerValue: string): string[] {
  return headerValue.match(/[^\s<>,;"()]+@[^\s<>,;"()]+/g) ?? [];
}

/** The value before any `;` parameters, trimmed and lowercased. */
function headerKeyword(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

function foldSubject(subject: string): string {
  return subject
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ı/gu, 'i')
    .replace(/[-_]+/g, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
