import { beforeAll, describe, expect, it } from 'vitest';
import { ReportView, replayFolder } from '../support/replay-report.ts';

const FOLDER = 'test/fixtures/replay/voice';
const NOW = '2026-11-23T10:00:00Z';
const AYSE_PHONE = '+905321234567';
const UNKNOWN_PHONE = '+905551112233';

let view: ReportView;
let firstStdout: string;

beforeAll(async () => {
  const run = await replayFolder(FOLDER, NOW);
  view = new ReportView(run.report);
  firstStdout = run.stdout;
}, 120_000);

function response(file: string): Record<string, string> {
  const found = view.report.responses.find((r) => r.file === file);
  expect(found, file).toBeDefined();
  return found?.body as Record<string, string>;
}

describe('replay of the voice folder', () => {
  it("answers a known caller's flow with their name and latest order, every value a string", () => {
    // Act
    const body = response('03-known-caller.connect-flow.json');
    const ayse = view.customerWith('phone', AYSE_PHONE);

    // Assess
    expect(body).toMatchObject({
      known: 'true',
      customerId: ayse?.id,
      name: 'Ayşe Yılmaz',
      language: 'tr',
      latestOrderId: '100234',
      latestOrderStatus: 'shipped',
      lookup: 'ok',
    });
    for (const value of Object.values(body)) expect(typeof value).toBe('string');
  });

  it('gives an unknown caller and a withheld number nothing of anyone else', () => {
    // Act
    const bodies = [
      response('09-unknown-caller.connect-flow.json'),
      response('12-withheld-number.connect-flow.json'),
    ];
    const known = view.report.customers.filter((c) => c.name !== undefined);

    // Assess
    for (const body of bodies) {
      expect(body).toMatchObject({
        known: 'false',
        customerId: '',
        name: '',
        latestOrderId: '',
        latestOrderStatus: '',
      });
      const text = JSON.stringify(body);
      for (const customer of known) {
        expect(text).not.toContain(customer.id);
        expect(text).not.toContain(String(customer.name));
      }
      expect(text).not.toContain('100234');
      expect(text).not.toContain('200517');
    }
  });

  it("puts the answered call on the caller's timeline with its queue, agent and disconnect reason", () => {
    // Act
    const ayse = view.customerWith('phone', AYSE_PHONE);
    const [voice] = view.conversationsOf(ayse?.id, 'voice');
    const firstCall = voice?.messages.filter(
      (m) => m.at >= '2026-11-23T10:00:00' && m.at < '2026-11-23T10:10:00',
    );

    // Assess
    expect(firstCall?.map((m) => m.flags?.[0])).toEqual([
      'call-initiated',
      'call-queued',
      'call-connected-to-agent',
      'call-disconnected',
    ]);
    expect(firstCall?.[2]?.text).toMatch(
      /agent 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b .*after 45 s in the queue/,
    );
    expect(firstCall?.[3]?.text).toContain('CUSTOMER_DISCONNECT');
  });

  it('sends exactly one missed-call SMS in Turkish for the call abandoned in the queue, redelivery included', () => {
    // Act
    const ayse = view.customerWith('phone', AYSE_PHONE);
    const followUps = view.sentTo(AYSE_PHONE, { kind: 'missed-call' });
    const [voice] = view.conversationsOf(ayse?.id, 'voice');

    // Assess
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({ channel: 'sms', language: 'tr', conversationId: voice?.id });
    expect(String(followUps[0]?.sentAt) >= '2026-11-23T10:23:15').toBe(true);
    const missed = voice?.messages.filter((m) => m.flags?.includes('missed-call'));
    expect(missed).toHaveLength(1);
    expect(missed?.[0]?.text).toContain('after 180 s in the queue');
    expect(view.report.rejected.map((r) => r.file)).not.toContain(
      '19-abandoned-call-redelivered.connect-event.json',
    );
  });

  it('follows an evening missed call up by email in English when the shop opens', () => {
    // Act
    const followUps = view.sentTo('zeynep.kaya@example.com', { kind: 'missed-call' });

    // Assess
    expect(followUps).toEqual([
      expect.objectContaining({
        channel: 'email',
        language: 'en',
        subject: 'We missed your call',
        sentAt: '2026-11-24T06:00:00.000Z',
      }),
    ]);
  });

  it('records the unknown caller as a customer of their own with the missed call, and sends them nothing', () => {
    // Act
    const caller = view.customerWith('phone', UNKNOWN_PHONE);
    const [voice] = view.conversationsOf(caller?.id, 'voice');

    // Assess
    expect(caller?.identities).toEqual([{ kind: 'phone', value: UNKNOWN_PHONE }]);
    expect(voice?.messages.map((m) => m.flags)).toEqual([
      ['call-initiated'],
      ['call-disconnected', 'missed-call'],
    ]);
    expect(view.sentTo(UNKNOWN_PHONE)).toHaveLength(0);
  });

  it('escalates a message naming a lawyer into one Connect task linking the conversation', () => {
    // Act
    const ayse = view.customerWith('phone', AYSE_PHONE);
    const [sms] = view.conversationsOf(ayse?.id, 'sms');
    const escalation = view.report.escalations?.find((e) => e.reason === 'sensitive-words');
    const tasks = view.report.tasks ?? [];

    // Assess
    expect(sms?.flags).toContain('escalated');
    expect(escalation).toMatchObject({ conversationId: sms?.id, detail: 'matched "avukat"' });
    expect(tasks.filter((t) => t.taskId === escalation?.taskId)).toHaveLength(1);
    expect(tasks[0]?.references.Conversation?.value).toContain(String(sms?.id));
  });

  it('counts every inbound call once under voice in the channel report, the redelivery not again', () => {
    // Act
    const voice = view.report.insights?.channels.find((c) => c.channel === 'voice');
    const voiceConversations = view.report.customers.flatMap((c) => view.conversationsOf(c.id, 'voice'));

    // Assess: Ayşe's answered and abandoned calls, the unknown caller's, Zeynep's evening call
    // (which sent no INITIATED event); the withheld number's flow lookup is not a call on record.
    expect(voice?.volume.inbound).toBe(4);
    expect(voice?.volume.conversations).toBe(voiceConversations.length);
    expect(voiceConversations).toHaveLength(3);
    expect(voice?.firstResponse.breaches).toBe(0);
  });

  it('rejects a contact event without an event type, with the reason', () => {
    // Assess
    expect(view.report.rejected).toEqual([
      {
        file: '20-not-a-contact-event.connect-event.json',
        reason: expect.stringContaining('detail.eventType'),
      },
    ]);
  });

  it('prints the same report when replayed again', async () => {
    // Act
    const again = await replayFolder(FOLDER, NOW);

    // Assess
    expect(again.stdout).toBe(firstStdout);
  }, 120_000);
});
