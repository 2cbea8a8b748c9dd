import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../bin/sandbox/engine.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:05:00Z'));

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const AUTH = { authorization: 'Bearer dev-agent-token' };

// biome-ignore lint/suspicious/noExplicitAny: loosely read JSON answers, each test reads its fields
type Json = Record<string, any>;

async function agent(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function inject(suffix: string, content: Uint8Array) {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, { method: 'POST', body: content });
  return (await response.json()) as { accepted: boolean; outbox: OutboxEntry[] };
}

/** A signed order event through the sandbox's own route (signed as the shop would). */
async function order(path: string) {
  return inject('order.json', fixture(path));
}

const sentTo = (conversationId: string) =>
  sandbox.engine.outbox.filter((o) => o.conversationId === conversationId && o.kind === 'agent-reply');

let ayse: string;
let emailConversation: string;
let smsConversation: string;

beforeAll(async () => {
  // Ayşe writes by email, then by SMS; the shop's order event says both are her.
  await inject('eml', fixture('replay/orders/01-ayse-email-question-tr.eml'));
  await inject('sms.json', fixture('replay/orders/02-ayse-sms-question-tr.sms.json'));
  await order('replay/orders/03-shipped-email-and-phone.order.json');
  const email = await agent('GET', '/conversations?channel=email');
  const sms = await agent('GET', '/conversations?channel=sms');
  emailConversation = email.body.items[0].id;
  smsConversation = sms.body.items[0].id;
  ayse = email.body.items[0].customerId;
});

describe('GET /customers/{id}: the sidebar in one call', () => {
  it('answers identities, consent with its history, language, time zone, orders, conversations, CSAT and reachability', async () => {
    // Act
    const { status, body } = await agent('GET', `/customers/${ayse}`);

    // Assess
    expect(status).toBe(200);
    expect(body.customer).toMatchObject({
      id: ayse,
      name: 'Ayşe Yılmaz',
      language: 'tr',
      timezone: 'Europe/Istanbul',
    });
    expect(body.customer.identities).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'ayse.yilmaz@example.com' },
        { kind: 'phone', value: '+905321234567' },
      ]),
    );
    expect(body.customer.consent.sms).toMatchObject({ state: 'opted-in', source: 'shop' });
    expect(body.customer.consent.sms.history).toEqual([
      expect.objectContaining({ state: 'opted-in', source: 'shop', at: '2026-11-23T10:00:00.000Z' }),
    ]);
    expect(body.customer.consent.whatsapp.state).toBe('opted-out');
    expect(body.orders).toEqual([
      expect.objectContaining({
        id: '100234',
        status: 'shipped',
        trackingUrl: expect.stringContaining('YK123456789TR'),
        updatedAt: '2026-11-23T10:00:00.000Z',
      }),
    ]);
    expect(body.orders[0].statusText).toContain('100234');
    // The order notice has a conversation of its own too.
    expect(body.conversations.map((c: Json) => c.id)).toEqual(
      expect.arrayContaining([emailConversation, smsConversation]),
    );
    expect(body.csat).toEqual({ count: 0 });
    const reach = Object.fromEntries(body.reachable.map((r: Json) => [r.channel, r]));
    expect(reach.email).toEqual({ channel: 'email', address: 'ayse.yilmaz@example.com', ok: true });
    expect(reach.sms).toMatchObject({ channel: 'sms', address: '+905321234567', ok: true });
    expect(reach.whatsapp).toMatchObject({ address: '+905321234567', ok: false, reason: 'opted-out' });
    expect(reach.messenger).toEqual({ channel: 'messenger', ok: false, reason: 'no-address' });
  });

  it('answers a merged-away customer with the customer it was merged into, and 404 for an unknown one', async () => {
    // Prepare: the SMS made its own customer before the order event merged it into the email one.
    const smsCustomer = (await agent('GET', `/conversations/${smsConversation}`)).body.movedFrom as string;

    // Act
    const merged = await agent('GET', `/customers/${smsCustomer}`);
    const unknown = await agent('GET', '/customers/nobody-here');

    // Assess
    expect(smsCustomer).toBeTruthy();
    expect(merged.status).toBe(200);
    expect(merged.body.customer.id).toBe(ayse);
    expect(unknown.status).toBe(404);
  });
});

