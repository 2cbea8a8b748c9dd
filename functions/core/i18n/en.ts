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
  },
};
