import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `npm run sandbox -- <args>` the way a user would (through tsx), and collects its output. */
export function runSandbox(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/sandbox.ts', ...args], {
      cwd: projectRoot,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The sandbox server as `npm start` runs it, in a child process. */
export interface ServedSandbox {
  readonly child: ChildProcessWithoutNullStreams;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Everything it has written on stderr so far. */
  readonly stderr: () => string;
}

/**
 * Starts `npm start` on a free port (PORT=0) with `env` added, and resolves once all its
 * start-up lines are out (the last says how to stop it). Stopping it is the caller's.
 */
export function serveSandbox(
  env: Readonly<Record<string, string>> = {},
  args: readonly string[] = [],
): Promise<ServedSandbox> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/sandbox.ts', 'serve', ...args], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const up = stderr.match(/is up on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ctrl-C/);
      if (up?.[1]) resolve({ child, base: up[1], stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${stderr}`)));
  });
}
