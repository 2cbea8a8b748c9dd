import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCannedResponses } from '../../functions/adapters/dynamodb/inbox.ts';
import { derivedIds } from '../../functions/adapters/ids.ts';
import {
  type CannedResponseInput,
  createCannedResponse,
} from '../../functions/core/agent/canned-responses.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';

/** The agent the seeded canned responses are recorded as written by. */
const SEEDED_BY = 'sandbox-seed';

/** A few canned responses in Turkish and English, with the order variables, for the sandbox inbox. */
export const SANDBOX_CANNED_RESPONSES: readonly CannedResponseInput[] = [
  {
    shortcut: 'siparis',
    title: 'Sipariş durumu',
    language: 'tr',
    text: 'Merhaba {customer.name}, {order.id} numaralı siparişiniz {order.status}. Kargonuzu buradan takip edebilirsiniz: {order.trackingUrl}',
  },
  {
    shortcut: 'order',
    title: 'Order status',
    language: 'en',
    text: 'Hi {customer.name}, your order {order.id} is {order.status}. You can track it here: {order.trackingUrl}',
  },
  {
    shortcut: 'iade',
    title: 'İade süreci',
    language: 'tr',
    text: 'Merhaba {customer.name}, ürünü teslimattan sonraki 14 gün içinde iade edebilirsiniz. İade kodunuzu e-postayla gönderiyoruz.',
  },
  {
    shortcut: 'return',
    title: 'Returns',
    language: 'en',
    text: 'Hi {customer.name}, you can return the item within 14 days of delivery. We are sending your return code by email.',
  },
  {
    shortcut: 'tesekkur',
    title: 'Teşekkür',
    language: 'tr',
    text: 'Bize yazdığınız için teşekkürler {customer.name}. Başka bir konuda yardımcı olabilir miyim?',
  },
  {
    shortcut: 'thanks',
    title: 'Thank you',
    language: 'en',
    text: 'Thanks for writing to us, {customer.name}. Is there anything else I can help with?',
  },
];

/** Stores the sandbox's canned responses through the real use case (a restart keeps one of each). */
export async function seedCannedResponses(db: DynamoDBDocumentClient, tableName: string, clock: Clock) {
  const deps = { clock, ids: derivedIds, cannedResponses: new DynamoCannedResponses(db, tableName) };
  for (const response of SANDBOX_CANNED_RESPONSES) {
    await createCannedResponse(deps, { ...response, agent: { id: SEEDED_BY } });
  }
}
