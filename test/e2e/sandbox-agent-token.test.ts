import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/sandbox-process.ts';

let child: ChildProcessWithoutNullStreams;
let base: string;
let stderr = '';

beforeAll(async () => {
  // The running sandbox as `npm start` starts it, with a token of the developer's own.
  child = spawn(process.execPath, ['--import', 'tsx', 'bin/sandbox.ts', 'serve'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', SANDBOX_AGENT_TOKEN: 'my-own-token' },
  });
  base = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const up = stderr.match(/is up on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ctrl-C/);
      if (up?.[1]) resolve(up[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${stderr}`)));
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode !== null) return;
  child.kill('SIGINT');
  await once(child, 'exit');
});

describe('npm start: the agent API of the running sandbox', () => {
  it('names the agent routes in its start-up lines without printing the token', () => {
    // Assess
    expect(stderr).toContain('/conversations?status=&channel=&assignee=&nextToken=');
    expect(stderr).toContain('/customers/{id}/timeline');
    expect(stderr).toContain('Bearer <SANDBOX_AGENT_TOKEN>');
    expect(stderr).not.toContain('my-own-token');
  });

  it('takes the token SANDBOX_AGENT_TOKEN names, and refuses the default one then', async () => {
    // Act
    const own = await fetch(`${base}/conversations`, { headers: { authorization: 'Bearer my-own-token' } });
    const fallback = await fetch(`${base}/conversations`, {
      headers: { authorization: 'Bearer dev-agent-token' },
    });

    // Assess
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ items: [] });
    expect(fallback.status).toBe(401);
  });
});
