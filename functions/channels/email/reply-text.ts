import EmailReplyParser from 'email-reply-parser';

/**
 * Turning an email body into the text a person wrote: normalize it, then cut the quoted history
 * and the signature so agents and the auto-responder see only what is new.
 *
 * email-reply-parser does most of the work (`>` quoting, English "On … wrote:", "From: Name
 * <address>" blocks, "Sent from my iPhone", "Regards" signatures). It misses the Turkish headers
 * (Gmail "… tarihinde … şunu yazdı:", Outlook "Kimden:/Gönderildi:"), Russian ones ("… написал:",
 * "… пишет:"), German ones that wrap, Outlook blocks whose From line has no address, and
 * attribution lines that sit at the very top or wrap over three lines, so a small pre-pass below
 * cuts those first (with German, French and Spanish attributions, whatever their shape). The
 * same pre-pass keeps forwarded messages, which the parser would hide as if they were history.
 */

/** Lines longer than this are never quote headers; the parser's regexes backtrack quadratically on them. */
const REPLY_PARSER_MAX_LINE = 1_000;
/** Above this size the parser pass is skipped: it runs ~30 regexes over the whole text. */
const REPLY_PARSER_MAX_INPUT = 20_000;
/** An attribution line wraps over at most this many lines (Gmail wraps before the address). */
const ATTRIBUTION_MAX_LINES = 3;
const ATTRIBUTION_MAX_LENGTH = 600;
/** How far below a "From:" line the "Sent:" line of an Outlook header block may be (a wrapped From line). */
const OUTLOOK_BLOCK_REACH = 2;

/**
 * Newlines to `\n`, no control characters except tab and newline, no trailing spaces, no more
 * than one blank line in a row, trimmed. U+FEFF (iOS puts one before quoted text) is dropped and
 * no-break spaces become spaces so that text compares and searches like typed text.
 */
export function normalizeBodyText(text: string): string {
  const cleaned = text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\uFEFF/g, '')
    .replace(/\u00A0/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '');
  const lines: string[] = [];
  let blankRun = 0;
  // Line by line rather than /[ \t]+$/gm: that regex is quadratic on long runs of spaces.
  for (const raw of cleaned.split('\n')) {
    const line = raw.trimEnd();
    blankRun = line === '' ? blankRun + 1 : 0;
    if (blankRun <= 1) lines.push(line);
  }
  return lines.join('\n').trim();
}

// "On Tue, Mar 3, 2026 at 10:15 AM Name <address> wrote:" (Gmail, Apple Mail, Outlook mobile, Yahoo).
const ENGLISH_ATTRIBUTION = /^\s*(>\s*)*On\s.{5,500}\swrote:$/;
// Gmail: "Name <address>, 3 Mar 2026 Sal, 10:15 tarihinde şunu yazdı:";
// Apple Mail: "3 Mar 2026 tarihinde 10:15 saatinde, Name <address> şunu yazdı:".
const TURKISH_ATTRIBUTION = /^\s*(>\s*)*\S.{0,400}\starihinde\s.{0,300}yazdı\s*:$/u;

/**
 * Attribution lines of other languages' clients. Each is only taken for one when it also names an
 * address or a clock time, so "Am Montag schrieb mein Mann:" stays the customer's text.
 */
