import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

let sandbox: ServedSandbox;

beforeAll(async () => {
  // The sandbox takes a free port and says which on stderr.
  sandbox = await serveSandbox();
}, 60_000);

afterAll(() => {
  if (sandbox?.child.exitCode === null) sandbox.child.kill('SIGKILL');
});

describe('npm start: the sandbox server', () => {
  it('answers GET /health with 200 once the stand-ins are up', async () => {
    // Act
    const response = await fetch(`${sandbox.base}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('takes a raw mail on /sandbox/events/eml and answers with the acknowledgement it sent', async () => {
    // Prepare
    const mail = await readFile(`${projectRoot}/test/fixtures/replay/email-basics/04-question-en.eml`);

    // Act
    const response = await fetch(`${sandbox.base}/sandbox/events/eml`, { method: 'POST', body: mail });
    const outbox = (await (await fetch(`${sandbox.base}/sandbox/outbox`)).json()) as { items: unknown[] };

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
    const response = await fetch(`${sandbox.base}/sandbox/events/txt`, { method: 'POST', body: 'hello' });

    // Assess
    expect(response.status).toBe(422);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/unknown file type/);
  });

  it('serves the agent inbox at / (built at start, nothing committed) and names it in the start lines', async () => {
    // Act
    const page = await fetch(`${sandbox.base}/`);
    const html = await page.text();
    const script = html.match(/src="(assets\/[^"]+\.js)"/)?.[1];
    const asset = await fetch(`${sandbox.base}/${script}`);

    // Assess
    expect(page.status).toBe(200);
    expect(html).toContain('<div id="app"');
    expect(asset.status).toBe(200);
    expect(sandbox.stderr()).toContain(`GET  ${sandbox.base}/ `);
    expect(sandbox.stderr()).toMatch(/the agent inbox, signed in as the sandbox agent/);
  });

  it('answers 404 with a reason for a route it does not have', async () => {
    // Act
    const response = await fetch(`${sandbox.base}/nowhere`);

    // Assess
    expect(response.status).toBe(404);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/no route/);
  });

  it('stops cleanly on Ctrl-C', async () => {
    // Act
    sandbox.child.kill('SIGINT');
    const [code] = await once(sandbox.child, 'exit');

    // Assess
    expect(code).toBe(0);
    expect(sandbox.stderr()).toContain('sandbox stopped');
  });
});
