import { beforeEach, describe, expect, it } from 'vitest';
import {
  countsTowardsRepeatedContacts,
  type EscalationDeps,
  escalateInbound,
  findSensitiveTerm,
  raiseEscalation,
} from '../../../functions/core/conversations/escalation.ts';
import type { MailVerdicts } from '../../../functions/core/model.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import { readableIds } from '../../support/in-memory-ports.ts';
import { MemoryAgentTasks, MemoryEscalationLog } from '../../support/in-memory-voice-ports.ts';

const NOW = new Date('2026-11-23T10:00:00Z');

const conversation = openConversation;

describe('findSensitiveTerm', () => {
  it.each([
    ['Avukatıma danışacağım', 'avukat'],
    ['AVUKATIM sizi arayacak', 'avukat'],
    ['Bu konuda ŞİKÂYETÇİYİM', 'şikayet'],
    ['sikayet ediyorum', 'şikayet'],
    ['Size dava açacağım', 'dava'],
    ['Davayı kazanırım', 'dava'],
    ['Tüketici hakem heyetine başvuracağım', 'tüketici hakem'],
    ['My lawyer will contact you', 'lawyer'],
    ["I'll talk to my lawyers", 'lawyer'],
    ['I will file a chargeback with my bank', 'chargeback'],
    ['I am going to sue you', 'sue'],
  ])('finds the term in %j', (text, term) => {
    // Act / Assess
    expect(findSensitiveTerm(text)).toBe(term);
  });

  it.each([
    'Düğün davetiyem gelmedi',
    'There is an issue with my order',
    'Siparişim nerede?',
    'The lawyerly tone of your mail',
    '',
  ])('finds nothing in %j (word boundaries and suffix rules)', (text) => {
    // Act / Assess
    expect(findSensitiveTerm(text)).toBeUndefined();
  });

  it('uses the configured words instead of the built-in ones', () => {
    // Act / Assess
    expect(findSensitiveTerm('I will go to the press', { en: ['press'] })).toBe('press');
    expect(findSensitiveTerm('My lawyer', { en: ['press'] })).toBeUndefined();
  });
});

describe('raiseEscalation', () => {
  let escalations: MemoryEscalationLog;
  let tasks: MemoryAgentTasks;
  let deps: EscalationDeps;

  beforeEach(() => {
    escalations = new MemoryEscalationLog();
    tasks = new MemoryAgentTasks();
    deps = { clock: { now: () => NOW }, ids: readableIds, escalations, agentTasks: tasks };
  });

  it('records the escalation on the conversation and creates one task linking it', async () => {
    // Act
    const raised = await raiseEscalation(deps, {
      conversation: conversation(),
      reason: 'sensitive-words',
      detail: 'matched "avukat"',
      eventKey: 'inbound#email#m1',
    });

    // Assess
    expect(raised).toBe(true);
    expect(escalations.list()).toEqual([
      expect.objectContaining({
        conversationId: 'conv-1',
        customerId: 'cust-1',
        reason: 'sensitive-words',
        eventKey: 'inbound#email#m1',
        at: NOW.toISOString(),
        taskId: 'task-1',
      }),
    ]);
    const [task] = [...tasks.tasks.values()];
    expect(task).toMatchObject({ conversationId: 'conv-1', customerId: 'cust-1' });
    expect(task?.description).toContain('conv-1');
    expect(escalations.flagged.has('conv-1')).toBe(true);
  });

  it('returns false and creates no second task when the same event escalates again', async () => {
    // Prepare
    const input = { conversation: conversation(), reason: 'sensitive-words' as const, eventKey: 'e1' };
    await raiseEscalation(deps, input);

    // Act
    const again = await raiseEscalation(deps, input);

    // Assess
    expect(again).toBe(false);
    expect(tasks.tasks.size).toBe(1);
    expect(escalations.list()).toHaveLength(1);
  });

  it('finishes the task on a retry after the task call failed, still one task', async () => {
    // Prepare
    const input = { conversation: conversation(), reason: 'repeated-contacts' as const, eventKey: 'e2' };
    tasks.failNext = new Error('ThrottlingException');
    await expect(raiseEscalation(deps, input)).rejects.toThrow('ThrottlingException');

    // Act
    const retried = await raiseEscalation(deps, input);

    // Assess
    expect(retried).toBe(false);
    expect(tasks.tasks.size).toBe(1);
    expect(escalations.list()[0]?.taskId).toBe('task-1');
  });

  it('only records when no task flow is configured', async () => {
    // Act
    const raised = await raiseEscalation(
      { ...deps, agentTasks: undefined },
      { conversation: conversation(), reason: 'first-response-breach', eventKey: 'e3' },
    );

    // Assess
    expect(raised).toBe(true);
    expect(escalations.list()[0]?.taskId).toBeUndefined();
    expect(tasks.tasks.size).toBe(0);
  });
});

