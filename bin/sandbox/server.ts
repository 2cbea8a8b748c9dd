import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { AGENT_SCOPES } from '../../functions/adapters/http/agent-routes.ts';
import { firstIssue } from '../../functions/core/validation.ts';
import { SANDBOX_AGENT_ID } from './agents.ts';
import { CHAT_DEMO_PAGE, chatWidget, serveScript } from './chat-pages.ts';
import type { SandboxEngine } from './engine.ts';
import { inboxApp, serveInbox } from './inbox-pages.ts';

/** What CloudFront's response-headers policy adds to the help center's pages. */
const HELP_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
} as const;

/** Largest fixture body the sandbox takes: SES's own limit for a received mail. */
const MAX_BODY_BYTES = 40 * 1024 * 1024;

/**
 * The sandbox's HTTP face on 127.0.0.1: health, event injection (one fixture file per
 * request, named by its suffix), the outbox and the whole report.
 */
export function startSandboxServer(engine: SandboxEngine, port: number): Promise<Server> {
  let sequence = 0;
  // Built now, so the first page load does not wait for it.
  inboxApp().catch((error: unknown) => {
    process.stderr.write(
      `the inbox app failed to build: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  });
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET' && url.pathname === '/health') {
        return json(response, 200, { status: 'ok', standIns: engine.standIns.endpoints });
      }
      if (request.method === 'GET' && url.pathname === '/chat/demo') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return response.end(CHAT_DEMO_PAGE);
      }
      if (request.method === 'GET' && url.pathname === '/chat/widget.js') {
        return serveScript(response, (await chatWidget()).loader);
      }
      if (request.method === 'GET' && url.pathname === '/chat/panel.js') {
        return serveScript(response, (await chatWidget()).panel);
      }
      if (request.method === 'GET' && url.pathname === '/chat/confirm') {
        // The link of the mail that confirms an address a chat visitor left.
        const answer = await engine.chat.confirm(Object.fromEntries(url.searchParams));
        response.writeHead(answer.statusCode ?? 500, answer.headers as Record<string, string>);
        return response.end(answer.body ?? '');
      }
      if (request.method === 'POST' && url.pathname === '/chat/uploads') {
        // Where the widget's presigned POSTs land: the S3 stand-in takes no browser uploads.
        const answer = await engine.chat.upload(
          await readBody(request),
          request.headers['content-type'] ?? '',
        );
        response.writeHead(answer.status, {
          'content-type': 'application/xml',
          'access-control-allow-origin': request.headers.origin ?? '*',
        });
        return response.end(answer.body);
      }
      if (request.method === 'POST' && url.pathname === '/chat/demo/identity') {
        // What a shop's backend does for its logged-in customer: sign who they are.
        const claims = JSON.parse((await readBody(request)).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        const text = (name: string) =>
          typeof claims[name] === 'string' ? { [name]: claims[name] as string } : {};
        const token = engine.chat.signIdentity({ ...text('email'), ...text('phone'), ...text('name') });
        return json(response, 200, { token });
      }
      if (request.method === 'GET' && url.pathname === '/sandbox/outbox') {
        return json(response, 200, { items: engine.outbox });
      }
      if (request.method === 'GET' && url.pathname === '/sandbox/report') {
        return json(response, 200, await engine.report());
      }
      if (request.method === 'POST' && url.pathname === '/sandbox/meta/graph-faults') {
        // {"status":429,"body":{"error":{…}},"count":2}: the local Graph API fails the next sends.
        const fault = JSON.parse((await readBody(request)).toString('utf8') || '{}') as {
          status?: number;
          body?: unknown;
          count?: number;
        };
        if (typeof fault.status !== 'number' || fault.status < 400 || fault.status > 599) {
          return json(response, 400, { error: 'bad-request', reason: 'status must be an HTTP error status' });
        }
        engine.meta.graph.failNext({ status: fault.status, body: fault.body ?? {} }, fault.count ?? 1);
        return json(response, 200, { status: 'armed', count: fault.count ?? 1 });
      }
      if ((request.method === 'GET' || request.method === 'POST') && url.pathname === '/webhooks/meta') {
        // The same route API Gateway serves, through the real webhook handler.
        const method = request.method;
        return await relayAnswer(
          engine,
          response,
          async () =>
            engine.meta.request({
              method,
              query: Object.fromEntries(url.searchParams),
              headers: singleValuedHeaders(request),
              body: method === 'POST' ? await readBody(request) : new Uint8Array(),
            }),
          (status) => method === 'POST' && status === 200,
        );
      }
      if (request.method === 'GET' && url.pathname === '/sandbox/clock') {
        return json(response, 200, { now: engine.clock.now().toISOString() });
      }
      if (request.method === 'POST' && url.pathname === '/sandbox/clock') {
        // {"now":"<ISO time>"}: moves the clock forward; held sends due by then leave at their time.
        const clockBody = safeJsonBody(await readBody(request));
        const parsed = clockMoveSchema.safeParse(clockBody);
        if (!parsed.success)
          return json(response, 400, { error: 'invalid-input', ...firstIssue(parsed.error, clockBody) });
        const target = new Date(parsed.data.now);
        const current = engine.clock.now();
        if (target.getTime() < current.getTime()) {
          return json(response, 409, {
            error: 'clock-moves-forward-only',
            reason: `the sandbox clock only moves forward: it is already at ${current.toISOString()}`,
          });
        }
        const sentBefore = engine.outbox.length;
        const moved = await engine.moveClockTo(target);
        return json(response, 200, { ...moved, outbox: engine.outbox.slice(sentBefore) });
      }
      if (request.method === 'POST' && url.pathname === '/sandbox/agent-tokens') {
        // {"sub":"agent-9","scopes":["switchboard/agent.read"],"lifetimeSeconds":3600}: a token as
        // the identity provider would issue it, to try other agents, scopes and expiry.
        const body = safeJsonBody(await readBody(request));
        const parsed = agentTokenSchema.safeParse(body);
        if (!parsed.success)
          return json(response, 400, { error: 'invalid-input', ...firstIssue(parsed.error, body) });
        return json(response, 200, engine.agents.issueToken(parsed.data));
      }
      if (request.method && engine.agents.route(request.method, url.pathname).kind !== 'none') {
        // The agent API through the real handler, behind the sandbox's bearer token.
        const method = request.method;
        return await relayAnswer(
          engine,
          response,
          async () =>
            engine.agents.request({
              method,
              path: url.pathname,
              query: Object.fromEntries(url.searchParams),
              headers: singleValuedHeaders(request),
              body: method === 'POST' ? await readBody(request) : new Uint8Array(),
            }),
          // A reply or a close queued a send.
          (status) => method === 'POST' && (status ?? 500) < 300,
        );
      }
      if (request.method && engine.shop.handles(request.method, url.pathname)) {
        // The shop's routes (order events, reminders), through the real handlers, signed with
        // the sandbox shop secret by the caller (X-Signature-Timestamp, X-Signature-SHA256).
        const method = request.method;
        return await relayAnswer(
          engine,
          response,
          async () =>
            engine.shop.request({
              method,
              path: url.pathname,
              rawQuery: url.search.slice(1),
              headers: singleValuedHeaders(request),
              body: await readBody(request),
            }),
          (status) => status === 200,
        );
      }
      if (request.method === 'POST' && url.pathname === '/help/feedback') {
        // The help center's "was this helpful?", through the real handler.
        return await relayAnswer(
          engine,
          response,
          async () =>
            engine.help.postFeedback({
              headers: singleValuedHeaders(request),
              body: await readBody(request),
            }),
          () => false,
        );
      }
      if ((request.method === 'GET' || request.method === 'HEAD') && /^\/help(\/|$)/.test(url.pathname)) {
        const found = engine.help.page(url.pathname);
        if (found.redirect) {
          response.writeHead(301, { location: found.redirect });
          return response.end();
        }
        if (found.file) {
          response.writeHead(200, { 'content-type': found.file.contentType, ...HELP_SECURITY_HEADERS });
          return response.end(request.method === 'HEAD' ? undefined : found.file.body);
        }
      }
      const event = url.pathname.match(/^\/sandbox\/events\/([A-Za-z0-9._-]{1,60})$/);
      if (request.method === 'POST' && event?.[1]) {
        const body = await readBody(request);
        sequence += 1;
        const file = `event-${String(sequence).padStart(4, '0')}.${event[1].replace(/^\./, '')}`;
        const sentBefore = engine.outbox.length;
        const heldBefore = engine.heldIds();
        const result = await engine.processEvent(file, body);
        const held = engine.heldSince(heldBefore);
        return json(response, result.accepted ? 200 : 422, {
          ...result,
          outbox: engine.outbox.slice(sentBefore),
          ...(held.length > 0 ? { held } : {}),
        });
      }
      if (
        await serveInbox(request, response, url.pathname, {
          port: serverPort(server),
          token: engine.agents.token,
          defaultLanguage: engine.config.defaultLanguage,
        })
      ) {
        // The agent inbox (`/`), its config.json and assets.
        return;
      }
      const allowed = KNOWN_PATHS.find((known) => known.pattern.test(url.pathname))?.methods;
      if (allowed) {
        response.setHeader('allow', allowed.join(', '));
        return json(response, 405, {
          error: 'method-not-allowed',
          reason: `${url.pathname} takes ${allowed.join(', ')}, not ${request.method}`,
        });
      }
      return json(response, 404, {
        error: 'not-found',
        reason: `no route for ${request.method} ${url.pathname}`,
      });
    } catch (error) {
      const reason =
        error instanceof BodyTooLarge ? error.message : 'the sandbox failed to handle the request';
      return json(response, error instanceof BodyTooLarge ? 413 : 500, { error: 'failed', reason });
    }
  });
  // The chat's WebSocket endpoint shares the port: `/chat/ws` upgrades go to the chat's handlers.
  engine.chat.attach(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      // Built once the port is known, so links, hreflang and the sitemap name this server.
      engine.help.publish(`http://127.0.0.1:${serverPort(server)}/help`, engine.config.defaultLanguage);
      resolve(server);
    });
  });
}

