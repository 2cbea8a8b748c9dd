import type { Language } from '../model.ts';

/**
 * Which language a customer wrote in, among the languages the shop answers in.
 *
 * Why not franc alone: franc compares trigram profiles, which needs text. Support messages are
 * often one line ("Kargom gelmedi", "Where is my order?"), and on such text franc-min is close to a
 * coin toss: it scores "Merhaba, siparişim nerede?" as German and even a 60-letter English sentence
 * ("I have not received my package yet, can you help me please?") as Turkish when it may only choose
 * between Turkish, English and German. Short text still carries strong evidence, just of another
 * kind: function words and everyday support vocabulary ("nerede", "sipariş", "where", "my"),
 * letters that only one of the candidate languages uses (ğ ş ı İ for Turkish, ß ä for German),
 * and Turkish verb endings (-iyor, -medi), which are productive enough that a word list alone would
 * miss them. So every language gets points from that lexical evidence, and franc adds points scaled
 * by how sure it is and by how much text it had, so that on long text franc dominates and on short
 * text the lexicon does. The answer is the leader only when it leads clearly; otherwise undefined,
 * and the caller falls back to the previous or default language.
 *
 * Words are matched after folding diacritics (ş→s, ı→i, é→e), because customers often type Turkish
 * on keyboards without Turkish letters ("siparisim nerede").
 *
 * Lexical profiles also exist for a few languages the shop may not support: when the clear leader
 * is one of those (German text to a Turkish/English shop), the answer is undefined rather than a
 * forced guess among the supported ones.
 *
 * franc-min (170 KiB of trigram profiles) loads only when its vote could change the answer: a
 * lexical lead larger than the most franc could add is already the answer, and most support
 * messages have one, so most cold starts never read the profiles.
 */

interface LexicalProfile {
  /** Whole words, space-separated. */
  readonly words: string;
  /** Word beginnings of at least four letters, for inflected forms ("siparişim", "kargom"). */
  readonly stems?: string;
  /** Folded whole-word patterns that mark the language's grammar. */
  readonly endings?: RegExp;
  /** Letters (in the original text) that, among the profiled languages, only this one uses. */
  readonly letters?: RegExp;
}

// Words that several profiled languages share are left out on purpose, because they are not
// evidence: "de", "da", "a", "in", "an", "was", "es", "me", "no", "la", "que", "des", "un", "ne"
// (Turkish "what", French negation), "mi" (Turkish question particle, Spanish "my"), "size"
// (Turkish "to you", English "size"), "adres…" (Turkish and German).
const LEXICAL_PROFILES: Readonly<Record<Language, LexicalProfile>> = {
  tr: {
    words: `ve bir bu şu için ile ama fakat çok daha ne neden nerede nasıl niye hangi zaman mı mi mu mü
      değil var yok ben sen siz biz benim sizin bana hala hâlâ henüz lütfen merhaba selam selamlar iyi
      günler akşamlar kolay gelsin rica ederim ki gibi kadar sonra önce şimdi bugün yarın dün evet hayır
      tamam sağol sağolun hanım bey`,
    stems: `sipariş kargo iade ürün teslim teşekkür değişim iptal gönder ulaş bekli numara yardım müşteri
      hesab ödeme`,
    // Present continuous (geliyor, bekliyorum), negative past (gelmedi, ulaşmadı), formal
    // questions (misiniz): productive endings no other profiled language produces.
    endings:
      /^(?:\p{L}{2,}(?:[iu]yor(?:um|sun|uz|sunuz|lar)?|m[ae]d[iu](?:m|n|k|niz|nuz|lar|ler)?)|\p{L}*m[iu]s[iu]n[iu]z)$/u,
    letters: /[ğĞşŞıİ]/u,
  },
  en: {
    words: `the and is are were be been have has had do does did didn not my i you your it this that what
      where when why how can could would will please thanks thank hello hi hey order package parcel
      delivery delivered received arrived refund return with for of to from yet still any there help dear
      regards shipping shipped tracking item wrong damaged cancel get got just about`,
  },
  de: {
    words: `der die das und ist nicht ich mein meine meinen wo wie warum wann bitte danke hallo bestellung
      lieferung noch kein keine mit für ein eine sie wir haben habe hat sind bei auf zu von dem den guten
      tag grüße gruß paket angekommen erhalten rücksendung`,
    letters: /[ßäÄ]/u,
  },
  fr: {
    words: `le les et est je pas mon mes où bonjour merci commande colis livraison avec vous nous pourquoi
      comment toujours reçu une ai suis`,
    letters: /[œŒèÈêÊùÙ]/u,
  },
  es: {
    words: `el los las y está mis dónde donde cuándo hola gracias pedido paquete envío todavía por para una
      qué cómo recibido llegado`,
    letters: /[ñÑ¿¡]/u,
  },
};

