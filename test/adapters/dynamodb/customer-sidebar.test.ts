import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConsentLedger } from '../../../functions/adapters/dynamodb/consent-ledger.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../../functions/adapters/dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from '../../../functions/adapters/dynamodb/customer-links.ts';
import { DynamoIdentityWindows } from '../../../functions/adapters/dynamodb/identity-windows.ts';
import { DynamoOrderStore } from '../../../functions/adapters/dynamodb/order-store.ts';
import { customerProfile } from '../../../functions/core/agent/customer-profile.ts';
import { mergeCustomersByAgent } from '../../../functions/core/agent/merge-customers.ts';
import { changeConsent } from '../../../functions/core/customers/consent.ts';
import type { Channel, Order } from '../../../functions/core/model.ts';
import { sandboxSupportConfig as supportConfig } from '../../../local/config.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';
import { readableIds } from '../../support/in-memory-ports.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const clock = { now: () => NOW };

let customers: DynamoCustomerDirectory;
let consent: DynamoConsentLedger;
let orders: DynamoOrderStore;
let store: DynamoConversationStore;
let conversations: DynamoAgentConversations;
let links: DynamoCustomerLinks;
let windows: DynamoIdentityWindows;

beforeAll(async () => {
  const table = await createTestTable();
  customers = new DynamoCustomerDirectory(table.db, table.tableName);
  consent = new DynamoConsentLedger(table.db, table.tableName);
  orders = new DynamoOrderStore(table.db, table.tableName);
  store = new DynamoConversationStore(table.db, table.tableName);
  conversations = new DynamoAgentConversations(table.db, table.tableName);
  links = new DynamoCustomerLinks(table.db, table.tableName);
  windows = new DynamoIdentityWindows(table.db, table.tableName);
});

const order = (id: string, customerId: string, firstEventAt: string): Order => ({
  id,
  customerId,
  lastEventType: 'order.shipped',
  status: 'shipped',
  trackingUrl: `https://track.example/${id}`,
  lastEventAt: firstEventAt,
  lastEventId: `evt-${id}`,
  firstEventAt,
});

async function customer(
  id: string,
  identities: Array<{ kind: 'email' | 'phone'; value: string }>,
  createdAt: string,
) {
  const [first, ...rest] = identities;
  if (!first) throw new Error('needs an identity');
  await customers.createWithIdentity({ id, consent: {}, identities: [first], createdAt }, first);
  for (const identity of rest) await links.linkIdentity(identity, id, createdAt);
}

const optIn = (
  customerId: string,
  channel: Channel,
  at: string,
  state: 'opted-in' | 'opted-out' = 'opted-in',
) =>
  changeConsent(
    { customers, consent },
    { customerId, channel, state, source: 'shop', at, eventKey: `evt#${customerId}#${channel}#${at}` },
  );

