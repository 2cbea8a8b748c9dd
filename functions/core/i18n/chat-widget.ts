/**
 * What the chat widget says, per language, beside the catalog's messages the core sends. The
 * widget bundles this file (no luxon, no server code): keep it free of imports.
 */
export interface ChatWidgetStrings {
  readonly launcher: string;
  readonly title: string;
  readonly close: string;
  readonly placeholder: string;
  readonly send: string;
  readonly prechatIntro: string;
  readonly name: string;
  readonly email: string;
  /** Around the link to the shop's privacy page: before, link text, after. */
  readonly consent: readonly [string, string, string];
  readonly start: string;
  /** `answerBy` comes formatted by the server ("today at 14:00"). */
  readonly online: (answerBy: string) => string;
  readonly offline: (answerBy: string) => string;
  readonly offlineEmail: string;
  readonly you: string;
  readonly team: string;
  readonly connecting: string;
  readonly reconnecting: string;
  readonly sending: string;
  readonly delivered: string;
  readonly read: string;
  readonly agentTyping: string;
  readonly failed: string;
  /** The attach button's label (it shows a paper clip only). */
  readonly attach: string;
  readonly uploading: (percent: number) => string;
  readonly uploadFailed: string;
  /** A file the chat does not take (type or size), before anything is sent. */
  readonly fileRefused: (maxMegabytes: number) => string;
  /** Subject of the email copy of an answer the visitor did not see in the chat. */
  readonly emailSubject: string;
  readonly confirmEmailSubject: string;
  readonly confirmEmailText: (link: string) => string;
  /** Said in the chat once the visitor left an address: what happens next. */
  readonly confirmEmailSent: string;
  /** Above the help-center articles shown while the visitor types a question. */
  readonly suggestions: string;
}

/** The launcher's label alone: all the loader (on every page of the shop) carries. */
const LAUNCHER: Readonly<Record<string, string>> = { en: 'Chat with us', tr: 'Bize yazın' };

const primaryOf = (languageTag: string | undefined) => (languageTag ?? '').toLowerCase().split('-')[0] ?? '';

export function launcherLabel(languageTag: string | undefined): string {
  return LAUNCHER[primaryOf(languageTag)] ?? 'Chat with us';
}

const en: ChatWidgetStrings = {
  launcher: 'Chat with us',
  title: 'Chat with us',
  close: 'Close chat',
  placeholder: 'Write your message…',
  send: 'Send',
  prechatIntro: 'Tell us who you are if you like; both are optional.',
  name: 'Name (optional)',
  email: 'Email (optional)',
  consent: ['We use what you write here to answer you. See our ', 'privacy notice', '.'],
  start: 'Start chat',
  online: (answerBy) => `We are here. Expect an answer by ${answerBy}.`,
  offline: (answerBy) => `We are away right now and will answer by ${answerBy}.`,
  offlineEmail: 'Leave your email so our answer reaches you even if you close this page.',
  you: 'You',
  team: 'Support',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost, reconnecting…',
  sending: 'Sending',
  delivered: 'Delivered',
  read: 'Read',
  agentTyping: 'Support is typing…',
  failed: 'Not sent',
  attach: 'Attach a file',
  uploading: (percent) => `Uploading… ${percent}%`,
  uploadFailed: 'The file could not be uploaded. Try again.',
  fileRefused: (mb) => `Images or PDF up to ${mb} MB only.`,
  emailSubject: 'Our answer to your chat',
  confirmEmailSubject: 'Confirm your email for our chat',
  confirmEmailText: (link) =>
    `You left this address in the chat on our website. Confirm it, so our answers and your chat history reach you here:\n\n${link}\n\nIf that was not you, ignore this email: nothing changes.`,
  confirmEmailSent: 'We sent you an email: click the link in it to confirm the address.',
  suggestions: 'These articles may answer your question',
};

const tr: ChatWidgetStrings = {
  launcher: 'Bize yazın',
  title: 'Canlı destek',
  close: 'Sohbeti kapat',
  placeholder: 'Mesajınızı yazın…',
  send: 'Gönder',
  prechatIntro: 'İsterseniz kendinizi tanıtın; ikisi de isteğe bağlı.',
  name: 'Ad (isteğe bağlı)',
  email: 'E-posta (isteğe bağlı)',
  consent: ['Buraya yazdıklarınızı size yanıt vermek için kullanırız. ', 'Gizlilik bildirimimize', ' bakın.'],
  start: 'Sohbeti başlat',
  online: (answerBy) => `Buradayız. Yanıtımız en geç ${answerBy} gelir.`,
  offline: (answerBy) => `Şu an çevrim dışıyız; ${answerBy} yanıt vereceğiz.`,
  offlineEmail: 'Sayfayı kapatsanız da yanıtımız size ulaşsın diye e-postanızı bırakın.',
  you: 'Siz',
  team: 'Destek',
  connecting: 'Bağlanıyor…',
  reconnecting: 'Bağlantı koptu, yeniden bağlanıyor…',
  sending: 'Gönderiliyor',
  delivered: 'İletildi',
  read: 'Okundu',
  agentTyping: 'Destek yazıyor…',
  failed: 'Gönderilemedi',
  attach: 'Dosya ekle',
  uploading: (percent) => `Yükleniyor… %${percent}`,
  uploadFailed: 'Dosya yüklenemedi. Tekrar deneyin.',
  fileRefused: (mb) => `Yalnızca ${mb} MB'a kadar görsel veya PDF.`,
  emailSubject: 'Canlı destek yanıtımız',
  confirmEmailSubject: 'Canlı destek için e-postanızı doğrulayın',
  confirmEmailText: (link) =>
    `Web sitemizdeki sohbette bu adresi bıraktınız. Yanıtlarımız ve sohbet geçmişiniz size buradan ulaşsın diye adresi doğrulayın:\n\n${link}\n\nBu siz değilseniz bu e-postayı dikkate almayın: hiçbir şey değişmez.`,
  confirmEmailSent: 'Size bir e-posta gönderdik: adresi doğrulamak için içindeki bağlantıya tıklayın.',
  suggestions: 'Bu makaleler sorunuzu yanıtlayabilir',
};

const STRINGS: Readonly<Record<string, ChatWidgetStrings>> = { en, tr };

/** The strings for a browser language tag ("tr-TR" → Turkish), English otherwise. */
export function chatWidgetStrings(languageTag: string | undefined): ChatWidgetStrings {
  return STRINGS[primaryOf(languageTag)] ?? en;
}
