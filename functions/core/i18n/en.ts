import type { Catalog } from './catalog.ts';

export const en: Catalog = {
  locale: 'en-GB',
  deadline: {
    today: (time) => `today at ${time}`,
    tomorrow: (time) => `tomorrow at ${time}`,
    thisWeek: ({ weekday, time }) => `${weekday} ${time}`,
    onDate: ({ weekday, day, month, time }) => `${weekday}, ${day} ${month} at ${time}`,
  },
  acknowledgement: {
    defaultSubject: (reference) => `We received your message [${reference}]`,
    greeting: (customerName) => (customerName === undefined ? 'Hello,' : `Hello ${customerName},`),
    received: (responseBy) =>
      `Thank you for contacting us. We have received your message and will answer by ${responseBy}.`,
    reference: (reference) => `Your reference: ${reference}`,
    replyToContinue:
      'If you would like to add anything, simply reply to this email: your reply goes to the same conversation.',
    automaticNotice: 'This is an automatic confirmation; a member of our team will answer you personally.',
    short: ({ responseBy, reference }) =>
      `Thanks, we received your message (ref ${reference}) and will answer by ${responseBy}. Reply here to add more.`,
    helpArticle: (url) => `More in our help center: ${url}`,
    shortWithLink: ({ responseBy, reference, url }) =>
      `Got it (ref ${reference}), we answer by ${responseBy}. Help: ${url}`,
  },
  orders: {
    subject: ({ type, orderId }) => `Order ${orderId}: ${EN_ORDER_HEADLINE[type]}`,
    text: (p) => {
      const head = `Your order ${p.orderId}`;
      switch (p.type) {
        case 'order.created':
          return `${head} has been received. We will let you know when it ships.`;
        case 'order.confirmed':
          return `${head} is confirmed and being prepared.`;
        case 'order.shipped':
          return [
            `${head} has shipped${p.carrier ? ` with ${p.carrier}` : ''}.`,
            p.trackingNumber ? `Tracking number: ${p.trackingNumber}` : undefined,
            p.trackingUrl ? `Track it: ${p.trackingUrl}` : undefined,
            p.estimatedDelivery ? `Estimated delivery: ${p.estimatedDelivery}` : undefined,
          ]
            .filter(Boolean)
            .join('\n');
        case 'order.out_for_delivery':
          return `${head} is out for delivery${p.carrier ? ` with ${p.carrier}` : ''} and arrives today.${p.trackingUrl ? `\nTrack it: ${p.trackingUrl}` : ''}`;
        case 'order.delivered':
          return `${head} has been delivered. Enjoy!`;
        case 'order.delayed':
          return `${head} is delayed, sorry.${p.estimatedDelivery ? ` New estimated delivery: ${p.estimatedDelivery}.` : ''}${p.trackingUrl ? `\nTrack it: ${p.trackingUrl}` : ''}`;
        case 'order.cancelled':
          return `${head} has been cancelled.`;
        case 'order.refunded':
          return `${p.refund ? `A refund of ${p.refund}` : 'A refund'} for your order ${p.orderId} has been issued. It may take a few business days to appear.`;
      }
    },
  },
  reminders: {
    subject: ({ kind }) =>
      ({
        'cart-abandoned': 'You left something in your cart',
        'subscription-renewal': 'Your subscription renews soon',
        appointment: 'Reminder: your appointment',
        custom: 'A reminder from us',
      })[kind],
    text: (p) => {
      switch (p.kind) {
        case 'cart-abandoned':
          return `You left items in your cart. Complete your order${p.url ? `: ${p.url}` : ' on our website.'}`;
        case 'subscription-renewal':
          return `Your subscription renews${p.when ? ` on ${p.when}` : ' soon'}.${p.url ? ` Manage it: ${p.url}` : ''}`;
        case 'appointment':
          return `Reminder: your appointment is${p.when ? ` on ${p.when}` : ' coming up'}.${p.url ? ` Details: ${p.url}` : ''}`;
        case 'custom':
          return p.text ?? '';
      }
    },
  },
  notificationNotice: 'This is an automatic message. Reply to it if you need help with your order.',
  survey: {
    subject: (reference) => `How did we do? [${reference}]`,
    email: (reference) =>
      `Your conversation ${reference} with our support team is closed. How satisfied were you? Reply to this email with a number from 1 (not at all) to 5 (very satisfied).\n\nThank you, it helps us get better.`,
    short: 'How did we do? Reply with a number from 1 (poor) to 5 (great). Thank you!',
  },
  missedCall: {
    subject: 'We missed your call',
    text: ({ customerName, reference }) =>
      `${customerName ? `Hello ${customerName}, s` : 'S'}orry we could not take your call. Reply to this message and our team will get back to you (ref ${reference}).`,
  },
};

const EN_ORDER_HEADLINE = {
  'order.created': 'received',
  'order.confirmed': 'confirmed',
  'order.shipped': 'shipped',
  'order.out_for_delivery': 'out for delivery',
  'order.delivered': 'delivered',
  'order.delayed': 'delayed',
  'order.cancelled': 'cancelled',
  'order.refunded': 'refunded',
} as const;
