import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:30:00Z'));

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

async function post(suffix: string, body: Uint8Array) {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, { method: 'POST', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the running sandbox takes Connect events', () => {
  it("answers a contact flow event with the lookup map and takes the call's events", async () => {
    // Act
    const flow = await post('connect-flow.json', fixture('connect/flow-known-caller.json'));
    const queued = await post('connect-event.json', fixture('connect/event-queued.json'));
    const hungUp = await post('connect-event.json', fixture('connect/event-disconnected-abandoned.json'));

    // Assess: the caller is unknown to this fresh sandbox, and becomes a customer with the call
    expect(flow.status).toBe(200);
    expect(flow.body.response).toMatchObject({ known: 'false', lookup: 'ok' });
    expect(queued.status).toBe(200);
    expect(queued.body.result).toMatchObject({ status: 'recorded' });
    expect(hungUp.body.result).toMatchObject({ status: 'recorded', missedCall: { queued: false } });
    const report = await sandbox.engine.report();
    expect(report.responses.map((r) => r.file)).toEqual(['event-0001.connect-flow.json']);
  });

  it('answers 422 with the reason for a contact event that is not one', async () => {
    // Act
    const refused = await post('connect-event.json', fixture('connect/event-wrong-source.json'));

    // Assess
    expect(refused.status).toBe(422);
    expect(String(refused.body.reason)).toContain('source');
  });
});