describe('the customer sidebar on DynamoDB', () => {
  it('reads the newest orders and consent changes newest first, bounded, without another customer’s', async () => {
    // Prepare
    await customer('side-1', [{ kind: 'email', value: 'side-1@example.com' }], '2026-11-01T00:00:00.000Z');
    for (let day = 1; day <= 7; day++)
      await orders.apply(order(`o-${day}`, 'side-1', `2026-11-0${day}T10:00:00.000Z`));
    await orders.apply(order('o-other', 'side-other', '2026-11-09T10:00:00.000Z'));
    await optIn('side-1', 'sms', '2026-11-02T10:00:00.000Z');
    await optIn('side-1', 'sms', '2026-11-03T10:00:00.000Z', 'opted-out');
    await optIn('side-1', 'email', '2026-11-04T10:00:00.000Z');

    // Act
    const recent = await orders.recentOrders('side-1', 5);
    const history = await consent.recentHistory('side-1', 2);

    // Assess
    expect(recent.map((o) => o.id)).toEqual(['o-7', 'o-6', 'o-5', 'o-4', 'o-3']);
    expect(history.map((h) => [h.channel, h.state])).toEqual([
      ['email', 'opted-in'],
      ['sms', 'opted-out'],
    ]);
  });

  it('answers the profile in one call: consent with its history, order status text, CSAT, the WhatsApp window', async () => {
    // Prepare
    await customer(
      'side-2',
      [
        { kind: 'email', value: 'side-2@example.com' },
        { kind: 'phone', value: '+905321110002' },
      ],
      '2026-11-01T00:00:00.000Z',
    );
    await optIn('side-2', 'sms', '2026-11-02T10:00:00.000Z');
    await orders.apply(order('o-side-2', 'side-2', '2026-11-20T10:00:00.000Z'));
    await store.create(
      openConversation({
        id: 'side-2-wa',
        customerId: 'side-2',
        channel: 'whatsapp',
        status: 'closed',
        lastMessageAt: '2026-11-22T18:00:00.000Z',
        csat: { score: 4, at: '2026-11-22T18:00:00.000Z', messageId: 'm1' },
      }),
    );
    await store.create(
      openConversation({
        id: 'side-2-mail',
        customerId: 'side-2',
        lastMessageAt: '2026-11-21T10:00:00.000Z',
        csat: { score: 5, at: '2026-11-21T10:00:00.000Z', messageId: 'm2' },
      }),
    );
    await windows.recordInbound(
      { kind: 'phone', value: '+905321110002' },
      'whatsapp',
      '2026-11-23T08:00:00.000Z',
    );

    // Act
    const profile = await customerProfile(
      {
        clock,
        config: supportConfig,
        customers,
        conversations,
        consentHistory: consent,
        orders,
        identityWindows: windows,
        channels: new Set(['email', 'sms', 'whatsapp']),
      },
      'side-2',
    );

    // Assess
    expect(profile.customer.consent.sms).toEqual({
      state: 'opted-in',
      source: 'shop',
      at: '2026-11-02T10:00:00.000Z',
      history: [expect.objectContaining({ state: 'opted-in', source: 'shop' })],
    });
    expect(profile.orders).toEqual([
      expect.objectContaining({
        id: 'o-side-2',
        status: 'shipped',
        statusText: expect.stringContaining('o-side-2'),
      }),
    ]);
    expect(profile.conversations.map((c) => [c.id, c.csat])).toEqual([
      ['side-2-wa', 4],
      ['side-2-mail', 5],
    ]);
    expect(profile.csat).toEqual({ count: 2, average: 4.5 });
    expect(profile.reachable.find((r) => r.channel === 'whatsapp')).toMatchObject({
      ok: true,
      windowClosesAt: '2026-11-24T08:00:00.000Z',
    });
    expect(profile.reachable.find((r) => r.channel === 'chat')).toMatchObject({
      ok: false,
      reason: 'not-configured',
    });
  });

  it('merges customers as an admin: an opt-out wins over a newer opt-in, identities move, a repeat changes nothing', async () => {
    // Prepare: the source opted out of SMS (shop, older); the target opted in later.
    await customer('keep-3', [{ kind: 'email', value: 'keep-3@example.com' }], '2026-11-01T00:00:00.000Z');
    await customer('dup-3', [{ kind: 'phone', value: '+905321110003' }], '2026-11-05T00:00:00.000Z');
    await optIn('dup-3', 'sms', '2026-11-06T10:00:00.000Z', 'opted-out');
    await optIn('keep-3', 'sms', '2026-11-07T10:00:00.000Z');
    await store.create(openConversation({ id: 'dup-3-sms', customerId: 'dup-3', channel: 'sms' }));
    const deps = { clock, ids: readableIds, customers, links, consent, orders };

    // Act
    const first = await mergeCustomersByAgent(deps, {
      sourceId: 'dup-3',
      targetId: 'keep-3',
      agent: { id: 'admin' },
    });
    const second = await mergeCustomersByAgent(deps, {
      sourceId: 'dup-3',
      targetId: 'keep-3',
      agent: { id: 'admin' },
    });
    const alias = await links.getProfile('dup-3');

    // Assess
    expect(first.changed).toBe(true);
    expect(first.customer.consent.sms).toBe('opted-out');
    expect(first.customer.identities).toEqual(
      expect.arrayContaining([{ kind: 'phone', value: '+905321110003' }]),
    );
    expect((await conversations.get('dup-3-sms'))?.customerId).toBe('keep-3');
    expect(await links.identityOwner({ kind: 'phone', value: '+905321110003' })).toBe('keep-3');
    expect(alias?.mergedInto).toBe('keep-3');
    expect(second.changed).toBe(false);
  });
});
