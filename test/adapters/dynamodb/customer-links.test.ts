import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConsentLedger } from '../../../functions/adapters/dynamodb/consent-ledger.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../../functions/adapters/dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from '../../../functions/adapters/dynamodb/customer-links.ts';
import { DynamoOrderStore } from '../../../functions/adapters/dynamodb/order-store.ts';
import { changeConsent } from '../../../functions/core/customers/consent.ts';
import { resolveShopCustomer } from '../../../functions/core/customers/merge.ts';
import { createTestTable } from '../../support/dynamo-table.ts';
import { readableIds } from '../../support/in-memory-ports.ts';

let deps: Parameters<typeof resolveShopCustomer>[0];
let customers: DynamoCustomerDirectory;
let conversations: DynamoConversationStore;
let links: DynamoCustomerLinks;

beforeAll(async () => {
  const table = await createTestTable();
  customers = new DynamoCustomerDirectory(table.db, table.tableName);
  conversations = new DynamoConversationStore(table.db, table.tableName);
  links = new DynamoCustomerLinks(table.db, table.tableName);
  deps = {
    ids: readableIds,
    customers,
    links,
    consent: new DynamoConsentLedger(table.db, table.tableName),
    orders: new DynamoOrderStore(table.db, table.tableName),
  };
});

describe('customer merge on DynamoDB', () => {
  it('merges a phone customer into the older email customer: identities, conversations, opt-out, alias', async () => {
    // Prepare
    const email = { kind: 'email', value: 'merge-1@example.com' } as const;
    const phone = { kind: 'phone', value: '+905321110001' } as const;
    await customers.createWithIdentity(
      { id: 'old-mail', consent: {}, identities: [email], createdAt: '2026-11-01T09:00:00.000Z' },
      email,
    );
    await customers.createWithIdentity(
      { id: 'new-phone', consent: {}, identities: [phone], createdAt: '2026-11-20T09:00:00.000Z' },
      phone,
    );
    await changeConsent(deps, {
      customerId: 'new-phone',
      channel: 'sms',
      state: 'opted-out',
      source: 'sms-keyword',
      at: '2026-11-21T09:00:00.000Z',
      eventKey: 'inbound#sms#stop-1',
      keyword: 'STOP',
    });
    await conversations.create({
      id: 'conv-sms-1',
      customerId: 'new-phone',
      channel: 'sms',
      status: 'open',
      createdAt: '2026-11-21T09:00:00.000Z',
      lastMessageAt: '2026-11-21T09:00:00.000Z',
    });
    const input = {
      identities: [email, phone],
      profile: { name: 'Merge One' },
      consent: { sms: true },
      eventKey: 'order-event#m-1',
      at: '2026-11-23T10:00:00.000Z',
    };

    // Act: twice, as a redelivered event would
    const first = await resolveShopCustomer(deps, input);
    const second = await resolveShopCustomer(deps, input);

    // Assess
    expect(first).toMatchObject({ customerId: 'old-mail', merged: ['new-phone'] });
    expect(second).toMatchObject({ customerId: 'old-mail', merged: [] });
    expect(await links.identityOwner(phone)).toBe('old-mail');
    expect((await customers.findByIdentity(phone))?.id).toBe('old-mail');
    expect((await customers.get('new-phone'))?.id).toBe('old-mail');
    expect((await links.getProfile('new-phone'))?.mergedInto).toBe('old-mail');
    expect(await links.conversationIdsOf('old-mail')).toEqual(['conv-sms-1']);
    expect((await conversations.latestOpenConversation('old-mail', 'sms'))?.id).toBe('conv-sms-1');
    const survivor = await customers.get('old-mail');
    expect(survivor?.consent.sms).toBe('opted-out');
    expect(survivor?.name).toBe('Merge One');
    expect(survivor?.identities.map((i) => i.kind).sort()).toEqual(['email', 'phone']);
  });

  it('finishes a merge that stopped half-way (alias marked, identity not moved yet)', async () => {
    // Prepare
    const email = { kind: 'email', value: 'merge-2@example.com' } as const;
    const phone = { kind: 'phone', value: '+905321110002' } as const;
    await customers.createWithIdentity(
      { id: 'old-2', consent: {}, identities: [email], createdAt: '2026-11-01T09:00:00.000Z' },
      email,
    );
    await customers.createWithIdentity(
      { id: 'new-2', consent: {}, identities: [phone], createdAt: '2026-11-20T09:00:00.000Z' },
      phone,
    );
    await links.markMerged('new-2', 'old-2', '2026-11-23T10:00:00.000Z');

    // Act
    const result = await resolveShopCustomer(deps, {
      identities: [email, phone],
      profile: {},
      eventKey: 'order-event#m-2',
      at: '2026-11-23T10:00:01.000Z',
    });

    // Assess
    expect(result).toMatchObject({ customerId: 'old-2', merged: ['new-2'] });
    expect(await links.identityOwner(phone)).toBe('old-2');
  });
});

