import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CHAT_DEMO_PAGE, chatWidget, serveScript } from './chat-pages.ts';
import type { SandboxEngine } from './engine.ts';

/** Largest fixture body the sandbox takes: SES's own limit for a received mail. */
const MAX_BODY_BYTES = 40 * 1024 * 1024;

/**
 * The sandbox's HTTP face on 127.0.0.1: health, event injection (one fixture file per
 * request, named by its suffix), the outbox and the whole report.
 */
export function startSandboxServer(engine: SandboxEngine, port: number): Promise<Server> {
  let sequence = 0;
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
      if (request.method && engine.agents.handles(request.method, url.pathname)) {
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
        // the sandbox shop secret by the caller (X-Signature-SHA256).
        const method = request.method;
        return await relayAnswer(
          engine,
          response,
          async () =>
            engine.shop.request({
              method,
              path: url.pathname,
              headers: singleValuedHeaders(request),
              body: await readBody(request),
            }),
          (status) => status === 200,
        );
      }
      const event = url.pathname.match(/^\/sandbox\/events\/([A-Za-z0-9._-]{1,60})$/);
      if (request.method === 'POST' && event?.[1]) {
        const body = await readBody(request);
        sequence += 1;
        const file = `event-${String(sequence).padStart(4, '0')}.${event[1].replace(/^\./, '')}`;
        const sentBefore = engine.outbox.length;
        const result = await engine.processEvent(file, body);
        return json(response, result.accepted ? 200 : 422, {
          ...result,
          outbox: engine.outbox.slice(sentBefore),
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
    server.listen(port, '127.0.0.1', () => resolve(server));
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
  const answer = await handle();
  if (tookSomethingIn(answer.statusCode)) await engine.drain();
  response.writeHead(answer.statusCode ?? 500, answer.headers as Record<string, string>);
  response.end(answer.body ?? '');
  if (engine.outbox.length > sentBefore) {
    process.stderr.write(`sent ${engine.outbox.length - sentBefore} message(s); see /sandbox/outbox\n`);
  }
}

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
