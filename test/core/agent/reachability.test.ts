import { describe, expect, it } from 'vitest';
import { channelReachability, reachability } from '../../../functions/core/agent/reachability.ts';
import type { Channel, Customer } from '../../../functions/core/model.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const ALL: ReadonlySet<Channel> = new Set(['email', 'sms', 'whatsapp', 'messenger', 'instagram', 'chat']);

const customer = (
  overrides: Partial<Customer> = {},
): Pick<Customer, 'identities' | 'consent' | 'timezone'> => ({
  identities: [
    { kind: 'email', value: 'a@example.com' },
    { kind: 'phone', value: '+905321112233' },
  ],
  consent: {},
  timezone: 'Europe/Istanbul',
  ...overrides,
});

describe('reachability of a customer per channel', () => {
  it('says every channel with its address, and why the others cannot be written now', () => {
    // Act
    const result = reachability({ customer: customer(), now: NOW, deployed: ALL, lastInbound: {} });

    // Assess
    expect(result).toEqual([
      { channel: 'email', address: 'a@example.com', ok: true },
      { channel: 'sms', address: '+905321112233', ok: true },
      { channel: 'whatsapp', address: '+905321112233', ok: false, reason: 'window-closed', fallback: 'sms' },
      { channel: 'messenger', ok: false, reason: 'no-address' },
      { channel: 'instagram', ok: false, reason: 'no-address' },
      { channel: 'chat', ok: false, reason: 'no-address' },
    ]);
  });

  it('keeps the WhatsApp window open for 24 hours after the last message and says when it closes', () => {
    // Act
    const open = channelReachability(
      {
        customer: customer(),
        now: NOW,
        deployed: ALL,
        lastInbound: { whatsapp: '2026-11-22T11:00:00.000Z' },
      },
      'whatsapp',
    );
    const closed = channelReachability(
      {
        customer: customer(),
        now: NOW,
        deployed: ALL,
        lastInbound: { whatsapp: '2026-11-22T09:59:00.000Z' },
      },
      'whatsapp',
    );

    // Assess
    expect(open).toMatchObject({ ok: true, windowClosesAt: '2026-11-23T11:00:00.000Z' });
    expect(closed).toMatchObject({ ok: false, reason: 'window-closed' });
  });

  it('names the template when one is configured, and no fallback when the customer opted out of every one', () => {
    // Prepare
    const social = {
      fallbackChannels: ['sms', 'email'] as Array<'sms' | 'email'>,
      whatsappTemplate: { name: 'support_followup', languages: { tr: 'tr' } },
    };
    const optedOut = customer({ consent: { sms: 'opted-out', email: 'opted-out' } });

    // Act
    const template = channelReachability(
      { customer: customer(), now: NOW, deployed: ALL, lastInbound: {}, social },
      'whatsapp',
    );
    const none = channelReachability(
      { customer: optedOut, now: NOW, deployed: ALL, lastInbound: {} },
      'whatsapp',
    );

    // Assess
    expect(template.fallback).toBe('template');
    expect(none).toEqual({
      channel: 'whatsapp',
      address: '+905321112233',
      ok: false,
      reason: 'window-closed',
    });
  });

  it('refuses an opted-out channel and one the deployment does not send on', () => {
    // Act
    const sms = channelReachability(
      { customer: customer({ consent: { sms: 'opted-out' } }), now: NOW, deployed: ALL, lastInbound: {} },
      'sms',
    );
    const chat = channelReachability(
      { customer: customer(), now: NOW, deployed: new Set(['email']), lastInbound: {} },
      'chat',
    );

    // Assess
    expect(sms).toMatchObject({ ok: false, reason: 'opted-out' });
    expect(chat).toMatchObject({ ok: false, reason: 'not-configured' });
  });

  it('says until when proactive SMS would wait in the customer’s quiet hours, the channel still open for replies', () => {
    // Prepare: 23:30 in Istanbul.
    const night = new Date('2026-11-23T20:30:00.000Z');

    // Act
    const sms = channelReachability(
      {
        customer: customer(),
        now: night,
        deployed: ALL,
        lastInbound: {},
        quietHours: { sms: { start: '21:00', end: '08:00' }, fallbackTimeZone: 'UTC' },
      },
      'sms',
    );

    // Assess
    expect(sms).toEqual({
      channel: 'sms',
      address: '+905321112233',
      ok: true,
      quietHoursUntil: '2026-11-24T05:00:00.000Z',
    });
  });
});