describe('POST /conversations/{id}/replies with a channel', () => {
  it('answers the email conversation by SMS when the agent picks SMS', async () => {
    // Act
    const reply = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'Kargonuz yolda, yarın teslim edilecek.',
      channel: 'sms',
    });

    // Assess
    expect(reply.status).toBe(202);
    expect(reply.body.channel).toBe('sms');
    expect(sentTo(emailConversation)).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+905321234567',
        text: 'Kargonuz yolda, yarın teslim edilecek.',
      }),
    ]);
  });

  it('refuses a channel the customer opted out of (409) and one this deployment lacks (400), naming the field', async () => {
    // Act
    const optedOut = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'WhatsApp üzerinden yazıyorum.',
      channel: 'whatsapp',
    });
    const unknown = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'Merhaba',
      channel: 'fax',
    });

    // Assess
    expect(optedOut.status).toBe(409);
    expect(optedOut.body).toMatchObject({ error: 'conflict', field: 'channel' });
    expect(optedOut.body.reason).toMatch(/opted out of whatsapp/);
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('channel');
  });

  it('keeps answering on the conversation channel when no channel is given', async () => {
    // Act
    const reply = await agent('POST', `/conversations/${smsConversation}/replies`, {
      text: 'Fatura adresiniz güncellendi.',
    });

    // Assess
    expect(reply.status).toBe(202);
    expect(reply.body.channel).toBe('sms');
  });
});

describe('agent attachments', () => {
  const pdf = Buffer.from('%PDF-1.4\n% fatura 100234\n%%EOF\n');

  async function upload(conversationId: string, file: Buffer, filename: string) {
    const slot = await agent('POST', `/conversations/${conversationId}/attachments`, {
      filename,
      contentType: 'application/pdf',
      size: file.length,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(slot.body.fields as Record<string, string>))
      form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), filename);
    const stored = await fetch(slot.body.url, { method: 'POST', body: form });
    return { slot, stored: stored.status };
  }

  it('hands out a presigned POST for one exact key, and refuses a type or size over the limits', async () => {
    // Act
    const { slot, stored } = await upload(emailConversation, pdf, 'fatura.pdf');
    const exe = await agent('POST', `/conversations/${emailConversation}/attachments`, {
      filename: 'x.exe',
      contentType: 'application/x-msdownload',
      size: 10,
    });
    const huge = await agent('POST', `/conversations/${emailConversation}/attachments`, {
      filename: 'big.pdf',
      contentType: 'application/pdf',
      size: 50 * 1024 * 1024,
    });

    // Assess
    expect(slot.status).toBe(201);
    expect(slot.body.objectKey).toMatch(
      new RegExp(`^attachments/agent/${emailConversation}/[0-9a-f-]+-fatura\\.pdf$`),
    );
    expect(Date.parse(slot.body.expiresAt)).toBeGreaterThan(Date.parse('2026-11-23T10:05:00Z'));
    expect(stored).toBe(204);
    expect(exe.status).toBe(400);
    expect(exe.body.field).toBe('contentType');
    expect(huge.status).toBe(400);
    expect(huge.body.field).toBe('size');
  });

  it('sends an email answer with the uploaded file in its MIME, and shows it on the timeline', async () => {
    // Prepare
    const { slot } = await upload(emailConversation, pdf, 'fatura.pdf');
    const claim = {
      objectKey: slot.body.objectKey,
      filename: 'fatura.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    };

    // Act
    const reply = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'Faturanız ektedir.',
      channel: 'email',
      attachments: [claim],
    });
    const store = (await (await fetch(`${sandbox.engine.standIns.endpoints.ses}/store`)).json()) as {
      emails: Array<{
        body: { text?: string };
        attachments?: Array<{ filename: string; size: number; content: string }>;
      }>;
    };
    const timeline = await agent('GET', `/conversations/${emailConversation}`);

    // Assess
    expect(reply.status).toBe(202);
    const sent = sentTo(emailConversation).find((o) => o.channel === 'email');
    expect(sent?.attachments).toEqual([
      { filename: 'fatura.pdf', contentType: 'application/pdf', size: pdf.length },
    ]);
    const mail = store.emails.find((e) => e.body.text?.includes('Faturanız ektedir.'));
    expect(mail?.attachments?.map((a) => a.filename)).toEqual(['fatura.pdf']);
    expect(Buffer.from(mail?.attachments?.[0]?.content ?? '', 'base64')).toEqual(pdf);
    const message = timeline.body.messages.find((m: Json) => m.text === 'Faturanız ektedir.');
    expect(message.attachments).toEqual([
      expect.objectContaining({ filename: 'fatura.pdf', objectKey: claim.objectKey }),
    ]);
  });

  it('refuses a file that was never uploaded, one of another conversation, and files on an SMS answer', async () => {
    // Prepare
    const { slot } = await upload(smsConversation, pdf, 'other.pdf');
    const never = {
      objectKey: `attachments/agent/${emailConversation}/00000000-0000-0000-0000-000000000000-x.pdf`,
      filename: 'x.pdf',
      contentType: 'application/pdf',
      size: 10,
    };
    const foreign = {
      objectKey: slot.body.objectKey,
      filename: 'other.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    };

    // Act
    const missing = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'Ek',
      attachments: [never],
    });
    const elsewhere = await agent('POST', `/conversations/${emailConversation}/replies`, {
      text: 'Ek',
      attachments: [foreign],
    });
    const onSms = await agent('POST', `/conversations/${smsConversation}/replies`, {
      text: 'Ek',
      attachments: [foreign],
    });

    // Assess
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      field: 'attachments',
      reason: expect.stringMatching(/not uploaded/),
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.reason).toMatch(/not an upload of this conversation/);
    expect(onSms.status).toBe(400);
    expect(onSms.body.reason).toMatch(/email only/);
  });
});

