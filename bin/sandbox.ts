/**
 * The local sandbox: `serve` (what `npm start` runs) and `replay <dir> [--now <ISO time>]`.
 * See README "Sandbox". Replay prints exactly one JSON report on stdout; everything else,
 * logs included, goes to stderr.
 */
import { compactLogStream } from './sandbox/log-lines.ts';

const [mode = 'serve', ...args] = process.argv.slice(2);

// Logs are for stderr in the sandbox; the handlers' logger is built when they are imported.
process.env.POWERTOOLS_LOG_LEVEL ??= mode === 'replay' ? 'WARN' : 'INFO';
process.env.POWERTOOLS_SERVICE_NAME ??= 'switchboard-sandbox';
// No CloudWatch here: EMF metric lines would only bury the logs (the counters are in the table).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'eu-central-1';
// The SDK warns once that Node 20 support ends in 2027; the sandbox runs wherever the tests do.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const writeStdout = process.stdout.write.bind(process.stdout);
const writeStderr = process.stderr.write.bind(process.stderr);
if (process.env.LOG_FORMAT === 'json') {
  process.stdout.write = writeStderr as typeof process.stdout.write;
} else {
  // The handlers' JSON log lines, one short line each (LOG_FORMAT=json keeps the JSON).
  const compact = compactLogStream((text) => writeStderr(text));
  const write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    compact(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = write;
  process.stderr.write = write;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run -s sandbox -- replay <dir> [--now <ISO time>]\n       npm start [-- --now <ISO time>]\n`,
  );
  process.exit(2);
}

/** `--now <ISO time>` of the arguments, if given. */
function nowArgument(): Date | undefined {
  const nowAt = args.indexOf('--now');
  if (nowAt < 0) return undefined;
  const value = args[nowAt + 1];
  const now = value ? new Date(value) : undefined;
  if (!now || Number.isNaN(now.getTime()))
    usage(`--now wants an ISO time such as 2026-11-23T10:00:00Z, got ${value}`);
  return now;
}

/** Imports the sandbox, which reads cdk.json: a wrong setting there stops it as it stops `cdk synth`. */
async function load<T>(module: () => Promise<T>): Promise<T> {
  try {
    return await module();
  } catch (error) {
    const { DeploymentConfigError } = await import('../lib/config.ts');
    if (!(error instanceof DeploymentConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Resolves when `port` can be listened on at 127.0.0.1; false when something else holds it. */
async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

if (mode === 'replay') {
  const dir = args[0];
  if (!dir || dir.startsWith('--')) usage('replay needs a folder of fixture files');
  const now = nowArgument();
  const { replay } = await load(() => import('./sandbox/replay.ts'));
  try {
    const report = await replay(dir, { now });
    writeStdout(`${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
} else if (mode === 'serve') {
  const now = nowArgument();
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    usage(`PORT must be a port number, got ${process.env.PORT}`);
  const busy = `port ${port} on 127.0.0.1 is in use (another sandbox?): stop that, or start this one with PORT=<other port> npm start\n`;
  if (!(await portIsFree(port))) {
    process.stderr.write(busy);
    process.exit(2);
  }
  const { LiveClock, SandboxEngine } = await load(() => import('./sandbox/engine.ts'));
  const { startSandboxServer, serverPort } = await import('./sandbox/server.ts');
  // The real clock (shifted to --now if given); POST /sandbox/clock moves it forward.
  const engine = await SandboxEngine.start({ clock: new LiveClock(now) });
  const server = await startSandboxServer(engine, port).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    process.stderr.write(busy);
    await engine.stop();
    process.exit(2);
  });
  // Sends held for quiet or business hours leave when the clock reaches their time.
  const release = setInterval(() => {
    engine.releaseDue().catch((error: unknown) => {
      process.stderr.write(
        `a held send could not be released: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  }, 1_000);
  release.unref();
  const base = `http://127.0.0.1:${serverPort(server)}`;
  process.stderr.write(
    [
      `switchboard sandbox is up on ${base} (clock: ${engine.clock.now().toISOString()}${now ? ', from --now' : ', the real time'}; shop: cdk.json "switchboard")`,
      `  GET  ${base}/                          the agent inbox, signed in as the sandbox agent (config: ${base}/config.json)`,
      `  GET  ${base}/health`,
      `  POST ${base}/sandbox/events/<suffix>   one fixture file as the body: eml, sms.json, meta.json, order.json, reminder.json, connect-flow.json, connect-event.json, clock.json`,
      `  GET  ${base}/chat/demo                 a demo shop page with the chat widget (/chat/widget.js; WebSocket ${base.replace('http', 'ws')}/chat/ws)`,
      `  GET  ${base}/sandbox/outbox            what was sent`,
      `  GET  ${base}/sandbox/report            customers, conversations, outbox (the replay report)`,
      `  GET|POST ${base}/sandbox/clock         the sandbox clock; POST {"now":"<ISO time>"} moves it forward (held sends due by then leave)`,
      `  POST ${base}/sandbox/agent-tokens      {"sub":"agent-9","scopes":["switchboard/agent.read"],"lifetimeSeconds":3600}: an agent token`,
      `  GET|POST ${base}/webhooks/meta         Meta's webhook route (sign POSTs with the sandbox app secret "sandbox-meta-app-secret")`,
      `  POST ${base}/orders/events, POST ${base}/reminders, DELETE ${base}/reminders/{id}   the shop API (X-Signature-Timestamp: Unix seconds; X-Signature-SHA256: hex HMAC-SHA256 with "sandbox-shop-secret" of timestamp.METHOD path\\nbody)`,
      `  GET  ${base}/conversations?status=&channel=&assignee=&nextToken=, GET ${base}/conversations/{id}, GET ${base}/customers/{id}/timeline`,
      `  POST ${base}/conversations/{id}/replies|assign|status|close, GET ${base}/reports/channels?from=&to=   the agent API (Authorization: Bearer ${engine.agents.token === 'dev-agent-token' ? 'dev-agent-token' : '<SANDBOX_AGENT_TOKEN>'})`,
      `  GET  ${base}/help                      the help center (GET /help/<lang>/<slug> an article; POST /help/feedback "was this helpful?")`,
      `  local Graph API (WhatsApp, Messenger, Instagram sends): ${engine.meta.graph.baseUrl}`,
      `  sent mail as the local SES got it: ${engine.standIns.endpoints.ses}/ (web viewer), /store (JSON)`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(release);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await engine.stop();
    process.stderr.write('switchboard sandbox stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  usage(`unknown mode ${mode}`);
}
