import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

let sandbox: ServedSandbox;

beforeAll(async () => {
  // The running sandbox as `npm start` starts it, with a token of the developer's own.
  sandbox = await serveSandbox({ SANDBOX_AGENT_TOKEN: 'my-own-token' });
}, 60_000);

afterAll(async () => {
  if (!sandbox || sandbox.child.exitCode !== null) return;
  sandbox.child.kill('SIGINT');
  await once(sandbox.child, 'exit');
});

describe('npm start: the agent API of the running sandbox', () => {
  it('names the agent routes in its start-up lines without printing the token', () => {
    // Assess
    expect(sandbox.stderr()).toContain('/conversations?status=&channel=&assignee=&nextToken=');
    expect(sandbox.stderr()).toContain('/customers/{id}/timeline');
    expect(sandbox.stderr()).toContain('Bearer <SANDBOX_AGENT_TOKEN>');
    expect(sandbox.stderr()).not.toContain('my-own-token');
  });

  it('takes the token SANDBOX_AGENT_TOKEN names, and refuses the default one then', async () => {
    // Act
    const own = await fetch(`${sandbox.base}/conversations`, {
      headers: { authorization: 'Bearer my-own-token' },
    });
    const fallback = await fetch(`${sandbox.base}/conversations`, {
      headers: { authorization: 'Bearer dev-agent-token' },
    });

    // Assess
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ items: [] });
    expect(fallback.status).toBe(401);
  });
});