describe('escalateInbound', () => {
  let escalations: MemoryEscalationLog;
  let deps: EscalationDeps;
  const PASS: MailVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

  beforeEach(() => {
    escalations = new MemoryEscalationLog();
    deps = { clock: { now: () => NOW }, ids: readableIds, escalations, agentTasks: new MemoryAgentTasks() };
  });

  it('escalates the third unanswered contact once, and a redelivery does not count twice', async () => {
    // Act
    const first = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Merhaba' },
      inboundKey: 'k1',
    });
    const again = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Merhaba' },
      inboundKey: 'k1',
    });
    const second = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Hâlâ bekliyorum' },
      inboundKey: 'k2',
    });
    const third = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Cevap yok' },
      inboundKey: 'k3',
    });
    const fourth = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Alo?' },
      inboundKey: 'k4',
    });

    // Assess
    expect([first, again, second]).toEqual([undefined, undefined, undefined]);
    expect(third).toBe('repeated-contacts');
    expect(fourth).toBe('repeated-contacts');
    expect(escalations.list()).toHaveLength(1);
    expect(escalations.list()[0]).toMatchObject({
      reason: 'repeated-contacts',
      detail: '3 contacts without an answer',
    });
  });

  it('takes the count the conversation store took with the message, and counts nothing itself', async () => {
    // Act
    const below = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Cevap yok' },
      inboundKey: 'k2',
      unansweredContacts: 2,
    });
    const reached = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'Alo?' },
      inboundKey: 'k3',
      unansweredContacts: 3,
    });

    // Assess
    expect([below, reached]).toEqual([undefined, 'repeated-contacts']);
    expect(escalations.tallies.size).toBe(0);
    expect(escalations.list()[0]).toMatchObject({ detail: '3 contacts without an answer' });
  });

  it('starts counting again after a person answered', async () => {
    // Prepare
    for (const key of ['k1', 'k2']) {
      await escalateInbound(deps, { conversation: conversation(), message: { text: 'x' }, inboundKey: key });
    }
    const answered = conversation({ firstResponseAt: '2026-11-23T09:30:00.000Z' });

    // Act
    const result = await escalateInbound(deps, {
      conversation: answered,
      message: { text: 'x' },
      inboundKey: 'k3',
    });

    // Assess
    expect(result).toBeUndefined();
    expect(escalations.list()).toHaveLength(0);
  });

  it('starts counting again after every answer, and escalates each unanswered streak once', async () => {
    // Prepare: a first answer at 09:30, three contacts after it, then a second answer at 11:00
    const afterFirst = conversation({ firstResponseAt: '2026-11-23T09:30:00.000Z' });
    const afterSecond = conversation({
      firstResponseAt: '2026-11-23T09:30:00.000Z',
      lastAgentReplyAt: '2026-11-23T11:00:00.000Z',
    });
    for (const key of ['k1', 'k2', 'k3']) {
      await escalateInbound(deps, { conversation: afterFirst, message: { text: 'x' }, inboundKey: key });
    }

    // Act
    const results = [];
    for (const key of ['k4', 'k5', 'k6']) {
      results.push(
        await escalateInbound(deps, { conversation: afterSecond, message: { text: 'x' }, inboundKey: key }),
      );
    }

    // Assess
    expect(results).toEqual([undefined, undefined, 'repeated-contacts']);
    expect(escalations.list().map((e) => e.eventKey)).toEqual([
      'repeated-contacts#2026-11-23T09:30:00.000Z',
      'repeated-contacts#2026-11-23T11:00:00.000Z',
    ]);
  });

  it('escalates sensitive words at once, keyed on the message', async () => {
    // Act
    const result = await escalateInbound(deps, {
      conversation: conversation(),
      message: { subject: 'Chargeback', text: 'I will dispute this with my bank' },
      inboundKey: 'inbound#email#m9',
    });

    // Assess
    expect(result).toBe('sensitive-words');
    expect(escalations.list()[0]).toMatchObject({
      eventKey: 'inbound#email#m9',
      detail: 'matched "chargeback"',
    });
  });

  it('never escalates spam, quarantined conversations or reactions', async () => {
    // Act
    const spam = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'lawyer', email: { verdicts: { ...PASS, spam: 'FAIL' } } as never },
      inboundKey: 's1',
    });
    const quarantined = await escalateInbound(deps, {
      conversation: conversation({ status: 'quarantined' }),
      message: { text: 'lawyer' },
      inboundKey: 's2',
    });
    const reaction = await escalateInbound(deps, {
      conversation: conversation(),
      message: { text: 'avukat', flags: ['reaction'] },
      inboundKey: 's3',
    });

    // Assess
    expect([spam, quarantined, reaction]).toEqual([undefined, undefined, undefined]);
    expect(escalations.list()).toHaveLength(0);
    expect(escalations.tallies.size).toBe(0);
  });
});

describe('countsTowardsRepeatedContacts', () => {
  it.each([
    ['a plain question is a contact', conversation(), { text: 'Siparişim nerede?' }, true],
    [
      'a message with sensitive words is not counted (it escalates at once)',
      conversation(),
      { text: 'Avukatıma gideceğim' },
      false,
    ],
    ['a reaction is not a contact', conversation(), { text: '👍', flags: ['reaction'] }, false],
    [
      'a message in a quarantined conversation is not a contact',
      conversation({ status: 'quarantined' }),
      { text: 'hello' },
      false,
    ],
  ] as const)('%s', (_case, inConversation, message, expected) => {
    // Act / Assess
    expect(countsTowardsRepeatedContacts({}, inConversation, message)).toBe(expected);
  });
});
