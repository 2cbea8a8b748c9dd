import type { ArticleCategory } from '../../../functions/core/knowledge-base/article.ts';

/** The help center's own words per language; a language without them gets English. */
export interface SiteStrings {
  readonly helpCenter: string;
  readonly intro: string;
  readonly searchLabel: string;
  readonly searchPlaceholder: string;
  readonly searchButton: string;
  readonly noResults: string;
  readonly categories: Readonly<Record<ArticleCategory, string>>;
  readonly updated: string;
  readonly otherLanguages: string;
  readonly helpfulQuestion: string;
  readonly yes: string;
  readonly no: string;
  readonly commentLabel: string;
  readonly thanks: string;
  readonly failed: string;
  readonly allArticles: string;
  readonly languageName: string;
}

export const SITE_STRINGS: Readonly<Record<string, SiteStrings>> = {
  tr: {
    helpCenter: 'Yardım Merkezi',
    intro: 'Sorunuzun yanıtı burada olabilir: arayın ya da bir konu seçin.',
    searchLabel: 'Yardım makalelerinde ara',
    searchPlaceholder: 'Örneğin: siparişim nerede, iade',
    searchButton: 'Ara',
    noResults: 'Sonuç bulunamadı. Bize yazın, yardımcı olalım.',
    categories: {
      orders: 'Siparişler',
      shipping: 'Kargo ve teslimat',
      returns: 'İade ve değişim',
      payment: 'Ödeme',
      products: 'Ürünler ve bedenler',
      contact: 'İletişim',
    },
    updated: 'Güncelleme',
    otherLanguages: 'Diğer diller',
    helpfulQuestion: 'Bu makale yardımcı oldu mu?',
    yes: 'Evet',
    no: 'Hayır',
    commentLabel: 'Eklemek istediğiniz bir şey var mı? (isteğe bağlı)',
    thanks: 'Teşekkürler, geri bildiriminiz alındı.',
    failed: 'Gönderilemedi, lütfen daha sonra tekrar deneyin.',
    allArticles: 'Tüm konular',
    languageName: 'Türkçe',
  },
  en: {
    helpCenter: 'Help Center',
    intro: 'The answer to your question may be here: search, or pick a topic.',
    searchLabel: 'Search the help articles',
    searchPlaceholder: 'For example: where is my order, return',
    searchButton: 'Search',
    noResults: 'Nothing found. Write to us and we will help.',
    categories: {
      orders: 'Orders',
      shipping: 'Shipping and delivery',
      returns: 'Returns and exchanges',
      payment: 'Payment',
      products: 'Products and sizes',
      contact: 'Contact',
    },
    updated: 'Updated',
    otherLanguages: 'Other languages',
    helpfulQuestion: 'Was this article helpful?',
    yes: 'Yes',
    no: 'No',
    commentLabel: 'Anything to add? (optional)',
    thanks: 'Thank you, we received your feedback.',
    failed: 'Could not send it; please try again later.',
    allArticles: 'All topics',
    languageName: 'English',
  },
};

export function siteStrings(language: string): SiteStrings {
  return SITE_STRINGS[language] ?? (SITE_STRINGS.en as SiteStrings);
}
