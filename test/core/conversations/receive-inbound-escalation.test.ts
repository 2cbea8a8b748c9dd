import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ReceiveInboundDeps,
  receiveInbound,
} from '../../../functions/core/conversations/receive-inbound.ts';
import type { InboundMessage } from '../../../functions/core/model.ts';
import { inboundSms } from '../../support/conversation-builders.ts';
import { type MemoryQueue, readableIds } from '../../support/in-memory-ports.ts';
import { MemoryAgentTasks, MemoryEscalationLog } from '../../support/in-memory-voice-ports.ts';
import { memorySmsDeps } from '../../support/inbound-deps.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');

function sms(id: string, text: string): InboundMessage {
  return inboundSms(id, '+905321112233', text, NOW);
}

let escalations: MemoryEscalationLog;
let tasks: MemoryAgentTasks;
let deps: ReceiveInboundDeps;

beforeEach(() => {
  escalations = new MemoryEscalationLog();
  tasks = new MemoryAgentTasks();
  deps = memorySmsDeps(NOW, {
    escalation: { clock: { now: () => NOW }, ids: readableIds, escalations, agentTasks: tasks },
  });
});

describe('receiveInbound with the escalation rule', () => {
  it('escalates a message naming a lawyer on its conversation and creates one task, also when redelivered', async () => {
    // Act
    const first = await receiveInbound(deps, {
      message: sms('m1', 'Avukatımla görüşeceğim!'),
      attachments: [],
    });
    await receiveInbound(deps, { message: sms('m1', 'Avukatımla görüşeceğim!'), attachments: [] });

    // Assess
    expect(escalations.list()).toEqual([
      expect.objectContaining({
        conversationId: first.conversationId,
        reason: 'sensitive-words',
        taskId: 'task-1',
      }),
    ]);
    expect(tasks.tasks.size).toBe(1);
  });

  it('escalates the third message of one conversation without an answer', async () => {
    // Act
    for (const [id, text] of [
      ['m1', 'Siparişim gelmedi'],
      ['m2', 'Kimse yanıt vermiyor'],
      ['m3', 'Lütfen dönün'],
    ] as const) {
      await receiveInbound(deps, { message: sms(id, text), attachments: [] });
    }

    // Assess
    expect(escalations.list().map((e) => e.reason)).toEqual(['repeated-contacts']);
  });

  it('queues the acknowledgement before the task, and a retry after a failed task finishes it once', async () => {
    // Prepare
    tasks.failNext = new Error('AccessDeniedException');
    const input = { message: sms('m1', 'Şikayetçiyim, kimse dönmedi'), attachments: [] };

    // Act
    await expect(receiveInbound(deps, input)).rejects.toThrow('AccessDeniedException');
    const acknowledged = [...(deps.outbound as MemoryQueue).sent];
    await receiveInbound(deps, input);

    // Assess
    expect(acknowledged.map((r) => r.kind)).toEqual(['auto-reply']);
    expect(new Set((deps.outbound as MemoryQueue).sent.map((r) => r.id)).size).toBe(1);
    expect(tasks.tasks.size).toBe(1);
    expect(escalations.list()).toHaveLength(1);
  });

  it('escalates nothing where the rules name no sensitive word and no repeated-contact tally is reached', async () => {
    // Prepare
    const rules = { sensitiveWords: {}, repeatedContacts: 99 };

    // Act
    const result = await receiveInbound(
      { ...deps, escalation: { ...deps.escalation, config: rules } },
      { message: sms('m1', 'lawyer'), attachments: [] },
    );

    // Assess
    expect(result.duplicate).toBe(false);
    expect(escalations.list()).toHaveLength(0);
  });
});
