import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

let compact: ServedSandbox;
let json: ServedSandbox;

beforeAll(async () => {
  [compact, json] = await Promise.all([
    serveSandbox({ POWERTOOLS_LOG_LEVEL: 'INFO' }),
    serveSandbox({ POWERTOOLS_LOG_LEVEL: 'INFO', LOG_FORMAT: 'json' }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const sandbox of [compact, json]) {
    if (!sandbox || sandbox.child.exitCode !== null) continue;
    sandbox.child.kill('SIGINT');
    await once(sandbox.child, 'exit');
  }
});

/** Sends the order fixture signed by the sandbox, and an unsigned one: a handled event and a user's mistake. */
async function orderAndForgery(base: string): Promise<void> {
  const order = await readFile(`${projectRoot}test/fixtures/orders/shipped-email-and-phone.json`);
  await fetch(`${base}/sandbox/events/order.json`, { method: 'POST', body: order });
  await fetch(`${base}/orders/events`, { method: 'POST', body: order });
}

/** Resolves once the sandbox's stderr matches `pattern` (its output arrives apart from the HTTP answer). */
function stderrMatching(sandbox: ServedSandbox, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(sandbox.stderr())) return false;
      sandbox.child.stderr.off('data', onData);
      resolve(sandbox.stderr());
      return true;
    };
    const onData = () => {
      // The collector in sandbox-process appends first; look after it has.
      setImmediate(check);
    };
    sandbox.child.stderr.on('data', onData);
    check();
  });
}

describe('npm start log lines', () => {
  it('are one compact line each by default, a user mistake as WARN', async () => {
    // Act
    await orderAndForgery(compact.base);
    const stderr = await stderrMatching(compact, / WARN {2}order event refused /);

    // Assess
    const lines = stderr.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}order event handled eventId=evt-8812 type=order\.shipped/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}order event refused /),
    );
    expect(stderr).not.toMatch(/^\{"level"/m);
    expect(stderr).not.toMatch(/ ERROR /);
  });

  it('are JSON with LOG_FORMAT=json', async () => {
    // Act
    await orderAndForgery(json.base);
    const stderr = await stderrMatching(json, /"message":"order event refused"/);

    // Assess
    const entries = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string });
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'order event handled' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'order event refused' }),
    );
  });
});
