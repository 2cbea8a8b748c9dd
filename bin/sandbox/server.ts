import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
      if (request.method === 'GET' && url.pathname === '/sandbox/outbox') {
        return json(response, 200, { items: engine.outbox });
      }
      if (request.method === 'GET' && url.pathname === '/sandbox/report') {
        return json(response, 200, await engine.report());
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
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function serverPort(server: Server): number {
  return (server.address() as AddressInfo).port;
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