const OTHER_ATTRIBUTIONS: readonly RegExp[] = [
  // Russian: Apple Mail "23 нояб. 2026 г., в 12:58, Name <address> написал(а):", Thunderbird
  // "23.11.2026 12:58, Name пишет:", and Gmail, which ends on the address alone:
  // "пн, 23 нояб. 2026 г. в 12:58, Name <address>:".
  /^\s*(>\s*)*\S.{0,400}\s(написал|написала|написал\(а\)|пишет)\s*:$/iu,
  /^\s*(>\s*)*\S.{0,200}\d{4}\sг\.,?\s(в\s)?\d{1,2}:\d{2},\s.{1,300}>\s*:$/u,
  // German: Gmail "Am Mo., 23. Nov. 2026 um 12:58 Uhr schrieb Name <address>:", Apple Mail
  // "Am 23.11.2026 um 12:58 schrieb Name <address>:"; Outlook "Name <address> schrieb am …:".
  /^\s*(>\s*)*Am\s.{3,400}\sschrieb\s.{1,300}:$/u,
  /^\s*(>\s*)*\S.{0,300}\sschrieb am\s.{3,200}:$/u,
  // French: "Le lun. 23 nov. 2026 à 12:58, Name <address> a écrit :" (a space, often a no-break
  // one, before the colon).
  /^\s*(>\s*)*Le\s.{3,400}\sa\s+écrit\s*:$/iu,
  // Spanish: "El lun, 23 nov 2026 a las 12:58, Name (<address>) escribió:".
  /^\s*(>\s*)*El\s.{3,400}\sescribió\s*:$/iu,
  // Turkish beyond Gmail's "… tarihinde … yazdı:": Outlook mobile "Name <address> şunu yazdı:",
  // Thunderbird "23.11.2026 12:58 tarihinde Name yazdı:".
  /^\s*(>\s*)*\S.{0,400}\s(şunu\s+|şunları\s+)?yazdı\s*:$/iu,
];
const CLOCK_TIME = /\b\d{1,2}[:.]\d{2}\b/;

// Outlook's header block: "From:/Sent:" in English, "Kimden:/Gönderildi:" in Turkish. The labels
// may be bold in HTML, which html-to-text renders as plain text, or wrapped in "*" by some clients.
const OUTLOOK_FROM = /^\s*\*?(From|Kimden|Gönderen)\s*:\s*\*?\s*\S/iu;
const OUTLOOK_SENT = /^\s*\*?(Sent|Gönderildi|Gönderilme Tarihi|Gönderme Tarihi)\s*:/iu;
// Outlook for Mac and some webmails write "Date:"; that label is common in ordinary text
// ("From: Ankara / Date: 5 March"), so with it the From line must also name an address.
const OUTLOOK_DATE = /^\s*\*?(Date|Tarih)\s*:/iu;

// The line Outlook puts above the header block: an <hr> rendered as underscores or dashes, or
// "-----Original Message-----" ("-----Özgün İleti-----" in Turkish Outlook).
const HISTORY_SEPARATOR =
  /^\s*(_{10,}|-{10,}|-{2,}\s*(Original Message|Özgün İleti|Orijinal İleti|Orijinal Mesaj|Özgün Mesaj)\s*-{2,})\s*$/iu;

// A forward is content the customer chose to send us (an order confirmation, a carrier notice),
// not history: Gmail "---------- Forwarded message ---------" (Turkish "Yönlendirilmiş ileti"),
// Apple Mail "Begin forwarded message:". Outlook forwards look like replies and are cut as such.
const FORWARD_MARKER =
  /^\s*(-{2,}\s*(Forwarded message|Yönlendirilmiş ileti|İletilen ileti)\s*-{2,}|Begin forwarded message:)\s*$/iu;

// Turkish counterparts of the signatures email-reply-parser knows in English: "Sent from my
// iPhone", "Get Outlook for Android", and the "Regards" sign-off.
const TURKISH_SIGNATURE =
  /^\s*((iPhone|iPad)['’]?(umdan|dan|imden|den) gönderildi|Android için Outlook['’]u edinin|Saygılarımla|Saygılar)[.,!]?\s*$/iu;

function isAttributionAt(lines: readonly string[], start: number): boolean {
  if ((lines[start] ?? '').trim() === '') return false;
  let joined = '';
  for (let span = 0; span < ATTRIBUTION_MAX_LINES && start + span < lines.length; span++) {
    const line = lines[start + span] ?? '';
    if (span > 0 && line.trim() === '') return false;
    joined = span === 0 ? line.trimEnd() : `${joined} ${line.replace(/^\s*(>\s*)*/, '').trim()}`;
    if (joined.length > ATTRIBUTION_MAX_LENGTH) return false;
    // An attribution names the quoted sender's address; requiring it keeps sentences such as
    // "On Monday my husband wrote: …" in the customer's text.
    if (joined.includes('@') && (ENGLISH_ATTRIBUTION.test(joined) || TURKISH_ATTRIBUTION.test(joined))) {
      return true;
    }
    if (
      (joined.includes('@') || CLOCK_TIME.test(joined)) &&
      OTHER_ATTRIBUTIONS.some((pattern) => pattern.test(joined))
    ) {
      return true;
    }
  }
  return false;
}

