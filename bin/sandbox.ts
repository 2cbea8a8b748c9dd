/**
 * The local sandbox: `serve` (what `npm start` runs) and `replay <dir> [--now <ISO time>]`.
 * See README "Sandbox". Replay prints exactly one JSON report on stdout; everything else,
 * logs included, goes to stderr.
 */
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
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run sandbox -- replay <dir> [--now <ISO time>]\n       npm start\n`,
  );
  process.exit(2);
}

if (mode === 'replay') {
  const dir = args[0];
  if (!dir || dir.startsWith('--')) usage('replay needs a folder of fixture files');
  const nowAt = args.indexOf('--now');
  let now: Date | undefined;
  if (nowAt >= 0) {
    const value = args[nowAt + 1];
    now = value ? new Date(value) : undefined;
    if (!now || Number.isNaN(now.getTime()))
      usage(`--now wants an ISO time such as 2026-11-23T10:00:00Z, got ${value}`);
  }
  const { replay } = await import('./sandbox/replay.ts');
  try {
    const report = await replay(dir, { now });
    writeStdout(`${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
} else if (mode === 'serve') {
  const { SandboxEngine } = await import('./sandbox/engine.ts');
  const { startSandboxServer, serverPort } = await import('./sandbox/server.ts');
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    usage(`PORT must be a port number, got ${process.env.PORT}`);
  const engine = await SandboxEngine.start();
  const server = await startSandboxServer(engine, port);
  const base = `http://127.0.0.1:${serverPort(server)}`;
  process.stderr.write(
    [
      `switchboard sandbox is up on ${base}`,
      `  GET  ${base}/health`,
      `  POST ${base}/sandbox/events/<suffix>   one fixture file as the body: eml, sms.json, meta.json, order.json, reminder.json, connect-flow.json, connect-event.json, clock.json`,
      `  GET  ${base}/chat/demo                 a demo shop page with the chat widget (/chat/widget.js; WebSocket ${base.replace('http', 'ws')}/chat/ws)`,
      `  GET  ${base}/sandbox/outbox            what was sent`,
      `  GET  ${base}/sandbox/report            customers, conversations, outbox (the replay report)`,
      `  GET|POST ${base}/webhooks/meta         Meta's webhook route (sign POSTs with the sandbox app secret "sandbox-meta-app-secret")`,
      `  POST ${base}/orders/events, POST ${base}/reminders, DELETE ${base}/reminders/{id}   the shop API (X-Signature-SHA256: hex HMAC-SHA256 with "sandbox-shop-secret")`,
      `  GET  ${base}/conversations?status=&channel=&assignee=&nextToken=, GET ${base}/conversations/{id}, GET ${base}/customers/{id}/timeline`,
      `  POST ${base}/conversations/{id}/replies|assign|status|close, GET ${base}/reports/channels?from=&to=   the agent API (Authorization: Bearer ${engine.agents.token === 'dev-agent-token' ? 'dev-agent-token' : '<SANDBOX_AGENT_TOKEN>'})`,
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
