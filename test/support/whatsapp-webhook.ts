/** One WhatsApp text message in a webhook delivery as Meta posts it, to the sandbox's business number. */
export function whatsappTextDelivery(message: {
  readonly waId: string;
  readonly name: string;
  readonly messageId: string;
  /** Unix seconds, as Meta writes it. */
  readonly timestamp: string;
  readonly text: string;
}) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '908501234567', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: message.name }, wa_id: message.waId }],
              messages: [
                {
                  from: message.waId,
                  id: message.messageId,
                  timestamp: message.timestamp,
                  type: 'text',
                  text: { body: message.text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