function isOutlookBlockAt(lines: readonly string[], start: number): boolean {
  const first = lines[start] ?? '';
  if (first.length > ATTRIBUTION_MAX_LENGTH || !OUTLOOK_FROM.test(first)) return false;
  for (let offset = 1; offset <= OUTLOOK_BLOCK_REACH && start + offset < lines.length; offset++) {
    const line = lines[start + offset] ?? '';
    if (OUTLOOK_SENT.test(line) || (OUTLOOK_DATE.test(line) && first.includes('@'))) return true;
  }
  return false;
}

type BodyBoundary = { kind: 'history' | 'forward'; index: number };

/**
 * Where the customer's own text ends: at the first line of quoted history this pre-pass
 * recognizes, or at a forward marker, whichever comes first (a marker inside quoted history is
 * part of that history). Undefined when neither is found.
 */
function findBoundary(lines: readonly string[]): BodyBoundary | undefined {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.length > REPLY_PARSER_MAX_LINE) continue;
    if (FORWARD_MARKER.test(line)) return { kind: 'forward', index };
    if (isOutlookBlockAt(lines, index)) {
      // Take the separator above the block with it, skipping the blank lines in between.
      let above = index - 1;
      while (above >= 0 && (lines[above] ?? '').trim() === '') above--;
      const start = above >= 0 && HISTORY_SEPARATOR.test(lines[above] ?? '') ? above : index;
      return { kind: 'history', index: start };
    }
    if (HISTORY_SEPARATOR.test(line) && /[A-Za-zÖİ]/u.test(line)) return { kind: 'history', index };
    if (isAttributionAt(lines, index)) return { kind: 'history', index };
  }
  return undefined;
}

/**
 * email-reply-parser over `lines`, with lines too long to be headers or signatures swapped for
 * short placeholders during the pass so that its regexes stay fast.
 */
function visibleTextByReplyParser(lines: readonly string[]): string {
  const longLines = new Map<string, string>();
  const safeLines = lines.map((line, index) => {
    if (line.length <= REPLY_PARSER_MAX_LINE) return line;
    // Keep a leading ">" so a long quoted line is still recognized as quoted.
    const placeholder = `${line.startsWith('>') ? '>' : ''}\uE000long-line-${index}\uE000`;
    longLines.set(placeholder, line);
    return placeholder;
  });
  const input = safeLines.join('\n');
  if (input.length > REPLY_PARSER_MAX_INPUT) return lines.join('\n');
  const visible = new EmailReplyParser().read(input).getVisibleText();
  return visible
    .split('\n')
    .map((line) => longLines.get(line) ?? line)
    .join('\n');
}

// "Sent from my iPhone" in the other languages whose attributions are cut above.
const MOBILE_SIGNATURE =
  /^\s*(Отправлено с (iPhone|iPad|Android)|Von meinem (iPhone|iPad) gesendet|Envoyé de mon (iPhone|iPad)|Enviado desde mi (iPhone|iPad))[.,!]?\s*$/iu;

/** Like email-reply-parser does with its signatures: the signature line and everything below it go. */
function cutTurkishSignature(text: string): string {
  const lines = text.split('\n');
  const signatureAt = lines.findIndex((line) => TURKISH_SIGNATURE.test(line) || MOBILE_SIGNATURE.test(line));
  return signatureAt === -1 ? text : lines.slice(0, signatureAt).join('\n');
}

/**
 * The new text of a normalized body (see {@link normalizeBodyText}): without quoted history and
 * without a trailing signature; a forwarded message is kept whole after it. When nothing is left
 * (a mail that only quotes), the whole text is returned: an empty message would hide what the
 * customer sent.
 */
export function extractNewText(fullText: string): string {
  const lines = fullText.split('\n');
  const boundary = findBoundary(lines);
  const ownLines = boundary === undefined ? lines : lines.slice(0, boundary.index);
  const ownText = normalizeBodyText(cutTurkishSignature(visibleTextByReplyParser(ownLines)));
  const forwarded = boundary?.kind === 'forward' ? lines.slice(boundary.index).join('\n') : '';
  const newText = normalizeBodyText(`${ownText}\n\n${forwarded}`);
  return newText === '' ? fullText : newText;
}
