import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

/**
 * `npm start` runs the shop of cdk.json on a clock: the real time by default, `--now` and
 * `POST /sandbox/clock` move it, and a send it holds says when it leaves.
 */

let live: ServedSandbox;
let shifted: ServedSandbox;

beforeAll(async () => {
  // 10:00 in Istanbul on 20 March 2026: a holiday in cdk.json (Ramazan Bayramı), a Friday.
  [live, shifted] = await Promise.all([serveSandbox(), serveSandbox({}, ['--now', '2026-03-20T07:00:00Z'])]);
}, 90_000);

afterAll(async () => {
  for (const sandbox of [live, shifted]) {
    if (!sandbox || sandbox.child.exitCode !== null) continue;
    sandbox.child.kill('SIGINT');
    await once(sandbox.child, 'exit');
  }
});

async function post(base: string, path: string, body: string | Buffer) {
  const response = await fetch(`${base}${path}`, { method: 'POST', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function clockOf(base: string): Promise<number> {
  const response = await fetch(`${base}/sandbox/clock`);
  return new Date(((await response.json()) as { now: string }).now).getTime();
}

describe('npm start: the sandbox clock', () => {
  it('runs on the real clock by default', async () => {
    // Act
    const before = Date.now();
    const first = await clockOf(live.base);
    const second = await clockOf(live.base);
    const after = Date.now();

    // Assess
    expect(first).toBeGreaterThanOrEqual(before - 1_000);
    expect(second).toBeGreaterThanOrEqual(first);
    expect(second).toBeLessThanOrEqual(after + 1_000);
  });

  it("starts at --now and answers with cdk.json's holidays: an email on one is promised an answer after it", async () => {
    // Prepare
    const mail = await readFile(`${projectRoot}test/fixtures/replay/email-basics/01-question-tr.eml`);

    // Act
    const answer = await post(shifted.base, '/sandbox/events/eml', mail);

    // Assess
    expect(answer.status).toBe(200);
    const [ack] = answer.body.outbox as Array<{ kind: string; text: string; sentAt: string }>;
    expect(ack?.kind).toBe('auto-reply');
    expect(ack?.sentAt.slice(0, 10)).toBe('2026-03-20');
    // 20–22 March are holidays only in cdk.json: Monday 09:00 plus its 120-minute target.
    expect(ack?.text).toContain("Size en geç Pazartesi 11:00'e kadar yanıt vereceğiz.");
  });

  it('says when a send held for quiet hours leaves, and sends it when POST /sandbox/clock passes that time', async () => {
    // Prepare: 21:30 in Istanbul, inside the default quiet hours; cdk.json has no sms section,
    // the sandbox's stand-in SMS channel carries the notice.
    const moved = await post(shifted.base, '/sandbox/clock', JSON.stringify({ now: '2026-03-20T18:30:00Z' }));
    const order = await readFile(`${projectRoot}test/fixtures/orders/shipped-email-and-phone.json`);

    // Act
    const queued = await post(shifted.base, '/sandbox/events/order.json', order);
    const backwards = await post(
      shifted.base,
      '/sandbox/clock',
      JSON.stringify({ now: '2026-03-19T00:00:00Z' }),
    );
    const morning = await post(
      shifted.base,
      '/sandbox/clock',
      JSON.stringify({ now: '2026-03-21T05:00:30Z' }),
    );

    // Assess
    expect(moved.status).toBe(200);
    expect(queued.body.outbox).toEqual([]);
    expect(queued.body.held).toEqual([
      expect.objectContaining({
        channel: 'sms',
        kind: 'order-status',
        leavesAt: '2026-03-21T05:00:00.000Z',
        heldFor: 'quiet hours',
      }),
    ]);
    expect(backwards.status).toBe(409);
    expect(backwards.body.reason).toMatch(
      /^the sandbox clock only moves forward: it is already at 2026-03-20T18:30/,
    );
    const sent = morning.body.outbox as Array<{ channel: string; kind: string; sentAt: string }>;
    expect(sent.map((s) => [s.channel, s.kind])).toEqual([['sms', 'order-status']]);
    expect(sent[0]?.sentAt.slice(0, 16)).toBe('2026-03-21T05:00');
  });
});

describe('npm start on a port in use', () => {
  it('says so in one line and exits 2', async () => {
    // Prepare
    const port = new URL(shifted.base).port;

    // Act
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/sandbox.ts', 'serve'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: port },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'close')) as [number | null];

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `port ${port} on 127.0.0.1 is in use (another sandbox?): stop that, or start this one with PORT=<other port> npm start`,
    ]);
  });
});
