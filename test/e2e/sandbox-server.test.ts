import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/sandbox-process.ts';

let child: ChildProcessWithoutNullStreams;
let base: string;
let stderr = '';

beforeAll(async () => {
  // PORT=0: the sandbox takes a free port and says which on stderr.
  child = spawn(process.execPath, ['--import', 'tsx', 'bin/sandbox.ts', 'serve'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  base = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const up = stderr.match(/is up on (http:\/\/127\.0\.0\.1:\d+)/);
      if (up?.[1]) resolve(up[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${stderr}`)));
  });
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start: the sandbox server', () => {
  it('answers GET /health with 200 once the stand-ins are up', async () => {
    // Act
    const response = await fetch(`${base}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('takes a raw mail on /sandbox/events/eml and answers with the acknowledgement it sent', async () => {
    // Prepare
    const mail = await readFile(`${projectRoot}/test/fixtures/replay/email-basics/04-question-en.eml`);

    // Act
    const response = await fetch(`${base}/sandbox/events/eml`, { method: 'POST', body: mail });
    const outbox = (await (await fetch(`${base}/sandbox/outbox`)).json()) as { items: unknown[] };

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accepted: boolean; outbox: unknown[] };
    expect(body.accepted).toBe(true);
    expect(body.outbox).toEqual([
      expect.objectContaining({ kind: 'auto-reply', to: 'john.carter@example.org' }),
    ]);
    expect(outbox.items).toHaveLength(1);
  });

  it('refuses an event type it does not know with 422 and a reason', async () => {
    // Act
    const response = await fetch(`${base}/sandbox/events/txt`, { method: 'POST', body: 'hello' });

    // Assess
    expect(response.status).toBe(422);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/unknown file type/);
  });

  it('answers 404 with a reason for a route it does not have', async () => {
    // Act
    const response = await fetch(`${base}/nowhere`);

    // Assess
    expect(response.status).toBe(404);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/no route/);
  });

  it('stops cleanly on Ctrl-C', async () => {
    // Act
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).toBe(0);
    expect(stderr).toContain('sandbox stopped');
  });
});
