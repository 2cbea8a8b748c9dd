import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { runSandbox } from '../support/sandbox-process.ts';

const FOLDER = 'test/fixtures/replay/orders';
const NOW = '2026-11-23T10:00:00Z';
const AYSE_EMAIL = 'ayse.yilmaz@example.com';
const AYSE_PHONE = '+905321234567';
const MEHMET_PHONE = '+905339876543';
const ZEYNEP_EMAIL = 'zeynep.kaya@example.com';

let report: Report;
let firstStdout: string;

beforeAll(async () => {
  const run = await runSandbox(['replay', FOLDER, '--now', NOW]);
  if (run.code !== 0) throw new Error(`replay exited ${run.code}: ${run.stderr}`);
  firstStdout = run.stdout;
  report = JSON.parse(run.stdout) as Report;
}, 120_000);

function customerWith(kind: string, value: string) {
  return report.customers.find((c) => c.identities.some((i) => i.kind === kind && i.value === value));
}

function orderStatusTo(to: string) {
  return report.outbox.filter((o) => o.kind === 'order-status' && o.to === to);
}

describe('replay of the orders folder', () => {
  it('joins the email customer and the phone customer named by one order event into one', () => {
    // Act
    const byEmail = customerWith('email', AYSE_EMAIL);
    const byPhone = customerWith('phone', AYSE_PHONE);
    const alias = report.customers.find((c) => c.mergedInto !== undefined && c.mergedInto === byEmail?.id);

    // Assess: one survivor holds both identities and both conversations; the other is an alias.
    expect(byEmail).toBeDefined();
    expect(byPhone?.id).toBe(byEmail?.id);
    expect(alias).toBeDefined();
    expect(alias?.identities).toEqual([]);
    const written = report.conversations.filter(
      (c) => c.customerId === byEmail?.id && !c.flags.includes('order-notifications'),
    );
    expect(written.map((c) => c.channel).sort()).toEqual(['email', 'sms']);
    expect(report.conversations.some((c) => c.customerId === alias?.id)).toBe(false);
  });

  it('sends one notification for the event delivered twice, by the preferred SMS, with the tracking number', () => {
    // Act
    const notices = report.outbox.filter(
      (o) => o.kind === 'order-status' && o.customerId === customerWith('email', AYSE_EMAIL)?.id,
    );

    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'sms', to: AYSE_PHONE, language: 'tr' });
    expect(notices[0]?.text).toContain('YK123456789TR');
    expect(notices[0]?.text).toContain('https://www.yurticikargo.com/');
    // And the agent sees it: on the order's own (closed) conversation of the customer's timeline.
    const timeline = report.conversations.find((c) => c.id === notices[0]?.conversationId);
    expect(timeline).toMatchObject({ customerId: notices[0]?.customerId, status: 'closed' });
    expect(timeline?.messages.map((m) => [m.kind, m.deliveryStatus])).toEqual([['order-status', 'sent']]);
  });

  it('notifies a customer who texted STOP by email instead of SMS, and keeps the STOP', () => {
    // Act
    const mehmet = customerWith('phone', MEHMET_PHONE);
    const sms = orderStatusTo(MEHMET_PHONE);
    const email = orderStatusTo('mehmet.demir@example.com');

    // Assess: the shop's sms:true did not lift the customer's own opt-out.
    expect(mehmet?.consent.sms).toBe('opted-out');
    expect(sms).toHaveLength(0);
    expect(email).toHaveLength(1);
    expect(email[0]?.text).toContain('AR7788990011');
    expect(email[0]?.headers['Auto-Submitted']).toBe('auto-generated');
  });

  it('rejects the forged and the malformed events with a reason, and creates nothing for them', () => {
    // Act
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.file, r.reason]));

    // Assess
    expect(reasons['07-forged-signature.order.json']).toMatch(/401: X-Signature-SHA256 mismatch/);
    expect(reasons['08-malformed-phone.order.json']).toMatch(
      /400: customer\.phone must be a valid phone number/,
    );
    expect(reasons['09-malformed-type.order.json']).toMatch(/400: type must be one of "order.created", /);
    expect(customerWith('email', 'attacker@example.net')).toBeUndefined();
    expect(customerWith('email', 'can.ozturk@example.com')).toBeUndefined();
    expect(report.orders?.map((o) => o.id).sort()).toEqual(['100234', '100301', '200517']);
    expect(report.outbox.some((o) => o.to === '+905551112233')).toBe(false);
  });

  it('keeps the newer status when an older event arrives late, and does not notify for it', () => {
    // Act
    const order = report.orders?.find((o) => o.id === '100234');

    // Assess
    expect(order).toMatchObject({ status: 'shipped', lastEventId: 'evt-8812' });
    expect(report.outbox.filter((o) => o.to === AYSE_PHONE && o.kind === 'order-status')).toHaveLength(1);
  });

  it('answers "where is my order" with the stored status in the acknowledgement', () => {
    // Act
    const ack = report.outbox.find((o) => o.kind === 'auto-reply' && o.to === ZEYNEP_EMAIL);

    // Assess
    expect(ack?.language).toBe('en');
    expect(ack?.text).toContain('Your order 200517 has shipped with MNG Kargo.');
    expect(ack?.text).toContain('MNG55501234');
  });

  it('fires the reminder once, at its time and not before, and never the cancelled one', () => {
    // Act
    const reminders = report.outbox.filter((o) => o.kind === 'reminder');

    // Assess: 08:59 passed without it, 09:30 fired it at 09:00, the next day nothing more.
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      channel: 'email',
      to: ZEYNEP_EMAIL,
      sentAt: '2026-11-24T09:00:00.000Z',
    });
    expect(reminders[0]?.text).toContain('https://shop.example.com/cart/77');
    expect(report.outbox.some((o) => o.text.includes('appointments/12'))).toBe(false);
    expect(report.deferred ?? []).toEqual([]);
    expect(report.reminders?.map((r) => [r.id, r.state])).toEqual([
      ['rem-appt-12', 'cancelled'],
      ['rem-cart-77', 'fired'],
    ]);
  });

  it('prints the same report for the same folder and --now', async () => {
    // Act
    const again = await runSandbox(['replay', FOLDER, '--now', NOW]);

    // Assess
    expect(again.stdout).toBe(firstStdout);
  }, 120_000);
});