export function serverPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/**
 * Answers with what a real handler answered. When the answer took something in, the queues are
 * drained first, so the outbox shows the sends it caused by the time the answer arrives.
 */
async function relayAnswer(
  engine: SandboxEngine,
  response: ServerResponse,
  handle: () => Promise<APIGatewayProxyStructuredResultV2>,
  tookSomethingIn: (statusCode: number | undefined) => boolean,
): Promise<void> {
  const sentBefore = engine.outbox.length;
  const heldBefore = engine.heldIds();
  const answer = await handle();
  if (tookSomethingIn(answer.statusCode)) await engine.drain();
  // A send the answer queued that waits (quiet hours, business hours) says when it leaves.
  const held = engine.heldSince(heldBefore);
  const body = held.length > 0 ? withHeld(answer.body, held) : answer.body;
  response.writeHead(answer.statusCode ?? 500, answer.headers as Record<string, string>);
  response.end(body ?? '');
  if (engine.outbox.length > sentBefore) {
    process.stderr.write(`sent ${engine.outbox.length - sentBefore} message(s); see /sandbox/outbox\n`);
  }
}

function withHeld(body: string | undefined, held: unknown[]): string | undefined {
  try {
    const value: unknown = JSON.parse(body ?? '');
    if (value && typeof value === 'object' && !Array.isArray(value))
      return JSON.stringify({ ...value, held });
  } catch {
    // Not JSON: left as the handler wrote it.
  }
  return body;
}

function safeJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

const clockMoveSchema = z.object({ now: z.iso.datetime({ offset: true }) });
const agentTokenSchema = z.object({
  sub: z.string().min(1).max(200).default(SANDBOX_AGENT_ID),
  scopes: z.array(z.enum(AGENT_SCOPES)).default([...AGENT_SCOPES]),
  lifetimeSeconds: z.number().int().min(-86_400).max(86_400).default(3_600),
});

/** Paths the sandbox serves, with their methods: any other method on them is 405 with `Allow`. */
const KNOWN_PATHS: ReadonlyArray<{ pattern: RegExp; methods: readonly string[] }> = [
  { pattern: /^\/health$/, methods: ['GET'] },
  { pattern: /^\/sandbox\/(outbox|report)$/, methods: ['GET'] },
  { pattern: /^\/sandbox\/clock$/, methods: ['GET', 'POST'] },
  { pattern: /^\/sandbox\/(agent-tokens|meta\/graph-faults)$/, methods: ['POST'] },
  { pattern: /^\/sandbox\/events\/[^/]+$/, methods: ['POST'] },
  { pattern: /^\/webhooks\/meta$/, methods: ['GET', 'POST'] },
  { pattern: /^\/(orders\/events|reminders)$/, methods: ['POST'] },
  { pattern: /^\/reminders\/[^/]+$/, methods: ['DELETE'] },
];

/** The request's single-valued headers, as API Gateway hands them to a handler. */
function singleValuedHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}