/**
 * ISO 639-1 (what we configure) to the ISO 639-3 codes franc-min returns, for every language
 * franc-min knows that has a two-letter code. A Map, so "constructor" is not a language.
 */
const FRANC_CODES: ReadonlyMap<Language, string> = new Map(
  `am:amh ar:arb az:azj be:bel bg:bul bn:ben bs:bos cs:ces de:deu el:ell en:eng es:spa fa:pes
  ff:fuv fr:fra gu:guj ha:hau hi:hin hr:hrv hu:hun id:ind ig:ibo it:ita ja:jpn jv:jav kk:kaz
  kn:kan ko:kor ku:ckb ln:lin mg:plt ml:mal mr:mar ms:zlm my:mya ne:npi nl:nld ny:nya pa:pan
  pl:pol ps:pbu pt:por ro:ron rn:run ru:rus rw:kin si:sin so:som sr:srp su:sun sv:swe sw:swh
  ta:tam te:tel th:tha tl:tgl tr:tur uk:ukr ur:urd uz:uzn vi:vie yo:yor zh:cmn zu:zul`
    .split(/\s+/)
    .map((pair) => {
      const [iso6391 = '', iso6393 = ''] = pair.split(':');
      return [iso6391, iso6393] as const;
    }),
);

/** franc's own default: below this many letters its trigram statistics are noise. */
const FRANC_MIN_LETTERS = 10;
const MAX_SAMPLE_LENGTH = 4_096;
/** A detection must lead the runner-up by at least this many points. */
const MIN_LEAD = 1;

interface PreparedProfile {
  readonly words: ReadonlySet<string>;
  readonly stems: readonly string[];
  readonly endings?: RegExp;
  readonly letters?: RegExp;
}

const PREPARED_PROFILES: ReadonlyMap<Language, PreparedProfile> = new Map(
  Object.entries(LEXICAL_PROFILES).map(([language, profile]) => [
    language,
    {
      words: new Set(wordsOf(profile.words)),
      stems: wordsOf(profile.stems ?? ''),
      endings: profile.endings,
      letters: profile.letters,
    },
  ]),
);

/** Points franc gives a language whose script alone decided (see {@link francEvidence}). */
const SCRIPT_POINTS = 3;

let franc: Promise<typeof import('franc-min')> | undefined;
function loadFranc() {
  franc ??= import('franc-min').catch((error: unknown) => {
    franc = undefined;
    throw error;
  });
  return franc;
}

/**
 * The language of `text` among `supported` (ISO 639-1), or undefined when the text does not say
 * clearly (too short, no known words, or most likely a language the shop does not answer in).
 */
export async function detectLanguage(
  text: string,
  supported: readonly Language[],
): Promise<Language | undefined> {
  if (supported.length === 0) return undefined;
  // The opening of a message says enough, and a bound keeps a huge body cheap.
  const cleaned = withoutNonLanguage(text.slice(0, MAX_SAMPLE_LENGTH).normalize('NFC'));
  const words = cleaned.match(/[\p{L}\p{M}]+/gu) ?? [];
  const letterCount = words.reduce((n, w) => n + w.length, 0);
  if (letterCount < 2) return undefined;

  const scores = new Map<Language, number>();
  const addScore = (language: Language, points: number) => {
    if (points > 0) scores.set(language, (scores.get(language) ?? 0) + points);
  };

  for (const [language, profile] of PREPARED_PROFILES) {
    addScore(language, lexicalScore(words, profile));
  }
  // franc adds at most this much, to one language: a lead that survives it going to the
  // runner-up is the answer with or without franc.
  const francMost = Math.max(SCRIPT_POINTS, letterCount / 25);
  if (leadOf(scores).lead < francMost + MIN_LEAD) {
    const francVote = francEvidence((await loadFranc()).francAll, cleaned, supported, letterCount);
    if (francVote !== undefined) addScore(francVote.language, francVote.points);
  }

  const { leader, lead } = leadOf(scores);
  if (leader === undefined || lead < MIN_LEAD) return undefined;
  return supported.includes(leader) ? leader : undefined;
}

