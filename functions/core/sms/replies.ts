import type { SmsConfig } from '../config.ts';
import type { Language } from '../model.ts';
import { fitOneSegment } from './segments.ts';

/**
 * What we text back to a keyword: HELP gets who we are and how to stop (CTIA asks for both),
 * STOP and START get a one-line confirmation. The shop's own texts from config win; these are
 * the built-ins, in Turkish and English.
 */

export type SmsReplyKind = 'help' | 'opt-out' | 'opt-in';

const BUILT_IN: Readonly<Record<SmsReplyKind, Readonly<Record<Language, (shop: string) => string>>>> = {
  help: {
    tr: (shop) =>
      `${shop}: Destek ekibimize bu numaraya yazarak ulaşabilirsiniz. SMS almamak için STOP yazın.`,
    en: (shop) => `${shop}: text this number to reach our support team. Reply STOP to opt out.`,
  },
  'opt-out': {
    tr: (shop) =>
      `${shop}: SMS listemizden çıktınız, artık mesaj almayacaksınız. Geri dönmek için START yazın.`,
    en: (shop) => `${shop}: you are unsubscribed and will get no more messages. Reply START to resubscribe.`,
  },
  'opt-in': {
    tr: (shop) => `${shop}: SMS listemize yeniden katıldınız. Çıkmak için STOP yazın.`,
    en: (shop) => `${shop}: you are subscribed again. Reply STOP to opt out, HELP for help.`,
  },
};

const CONFIGURED: Readonly<Record<SmsReplyKind, 'helpText' | 'optOutConfirmation' | 'optInConfirmation'>> = {
  help: 'helpText',
  'opt-out': 'optOutConfirmation',
  'opt-in': 'optInConfirmation',
};

/**
 * The reply in `language`: the configured text for it, else the configured text of the default
 * language, else the built-in in `language`, else the built-in English. One segment when the
 * GSM-7 spelling of Turkish makes it fit (and the shop allows that).
 */
export function smsKeywordReply(
  kind: SmsReplyKind,
  language: Language,
  options: { sms: SmsConfig; defaultLanguage: Language; shopName: string },
): { text: string; language: Language } {
  const configured = options.sms[CONFIGURED[kind]];
  const builtIn = BUILT_IN[kind];
  const pick: [Language, string | undefined][] = [
    [language, configured[language]],
    [options.defaultLanguage, configured[options.defaultLanguage]],
    [language, builtIn[language]?.(options.shopName)],
    ['en', builtIn.en?.(options.shopName)],
  ];
  const [chosenLanguage, text] = pick.find(([, t]) => t !== undefined) ?? ['en', ''];
  const normalized = (text ?? '').normalize('NFC');
  return {
    text: options.sms.fitAcknowledgementToOneSegment ? fitOneSegment(normalized) : normalized,
    language: chosenLanguage,
  };
}
