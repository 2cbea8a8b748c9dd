import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

/**
 * The shell examples for the running sandbox in the docs, run verbatim (bash, from the project
 * folder, PORT set as a user who changed it would) against `npm start`: every `sh` block that
 * talks to `127.0.0.1:${PORT:-3000}`, in the order of these pages (the sandbox page's mail comes
 * first, so the agent examples find a conversation to answer).
 */
const EXAMPLE_PAGES = [
  'docs/sandbox.md',
  'docs/agents.md',
  'docs/channels/shop.md',
  'docs/channels/email.md',
];

const sandboxExamples = EXAMPLE_PAGES.flatMap((page) =>
  [...readFileSync(`${projectRoot}${page}`, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((block) => /127\.0\.0\.1:\$\{PORT:-3000\}/.test(block)),
);

let sandbox: ServedSandbox;

/**
 * The shop example's order notice goes by SMS, which quiet hours hold at night: the sandbox runs
 * at noon in Istanbul of the latest day that has had one, so the run does not depend on the hour.
 */
function latestNoonInIstanbul(): string {
  const now = new Date();
  const noon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9));
  if (noon > now) noon.setUTCDate(noon.getUTCDate() - 1);
  return noon.toISOString();
}

beforeAll(async () => {
  sandbox = await serveSandbox({}, ['--now', latestNoonInIstanbul()]);
}, 60_000);

afterAll(async () => {
  if (!sandbox || sandbox.child.exitCode !== null) return;
  sandbox.child.kill('SIGINT');
  await once(sandbox.child, 'exit');
});

async function bash(
  script: string,
  port: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: projectRoot,
    env: { ...process.env, PORT: port },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** The README and every page under docs/, which a reader may copy a command from. */
function documentationPages(): Array<{ path: string; text: string }> {
  const pages = readdirSync(`${projectRoot}docs`, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => `docs/${path}`);
  return ['README.md', ...pages].map((path) => ({
    path,
    text: readFileSync(`${projectRoot}${path}`, 'utf8'),
  }));
}

describe('the sandbox examples of the docs', () => {
  it('has the examples this test runs, and no page hard-codes the default port', () => {
    // Act
    const hardCoded = documentationPages().filter((page) => page.text.includes('http://127.0.0.1:3000/'));

    // Assess
    expect(sandboxExamples.length).toBeGreaterThanOrEqual(4);
    expect(hardCoded.map((page) => page.path)).toEqual([]);
  });

  it('runs each of them as written, and none is refused', async () => {
    // Prepare
    const port = new URL(sandbox.base).port;

    // Act
    const runs = [];
    for (const example of sandboxExamples) runs.push({ example, ...(await bash(example, port)) });

    // Assess
    for (const run of runs) {
      expect(run.code, `${run.example}\n${run.stderr}`).toBe(0);
      expect(run.stdout.trim(), run.example).not.toBe('');
      expect(run.stdout, run.example).not.toMatch(/"error"\s*:/);
    }
    const sent = await fetch(`${sandbox.base}/sandbox/outbox`);
    const outbox = ((await sent.json()) as { items: Array<{ kind: string }> }).items;
    expect(outbox.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['auto-reply', 'order-status', 'agent-reply']),
    );
  });
});
