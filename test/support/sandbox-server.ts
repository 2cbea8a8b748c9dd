import type { Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { SandboxEngine } from '../../bin/sandbox/engine.ts';
import { serverPort, startSandboxServer } from '../../bin/sandbox/server.ts';

/** The sandbox engine and its HTTP server, in the test's own process. */
export interface InProcessSandbox {
  readonly engine: SandboxEngine;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
}

/**
 * Starts the sandbox engine at `now` with its HTTP server on a free port before the file's tests,
 * and stops both after them. Call at the top of a test file, before its own hooks, which then
 * find the sandbox running.
 */
export function sandboxServerForTests(now: Date): InProcessSandbox {
  let engine: SandboxEngine | undefined;
  let server: Server | undefined;
  let base: string | undefined;

  beforeAll(async () => {
    engine = await SandboxEngine.start({ now });
    server = await startSandboxServer(engine, 0);
    base = `http://127.0.0.1:${serverPort(server)}`;
  }, 60_000);

  afterAll(async () => {
    const running = server;
    if (running) {
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    }
    await engine?.stop();
  });

  return {
    get engine() {
      if (!engine) throw new Error('the sandbox is not started yet: use it inside a test or hook');
      return engine;
    },
    get base() {
      if (!base) throw new Error('the sandbox is not started yet: use it inside a test or hook');
      return base;
    },
  };
}
