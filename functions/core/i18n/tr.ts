import type { Catalog } from './catalog.ts';

/**
 * "until 10:00" is "10:00'a kadar" in Turkish: the dative suffix follows the vowel harmony of the
 * number as it is read aloud (on → 'a, on dört → 'e, on iki → 'ye, on altı → 'ya), and for a time
 * with minutes, of the minutes (10:30, "on otuz" → 'a). Getting this right reads natural; when the
 * text does not end in a clock time we use a phrasing that needs no suffix at all.
 */
const SPOKEN_UNITS = ['sıfır', 'bir', 'iki', 'üç', 'dört', 'beş', 'altı', 'yedi', 'sekiz', 'dokuz'] as const;
const SPOKEN_TENS = ['', 'on', 'yirmi', 'otuz', 'kırk', 'elli'] as const;

function spokenLastWord(n: number): string {
  const units = n % 10;
  if (units !== 0 || n === 0) return SPOKEN_UNITS[units] ?? '';
  return SPOKEN_TENS[Math.floor(n / 10)] ?? '';
}

/** The dative suffix for a word: 'a / 'e after a consonant, 'ya / 'ye after a vowel. */
function dativeSuffix(word: string): string {
  const vowels = word.match(/[aeıioöuü]/g) ?? [];
  const lastVowel = vowels.at(-1) ?? 'e';
  const front = 'eiöü'.includes(lastVowel);
  const endsInVowel = /[aeıioöuü]$/.test(word);
  return `${endsInVowel ? 'y' : ''}${front ? 'e' : 'a'}`;
}

/** "10:00" → "10:00'a", "14:00" → "14:00'e", "12:00" → "12:00'ye", "10:30" → "10:30'a". */
export function clockTimeWithDative(time: string): string | undefined {
  const match = /(\d{1,2})[:.](\d{2})$/.exec(time);
  if (match === null) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return `${time}'${dativeSuffix(spokenLastWord(minute === 0 ? hour : minute))}`;
}

/** "Size en geç yarın 10:00'a kadar yanıt vereceğiz." (without "Size" where space is short). */
function answerBy(responseBy: string, addressee: 'Size' | 'none'): string {
  const withSuffix = clockTimeWithDative(responseBy);
  const sentence =
    withSuffix === undefined
      ? `en geç şu zamana kadar yanıt vereceğiz: ${responseBy}.`
      : `en geç ${withSuffix} kadar yanıt vereceğiz.`;
  return addressee === 'Size' ? `Size ${sentence}` : `En ${sentence.slice('en '.length)}`;
}