/** The best-scored language and its lead over the runner-up (its whole score when alone). */
function leadOf(scores: ReadonlyMap<Language, number>): { leader?: Language; lead: number } {
  const [leader, runnerUp] = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (leader === undefined) return { lead: 0 };
  return { leader: leader[0], lead: leader[1] - (runnerUp?.[1] ?? 0) };
}

/**
 * The language to answer in: an explicit preference wins, then what the customer wrote in, then
 * the language of the conversation so far, then the shop's default. Unsupported values are skipped.
 */
export function chooseReplyLanguage(
  input: { preferred?: Language; detected?: Language; previous?: Language },
  config: { languages: readonly Language[]; defaultLanguage: Language },
): Language {
  for (const candidate of [input.preferred, input.detected, input.previous]) {
    const normalized = candidate?.trim().toLowerCase();
    if (normalized !== undefined && config.languages.includes(normalized)) return normalized;
  }
  return config.defaultLanguage;
}

function lexicalScore(words: readonly string[], profile: PreparedProfile): number {
  let score = 0;
  for (const word of words) {
    const folded = fold(word);
    if (profile.words.has(folded)) score += 1;
    else if (profile.stems.some((stem) => folded.startsWith(stem))) score += 1;
    else if (profile.endings?.test(folded)) score += 1;
    if (profile.letters?.test(word)) score += 1;
  }
  return score;
}

/**
 * franc's vote among the supported languages: one point per 25 letters (at least one), scaled by
 * franc's margin over its runner-up. On a short message it can tip a tie but not outvote three
 * function words; on a long one it outweighs stray words shared with another language.
 */
function francEvidence(
  francAll: typeof import('franc-min').francAll,
  text: string,
  supported: readonly Language[],
  letterCount: number,
): { language: Language; points: number } | undefined {
  const only = supported.flatMap((language) => {
    const code = FRANC_CODES.get(language);
    return code === undefined ? [] : [code];
  });
  if (only.length === 0) return undefined;

  const candidates = francAll(text, { only, minLength: 1 }).filter(([code]) => code !== 'und');
  const [top, second] = candidates;
  if (top === undefined) return undefined;
  const language = supported.find((l) => FRANC_CODES.get(l) === top[0]);
  if (language === undefined) return undefined;

  // One candidate left means the script decided (Arabic letters, one supported Arabic-script
  // language): that is reliable even for two words, unless it is the Latin script, which every
  // Latin-alphabet text would "match".
  if (second === undefined) {
    return latinShare(text) < 0.5 ? { language, points: SCRIPT_POINTS } : undefined;
  }
  if (letterCount < FRANC_MIN_LETTERS) return undefined;
  const certainty = top[1] - second[1];
  if (certainty < 0.1) return undefined;
  return { language, points: Math.min(certainty * 2, 1) * Math.max(1, letterCount / 25) };
}

function latinShare(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return letters === 0 ? 0 : latin / letters;
}

/** URLs, addresses, handles and numbers are language-neutral and would only feed franc noise. */
function withoutNonLanguage(text: string): string {
  return text
    .replace(/\b(?:https?:\/\/|www\.)\S+/giu, ' ')
    .replace(/\S+@\S+/gu, ' ')
    .replace(/[#@]\w+/gu, ' ')
    .replace(/\p{N}+/gu, ' ');
}

function wordsOf(list: string): string[] {
  return list
    .split(/\s+/)
    .filter((w) => w !== '')
    .map(fold);
}

/** Lowercase, without diacritics, Turkish dotless ı as i: how customers type on any keyboard. */
function fold(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ı/gu, 'i').replace(/ß/gu, 'ss');
}
