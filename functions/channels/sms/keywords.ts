/**
 * SMS keywords that change consent or ask for help. A keyword counts only when it is the whole
 * message (give or take case, spaces, hyphens, diacritics and closing punctuation): "STOP",
 * "Stop.", "opt-out", "İptal". "Please stop sending me ads" is a message for a person, not an
 * opt-out; carriers and AWS End User Messaging match the same way.
 */

export type SmsKeywordAction = 'opt-out' | 'opt-in' | 'help';

export interface SmsKeyword {
  readonly action: SmsKeywordAction;
  /** The keyword as we match it (folded): `STOP`, `IPTAL`, `OPTOUT`. */
  readonly keyword: string;
}

/** The CTIA / carrier opt-out list, the French ARRET, and the Turkish İPTAL. */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
  'ARRET',
  'IPTAL',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;
export const HELP_KEYWORDS = ['HELP'] as const;

const ACTIONS = new Map<string, SmsKeywordAction>([
  ...OPT_OUT_KEYWORDS.map((k) => [k, 'opt-out'] as const),
  ...OPT_IN_KEYWORDS.map((k) => [k, 'opt-in'] as const),
  ...HELP_KEYWORDS.map((k) => [k, 'help'] as const),
]);

/** Longer than any keyword with room for spaces and punctuation: no need to fold a whole essay. */
const MAX_KEYWORD_MESSAGE_LENGTH = 32;

/**
 * Folds a message for keyword matching. Compatibility forms first (NFKC: full-width "ＳＴＯＰ",
 * ligatures, circled or styled letters become plain ones), then Turkish case rules (İ and ı both
 * become I, so "İPTAL", "iptal" and "ıptal" meet at "IPTAL"), then diacritics go ("ARRÊT" →
 * "ARRET"), then everything that is not a letter or digit.
 */
export function foldKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[İı]/g, 'I')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The keyword the whole message is, if it is one. */
export function matchSmsKeyword(text: string): SmsKeyword | undefined {
  if (text.length > MAX_KEYWORD_MESSAGE_LENGTH) return undefined;
  const folded = foldKeyword(text);
  const action = ACTIONS.get(folded);
  return action ? { action, keyword: folded } : undefined;
}
