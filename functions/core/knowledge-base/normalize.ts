/**
 * How a question and an article are turned into search terms, the same way on both sides (the
 * build indexes with it, the functions and the help center's search box query with it):
 * folded (Turkish dotted and dotless i, diacritics), colloquial spellings made standard, filler
 * words dropped, and light suffix stripping so `iade`, `iadesi`, `iademi` and `siparişim`,
 * `siparisimi` meet on one stem. It is a stemmer for retrieval, not for linguistics: over-
 * stripping is harmless as long as both sides strip alike.
 */

/** Spellings people type in chat that the articles spell out ("nerde" for "nerede"). */
const COLLOQUIAL: Readonly<Record<string, string>> = {
  nerde: 'nerede',
  nerdee: 'nerede',
  nrde: 'nerede',
  napcam: 'ne yapacagim',
  naptin: 'ne yaptin',
  sparis: 'siparis',
  siparsi: 'siparis',
  kargm: 'kargom',
  wheres: 'where',
  whereis: 'where',
  pls: 'please',
  plz: 'please',
  u: 'you',
  ur: 'your',
  recieve: 'receive',
  recieved: 'received',
};

/** Words that carry no question on their own, in folded form. */
const STOP_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  tr: new Set(
    'acaba ama ancak artik bana beni benim bir biraz biz bize bizim bu bunu da daha de diye en gibi hala hanim hangi hem hep her hic icin ile ise iste istiyorum kendi ki lutfen merhaba mi mu mudur musunuz nasil ne neden o olan olarak olur on onu sayin selam sen siz size sizin su sunu tamam tesekkur tesekkurler ederim rica ve veya ya yine iyi gunler aksamlar kolay gelsin bey sayin var yok urun uru'.split(
      ' ',
    ),
  ),
  en: new Set(
    'a about am an and any are as at be been but by can could dear did do does for from get got had has have hello hey hi how i if im in into is it its just me my of on or our please so thank thanks that the there this to us want was we what which with would you your yours product'.split(
      ' ',
    ),
  ),
};

/** Turkish suffixes in folded spelling, longest first: plural, possessive, case, question. */
const TURKISH_SUFFIXES = [
  'lerimizi',
  'larimizi',
  'lerinizi',
  'larinizi',
  'lerimiz',
  'larimiz',
  'leriniz',
  'lariniz',
  'miyim',
  'misin',
  'misiniz',
  'midir',
  'mudur',
  'lerini',
  'larini',
  'lerine',
  'larina',
  'imizi',
  'inizi',
  'imi',
  'umu',
  'ini',
  'unu',
  'lerim',
  'larim',
  'lerin',
  'larin',
  'imiz',
  'umuz',
  'iniz',
  'unuz',
  'leri',
  'lari',
  'nden',
  'ndan',
  'ler',
  'lar',
  'nin',
  'nun',
  'dan',
  'den',
  'tan',
  'ten',
  'nda',
  'nde',
  'mek',
  'mak',
  'im',
  'um',
  'in',
  'un',
  'si',
  'su',
  'yi',
  'yu',
  'ya',
  'ye',
  'da',
  'de',
  'ta',
  'te',
  'mi',
  'mu',
  'i',
  'u',
  'e',
  'a',
  'm',
  'n',
] as const;

/** The shortest stem a suffix may leave: shorter ones are words of their own ("bed", "ne"). */
const MIN_STEM = 3;

/** Suffixes that only follow a vowel: their first letter is a buffer ("iade-si", "karg-o-m"). */
const AFTER_VOWEL = new Set([
  'si',
  'su',
  'yi',
  'yu',
  'ya',
  'ye',
  'm',
  'n',
  'nin',
  'nun',
  'nda',
  'nde',
  'nden',
  'ndan',
]);
const VOWEL = /[aeiou]$/;

export function stemTurkish(word: string): string {
  let stem = word;
  // Suffixes stack ("siparis-im-i"); stripping until nothing more comes off makes every form
  // of a word end on the same stem, whichever suffix the first round happened to take.
  for (let round = 0; round < 6; round += 1) {
    const current = stem;
    const suffix = TURKISH_SUFFIXES.find(
      (s) =>
        current.endsWith(s) &&
        current.length - s.length >= MIN_STEM &&
        (!AFTER_VOWEL.has(s) || VOWEL.test(current.slice(0, -s.length))),
    );
    if (!suffix) break;
    stem = stem.slice(0, -suffix.length);
  }
  return stem;
}

export function stemEnglish(word: string): string {
  let stem = word;
  if (stem.endsWith("'s")) stem = stem.slice(0, -2);
  if (stem.length > 5 && stem.endsWith('ies')) stem = `${stem.slice(0, -3)}y`;
  else if (stem.length > 4 && stem.endsWith('es') && /(ch|sh|x|ss)es$/.test(stem)) stem = stem.slice(0, -2);
  else if (stem.length > 3 && stem.endsWith('s') && !stem.endsWith('ss') && !stem.endsWith('us'))
    stem = stem.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (stem.length - suffix.length >= 3 && stem.endsWith(suffix)) {
      stem = stem.slice(0, -suffix.length);
      // "shipped" → "shipp" → "ship"; "cancelled" → "cancel".
      if (/([b-df-hj-np-tv-z])\1$/.test(stem) && !/(ss|zz)$/.test(stem)) stem = stem.slice(0, -1);
      break;
    }
  }
  return stem;
}

/** Splits folded text into words; the search library calls it for every field and query. */
export function tokenize(text: string): string[] {
  return foldForMatching(text)
    .split(' ')
    .flatMap((word) => (COLLOQUIAL[word] ?? word).split(' '))
    .filter((word) => word !== '');
}

/**
 * One word as a search term for an index in `language`, or `null` for a filler word. Languages
 * without their own rules get folding only.
 */
export function searchTerm(word: string, language: string): string | null {
  const folded = foldForMatching(word);
  // Numbers (order numbers, dates, sizes) and single letters say nothing about the question.
  if (folded.length < 2 || /^\d+$/.test(folded)) return null;
  const stops = STOP_WORDS[language];
  if (stops?.has(folded)) return null;
  const stem = language === 'tr' ? stemTurkish(folded) : language === 'en' ? stemEnglish(folded) : folded;
  return stops?.has(stem) ? null : stem;
}

/** The terms a text becomes for `language`, in order, duplicates kept. */
export function searchTerms(text: string, language: string): string[] {
  return tokenize(text).flatMap((word) => {
    const term = searchTerm(word, language);
    return term === null ? [] : [term];
  });
}

/**
 * A question as one comparable line, for grouping unanswered questions in the self-service
 * report: "Siparişim NEREDE??" and "siparisim nerede" are one group.
 */
export function normalizedQuestion(text: string, language: string): string {
  return [...new Set(searchTerms(text, language))].slice(0, 12).join(' ').slice(0, 120);
}

/**
 * Lowercase without diacritics, Turkish dotless ı and dotted İ as i, punctuation as spaces, so
 * "Siparişim NEREDE?" and "siparisim nerede" compare equal.
 */
export function foldForMatching(text: string): string {
  return text
    .replace(/İ/g, 'i')
    .replace(/I/g, 'i')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
