import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';

const FOLDER = 'test/fixtures/replay/social';
const NOW = '2026-11-23T10:00:00Z';

let report: Report;
let view: ReportView;

beforeAll(async () => {
  ({ report } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

const customerWith = (kind: string, value: string) => view.customerWith(kind, value);
const conversationsOf = (customerId: string | undefined, channel?: string) =>
  view.conversationsOf(customerId, channel);

describe('replay of the social folder (WhatsApp, Messenger, Instagram)', () => {
  it('stores a WhatsApp message delivered twice once, on the same customer as the SMS from that number', () => {
    // Act
    const customer = customerWith('phone', '+905321234567');
    const whatsapp = conversationsOf(customer?.id, 'whatsapp');
    const sms = conversationsOf(customer?.id, 'sms');

    // Assess
    expect(customer).toBeDefined();
    expect(
      report.customers.filter((c) => c.identities.some((i) => i.value === '+905321234567')),
    ).toHaveLength(1);
    expect(sms).toHaveLength(1);
    expect(whatsapp).toHaveLength(1);
    const inbound = whatsapp[0]?.messages.filter((m) => m.direction === 'inbound') ?? [];
    expect(inbound).toHaveLength(1);
    expect(inbound[0]?.text).toContain('Sipariş numaram 100234');
    // One acknowledgement per customer per window across channels: the SMS one took it.
    expect(report.outbox.filter((o) => o.customerId === customer?.id)).toHaveLength(1);
    expect(report.outbox.find((o) => o.customerId === customer?.id)?.channel).toBe('sms');
  });

  it('rejects a forged or missing signature with the reason and creates nothing', () => {
    // Assess
    expect(report.rejected).toEqual(
      expect.arrayContaining([
        { file: '04-forged-signature.meta.json', reason: expect.stringMatching(/401.*mismatch/) },
        { file: '05-missing-signature.meta.json', reason: expect.stringMatching(/401.*missing/) },
      ]),
    );
    expect(customerWith('phone', '+905551112233')).toBeUndefined();
    expect(report.outbox.some((o) => o.to === '+905551112233')).toBe(false);
    expect(report.deadLetters).toEqual([]);
  });

  it('makes a messenger conversation for a Messenger message, ignores the page echo, and answers through the Graph API with the FAQ', () => {
    // Act
    const customer = customerWith('messenger', '6789012345678901');
    const conversations = conversationsOf(customer?.id);
    const reply = report.outbox.find((o) => o.customerId === customer?.id);

    // Assess
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.channel).toBe('messenger');
    expect(conversations[0]?.messages.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain('typed this in the Page inbox');
    expect(reply).toMatchObject({
      channel: 'messenger',
      to: '6789012345678901',
      kind: 'auto-reply',
      language: 'en',
    });
    expect(reply?.text).toMatch(/order status and the tracking link/);
    expect(reply?.text).toMatch(/will answer by today at 15:00/);
  });

  it('stores both the sticker and the text of one delivery, in order, with the sticker as a media reference', () => {
    // Act
    const customer = customerWith('phone', '+905339876543');
    const [conversation] = conversationsOf(customer?.id, 'whatsapp');
    const inbound = conversation?.messages.filter((m) => m.direction === 'inbound') ?? [];

    // Assess
    expect(customer?.name).toBe('Mehmet Demir');
    expect(inbound).toHaveLength(2);
    expect(inbound[0]?.flags).toContain('sticker');
    expect(inbound[0]?.attachments).toEqual([
      expect.objectContaining({
        contentType: 'image/webp',
        stored: false,
        media: expect.objectContaining({ type: 'sticker', id: '1033486561698203' }),
      }),
    ]);
    expect(inbound[1]?.text).toBe('Kargom hâlâ gelmedi, ne zaman gelir?');
    const replies = report.outbox.filter((o) => o.customerId === customer?.id);
    expect(replies).toHaveLength(1);
    // The sticker has no text to detect a language from: the Turkish number decides.
    expect(replies[0]?.language).toBe('tr');
  });

  it('lets a read status update our outbound message and create no conversation', () => {
    // Act
    const customer = customerWith('phone', '+905443332211');
    const [conversation] = conversationsOf(customer?.id, 'whatsapp');
    const acknowledgement = conversation?.messages.find((m) => m.direction === 'outbound');

    // Assess
    expect(acknowledgement?.deliveryStatus).toBe('read');
    // The status for a message we never sent (+905999999999) is ignored, not turned into anything.
    expect(customerWith('phone', '+905999999999')).toBeUndefined();
    expect(report.conversations).toHaveLength(6);
  });

  it('marks our Messenger answer delivered from the delivery receipt, and turns the read watermark into nothing', () => {
    // Act
    const customer = customerWith('messenger', '6789012345678901');
    const [conversation] = conversationsOf(customer?.id);

    // Assess
    expect(conversation?.messages.find((m) => m.direction === 'outbound')?.deliveryStatus).toBe('delivered');
    expect(conversation?.messages).toHaveLength(2);
  });

  it('answers a Turkish returns question on WhatsApp with the FAQ answer and the response time', () => {
    // Act
    const customer = customerWith('phone', '+905443332211');
    const reply = report.outbox.find((o) => o.customerId === customer?.id);

    // Assess
    expect(reply).toMatchObject({ channel: 'whatsapp', to: '+905443332211', language: 'tr' });
    expect(reply?.text).toMatch(/14 gün içinde iade/);
    expect(reply?.text).toMatch(/15:00'e kadar yanıt vereceğiz/);
  });

  it('keeps the neighbours of an unsupported message: reaction, location and a captioned image reply are all stored', () => {
    // Act
    const customer = customerWith('phone', '+905443332211');
    const [conversation] = conversationsOf(customer?.id, 'whatsapp');
    const later = conversation?.messages.filter((m) => m.direction === 'inbound').slice(1) ?? [];

    // Assess
    expect(later.map((m) => m.flags?.[0])).toEqual(['reaction', 'unsupported-type', 'location', 'media']);
    expect(later[1]?.text).toBe('[unsupported message type: poll_creation]');
    expect(later[2]?.text).toContain('Kadıköy Kargo Şubesi');
    expect(later[3]?.replyTo).toBe('wamid.SANDBOX0003');
    expect(later[3]?.attachments[0]?.media).toMatchObject({
      type: 'image',
      caption: 'Ürünün kutusu bu şekilde geldi',
    });
    // A reaction is not a question, and follow-ups are not acknowledged again.
    expect(report.outbox.filter((o) => o.customerId === customer?.id)).toHaveLength(1);
  });

  it('makes an instagram conversation answered with the opening hours', () => {
    // Act
    const customer = customerWith('instagram', '1234567890123456');
    const [conversation] = conversationsOf(customer?.id);
    const reply = report.outbox.find((o) => o.customerId === customer?.id);

    // Assess
    expect(conversation?.channel).toBe('instagram');
    expect(reply?.channel).toBe('instagram');
    expect(reply?.text).toMatch(/Monday to Friday 09:00-18:00/);
  });
});