describe('shop profile fields on DynamoDB', () => {
  it('sets each field only for a later event: an older one changes nothing', async () => {
    // Prepare
    const email = { kind: 'email', value: 'profile-1@example.com' } as const;
    await customers.createWithIdentity(
      { id: 'profile-1', consent: {}, identities: [email], createdAt: '2026-11-01T09:00:00.000Z' },
      email,
    );
    await links.updateProfile(
      'profile-1',
      { name: 'Ayşe Kaya', preferredChannel: 'email' },
      '2026-11-23T12:00:00.000Z',
    );

    // Act
    await links.updateProfile(
      'profile-1',
      { name: 'Ayşe Yılmaz', preferredChannel: 'sms', language: 'tr' },
      '2026-11-23T11:00:00.000Z',
    );

    // Assess: the older event only fills the field nothing newer had set
    expect(await customers.get('profile-1')).toMatchObject({
      name: 'Ayşe Kaya',
      preferredChannel: 'email',
      language: 'tr',
    });
  });

  it("moves the alias's open-conversation pointers to the survivor: taken where it has none, remembered where it has one", async () => {
    // Prepare
    const email = { kind: 'email', value: 'merge-pointer@example.com' } as const;
    const phone = { kind: 'phone', value: '+905321110009' } as const;
    await customers.createWithIdentity(
      { id: 'old-pointer', consent: {}, identities: [email], createdAt: '2026-11-01T09:00:00.000Z' },
      email,
    );
    await customers.createWithIdentity(
      { id: 'new-pointer', consent: {}, identities: [phone], createdAt: '2026-11-20T09:00:00.000Z' },
      phone,
    );
    const since = '2026-11-21T09:00:00.000Z';
    await customers.pointOpenConversation(
      'old-pointer',
      'chat',
      { conversationId: 'chat-old', since, previous: [] },
      undefined,
    );
    await customers.pointOpenConversation(
      'new-pointer',
      'chat',
      { conversationId: 'chat-new', since, previous: [] },
      undefined,
    );
    await customers.pointOpenConversation(
      'new-pointer',
      'sms',
      { conversationId: 'sms-new', since, previous: ['sms-older'] },
      undefined,
    );
    const input = {
      identities: [email, phone],
      profile: {},
      eventKey: 'order-event#p-1',
      at: '2026-11-23T10:00:00.000Z',
    };

    // Act: twice, as a redelivered event would
    await resolveShopCustomer(deps, input);
    await resolveShopCustomer(deps, input);

    // Assess: only messages from the merge on continue directly; older ones are looked up where they are
    expect((await customers.findByIdentity(phone))?.openConversations).toEqual({
      chat: { conversationId: 'chat-old', since: input.at, previous: ['chat-new'] },
      sms: { conversationId: 'sms-new', since: input.at, previous: ['sms-older'] },
    });
  });
});
