import * as z from 'zod';
import { foldForMatching } from '../knowledge-base/normalize.ts';
import type { Language } from '../model.ts';

export { foldForMatching };

/**
 * Automatic answers to the questions shops get most (where is my order, returns, shipping times,
 * opening hours), matched by keywords in any channel's text. The answer rides along with the
 * acknowledgement, so it obeys the same one-per-window policy: a customer is never sent a stream
 * of canned answers.
 */

const phrase = z.string().min(2).max(60);

export const faqEntrySchema = z.object({
  /** Stable name of the question, reported on the timeline (`order-status`, `returns`, …). */
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'use lowercase letters, digits and "-"'),
  /**
   * Phrases that signal the question, any language: a message matches when its folded text
   * (lowercase, no accents, ı as i) contains one of them starting at a word boundary.
   */
  keywords: z.array(phrase).min(1).max(30),
  /** The answer per language; the reply language picks one, the first listed is the fallback. */
  answers: z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1).max(600)),
});
export type FaqEntry = z.infer<typeof faqEntrySchema>;

export const faqSchema = z.array(faqEntrySchema).max(20);

/**
 * The built-in FAQ, used when the deployment configures none. Kept generic on purpose (no dates,
 * no prices): a shop replaces it with its own in `support.faq`.
 */
export const DEFAULT_FAQ: readonly FaqEntry[] = [
  {
    id: 'order-status',
    keywords: [
      'siparisim nerede',
      'siparis durumu',
      'siparisim ne zaman',
      'kargom nerede',
      'kargo takip',
      'takip numarasi',
      'where is my order',
      'order status',
      'track my order',
      'tracking number',
      'has my order shipped',
    ],
    answers: {
      tr: 'Siparişinizin durumunu ve kargo takip bağlantısını, sipariş onayı e-postanızda ve hesabınızdaki "Siparişlerim" sayfasında görebilirsiniz. Sipariş numaranızı yazarsanız ekibimiz hemen kontrol eder.',
      en: 'You can see your order status and the tracking link in your order confirmation email and under "My orders" in your account. If you send us your order number, our team will check it right away.',
    },
  },
  {
    id: 'returns',
    keywords: [
      'iade',
      'iade etmek',
      'degisim',
      'geri gondermek',
      'para iadesi',
      'return',
      'returns',
      'refund',
      'exchange',
      'send it back',
    ],
    answers: {
      tr: 'Ürünleri teslimattan itibaren 14 gün içinde iade edebilirsiniz. İade talebinizi hesabınızdaki "Siparişlerim" sayfasından oluşturabilirsiniz; para iadesi ürün bize ulaştıktan sonra yapılır.',
      en: 'You can return items within 14 days of delivery. Start a return under "My orders" in your account; the refund is made once the item reaches us.',
    },
  },
  {
    id: 'shipping-times',
    keywords: [
      'kac gunde',
      'ne zaman gelir',
      'teslimat suresi',
      'kargo suresi',
      'ne zaman kargoya',
      'shipping time',
      'delivery time',
      'how long does shipping',
      'how long does delivery',
      'when will it arrive',
    ],
    answers: {
      tr: 'Siparişler genellikle 1-2 iş günü içinde kargoya verilir ve 1-3 iş günü içinde teslim edilir.',
      en: 'Orders usually ship within 1-2 business days and arrive within 1-3 business days.',
    },
  },
  {
    id: 'opening-hours',
    keywords: [
      'calisma saatleri',
      'kacta aciliyor',
      'acik misiniz',
      'mesai saatleri',
      'opening hours',
      'business hours',
      'are you open',
      'when do you open',
    ],
    answers: {
      tr: 'Müşteri hizmetlerimiz hafta içi 09:00-18:00, cumartesi 10:00-14:00 arasında (Türkiye saati) yanıt verir.',
      en: 'Our customer service answers Monday to Friday 09:00-18:00 and Saturday 10:00-14:00 (Turkey time).',
    },
  },
];

export interface FaqMatch {
  readonly id: string;
  readonly answer: string;
  readonly language: Language;
}

/**
 * The first FAQ entry whose keywords occur in `text`, answered in `language` (or the entry's
 * first language when it has no answer in that one). Entries are tried in order, so a shop lists
 * its most specific questions first.
 */
export function matchFaq(
  text: string,
  language: Language,
  faq: readonly FaqEntry[] = DEFAULT_FAQ,
): FaqMatch | undefined {
  const folded = ` ${foldForMatching(text)} `;
  if (folded.trim() === '') return undefined;
  for (const entry of faq) {
    // From the start of a word to anywhere: Turkish adds suffixes ("iade" in "iadesini",
    // "calisma saatleri" in "calisma saatleriniz"), so the end of a keyword is left open.
    const hit = entry.keywords.some((keyword) => folded.includes(` ${foldForMatching(keyword)}`));
    if (!hit) continue;
    const answerLanguage = Object.hasOwn(entry.answers, language)
      ? language
      : (Object.keys(entry.answers)[0] ?? language);
    const answer = entry.answers[answerLanguage];
    if (answer !== undefined) return { id: entry.id, answer, language: answerLanguage };
  }
  return undefined;
}