describe('admin merges', () => {
  async function token(scopes: string[]) {
    const response = await fetch(`${sandbox.base}/sandbox/agent-tokens`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'agent-7', scopes, lifetimeSeconds: 3600 }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  it('merges a Messenger customer into Ayşe once: identities move, the source follows, a second call changes nothing', async () => {
    // Prepare
    await inject('meta.json', fixture('replay/social/06-messenger-question-en.meta.json'));
    const messengerConversation = (await agent('GET', '/conversations?channel=messenger')).body.items[0];
    const source = messengerConversation.customerId as string;
    const writer = await token(['switchboard/agent.read', 'switchboard/agent.write']);

    // Act
    const refused = await agent(
      'POST',
      '/customers/merge',
      { sourceId: source, targetId: ayse },
      { authorization: `Bearer ${writer}` },
    );
    const first = await agent('POST', '/customers/merge', { sourceId: source, targetId: ayse });
    const second = await agent('POST', '/customers/merge', { sourceId: source, targetId: ayse });
    const followed = await agent('GET', `/customers/${source}`);
    const backwards = await agent('POST', '/customers/merge', { sourceId: ayse, targetId: source });

    // Assess
    expect(refused.status).toBe(403);
    expect(first.status).toBe(200);
    expect(first.body.changed).toBe(true);
    expect(first.body.customer.id).toBe(ayse);
    expect(first.body.customer.identities).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'messenger' })]),
    );
    expect(second.status).toBe(200);
    expect(second.body.changed).toBe(false);
    expect(followed.body.customer.id).toBe(ayse);
    expect(followed.body.conversations.map((c: Json) => c.id)).toContain(messengerConversation.id);
    expect(backwards.status).toBe(409);
    expect(backwards.body.field).toBe('targetId');
  });

  it('merges the SMS conversation into the email one: closed with mergedInto, its messages on the target timeline, once', async () => {
    // Act
    const first = await agent('POST', '/conversations/merge', {
      sourceId: smsConversation,
      targetId: emailConversation,
    });
    const second = await agent('POST', '/conversations/merge', {
      sourceId: smsConversation,
      targetId: emailConversation,
    });
    const target = await agent('GET', `/conversations/${emailConversation}`);
    const source = await agent('GET', `/conversations/${smsConversation}`);
    const reply = await agent('POST', `/conversations/${smsConversation}/replies`, { text: 'Merhaba' });
    const open = await agent('GET', '/conversations?channel=sms');

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      changed: true,
      conversation: { id: emailConversation, mergedFrom: [smsConversation] },
    });
    expect(second.body.changed).toBe(false);
    expect(source.body).toMatchObject({ status: 'closed', mergedInto: emailConversation });
    expect(target.body.messages.map((m: Json) => m.text)).toEqual(
      expect.arrayContaining(['Merhaba, fatura adresimi de değiştirmek istiyorum.']),
    );
    expect(reply.status).toBe(409);
    expect(open.body.items.map((c: Json) => c.id)).not.toContain(smsConversation);
  });
});