export const tr: Catalog = {
  locale: 'tr-TR',
  deadline: {
    today: (time) => `bugün ${time}`,
    tomorrow: (time) => `yarın ${time}`,
    thisWeek: ({ weekday, time }) => `${weekday} ${time}`,
    onDate: ({ weekday, day, month, time }) => `${day} ${month} ${weekday} ${time}`,
  },
  acknowledgement: {
    defaultSubject: (reference) => `Mesajınızı aldık [${reference}]`,
    greeting: (customerName) => (customerName === undefined ? 'Merhaba,' : `Merhaba ${customerName},`),
    received: (responseBy) =>
      `Bize ulaştığınız için teşekkür ederiz. Mesajınızı aldık. ${answerBy(responseBy, 'Size')}`,
    reference: (reference) => `Referans numaranız: ${reference}`,
    replyToContinue:
      'Eklemek istediğiniz bir şey olursa bu e-postayı yanıtlamanız yeterli; yanıtınız aynı görüşmeye eklenir.',
    automaticNotice: 'Bu otomatik bir onay mesajıdır; ekibimizden biri size bizzat yanıt verecek.',
    // Turkish letters force UCS-2 SMS (70 characters a segment), so this stays terse.
    short: ({ responseBy, reference }) =>
      `Teşekkürler, mesajınızı aldık (${reference}). ${answerBy(responseBy, 'none')} Eklemek istediğinizi buraya yazabilirsiniz.`,
    helpArticle: (url) => `Ayrıntılar yardım merkezimizde: ${url}`,
    shortWithLink: ({ responseBy, reference, url }) =>
      `Mesajınızı aldık (${reference}). ${answerBy(responseBy, 'none')} Yardım: ${url}`,
  },
  orders: {
    subject: ({ type, orderId }) => `${orderId} numaralı siparişiniz ${TR_ORDER_HEADLINE[type]}`,
    // "100234 numaralı siparişiniz": the number before the noun needs no case suffix.
    text: (p) => {
      const head = `${p.orderId} numaralı siparişiniz`;
      switch (p.type) {
        case 'order.created':
          return `${head} alındı. Kargoya verildiğinde size haber vereceğiz.`;
        case 'order.confirmed':
          return `${head} onaylandı ve hazırlanıyor.`;
        case 'order.shipped':
          return [
            `${head} ${p.carrier ? `${p.carrier} ile ` : ''}kargoya verildi.`,
            p.trackingNumber ? `Takip numarası: ${p.trackingNumber}` : undefined,
            p.trackingUrl ? `Takip: ${p.trackingUrl}` : undefined,
            p.estimatedDelivery ? `Tahmini teslimat: ${p.estimatedDelivery}` : undefined,
          ]
            .filter(Boolean)
            .join('\n');
        case 'order.out_for_delivery':
          return `${head} bugün teslim edilmek üzere dağıtıma çıktı.${p.trackingUrl ? `\nTakip: ${p.trackingUrl}` : ''}`;
        case 'order.delivered':
          return `${head} teslim edildi. İyi günlerde kullanın!`;
        case 'order.delayed':
          return `${head} gecikiyor, özür dileriz.${p.estimatedDelivery ? ` Yeni tahmini teslimat: ${p.estimatedDelivery}.` : ''}${p.trackingUrl ? `\nTakip: ${p.trackingUrl}` : ''}`;
        case 'order.cancelled':
          return `${head} iptal edildi.`;
        case 'order.refunded':
          return `${p.orderId} numaralı siparişinizin ${p.refund ? `${p.refund} tutarındaki ` : ''}iadesi yapıldı. Hesabınıza geçmesi birkaç iş günü sürebilir.`;
      }
    },
  },
  reminders: {
    subject: ({ kind }) =>
      ({
        'cart-abandoned': 'Sepetinizde ürün unuttunuz',
        'subscription-renewal': 'Aboneliğiniz yakında yenileniyor',
        appointment: 'Hatırlatma: randevunuz',
        custom: 'Bir hatırlatma',
      })[kind],
    text: (p) => {
      switch (p.kind) {
        case 'cart-abandoned':
          return `Sepetinizde ürünler bekliyor. Siparişinizi tamamlamak için${p.url ? `: ${p.url}` : ' web sitemizi ziyaret edin.'}`;
        case 'subscription-renewal':
          return `Aboneliğiniz ${p.when ? `${p.when} tarihinde` : 'yakında'} yenilenecek.${p.url ? ` Yönetmek için: ${p.url}` : ''}`;
        case 'appointment':
          return `Hatırlatma: randevunuz ${p.when ? `${p.when}` : 'yaklaşıyor'}.${p.url ? ` Ayrıntılar: ${p.url}` : ''}`;
        case 'custom':
          return p.text ?? '';
      }
    },
  },
  notificationNotice:
    'Bu otomatik bir bilgilendirmedir. Siparişinizle ilgili yardıma ihtiyacınız olursa yanıtlayabilirsiniz.',
  survey: {
    subject: (reference) => `Nasıl yardımcı olduk? [${reference}]`,
    email: (reference) =>
      `Destek ekibimizle ${reference} numaralı görüşmeniz kapandı. Ne kadar memnun kaldınız? Lütfen bu e-postayı 1 (hiç memnun değilim) ile 5 (çok memnunum) arasında bir sayıyla yanıtlayın.\n\nTeşekkür ederiz, daha iyi olmamıza yardımcı oluyor.`,
    short:
      'Nasıl yardımcı olduk? Lütfen 1 (kötü) ile 5 (çok iyi) arasında bir sayıyla yanıtlayın. Teşekkürler!',
  },
  missedCall: {
    subject: 'Aramanızı kaçırdık',
    text: ({ customerName, reference }) =>
      `${customerName ? `Merhaba ${customerName}, a` : 'A'}ramanızı yanıtlayamadığımız için üzgünüz. Bu mesajı yanıtlayarak bize yazabilirsiniz, ekibimiz size dönecek (ref ${reference}).`,
  },
};

const TR_ORDER_HEADLINE = {
  'order.created': 'alındı',
  'order.confirmed': 'onaylandı',
  'order.shipped': 'kargoya verildi',
  'order.out_for_delivery': 'dağıtımda',
  'order.delivered': 'teslim edildi',
  'order.delayed': 'gecikiyor',
  'order.cancelled': 'iptal edildi',
  'order.refunded': 'için iade yapıldı',
} as const;
