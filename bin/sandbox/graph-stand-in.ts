import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the local Graph API took, as it arrived. */
export interface GraphCall {
  readonly path: string;
  readonly authorization?: string;
  readonly body: unknown;
  readonly status: number;
  /** The id it answered with (wamid or mid), when it accepted the message. */
  readonly id?: string;
}

export interface GraphFault {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A tiny stand-in for graph.facebook.com's send endpoints on 127.0.0.1: `POST /<version>/<phone
 * number id>/messages` (WhatsApp) and `POST /<version>/me/messages` (Messenger, Instagram). It
 * answers like Meta does (a wamid or a mid, derived from the request so replays are stable),
 * keeps every call, and can be told to fail the next calls with a status and error body, so the
 * real Graph sender's retry and refusal paths run over real HTTP.
 */
export class GraphStandIn {
  readonly calls: GraphCall[] = [];
  private readonly faults: GraphFault[] = [];
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly expectedToken: string,
  ) {}

  static async start(expectedToken: string): Promise<GraphStandIn> {
    let standIn: GraphStandIn | undefined;
    const server = createServer((request, response) => {
      void standIn?.handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    standIn = new GraphStandIn(server, `http://127.0.0.1:${port}`, expectedToken);
    return standIn;
  }

  /** The next `count` calls fail with this answer (e.g. 429, or 400 with a Graph error body). */
  failNext(fault: GraphFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', this.baseUrl).pathname;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const answer = this.answer(request, path, body);
    this.calls.push({
      path,
      authorization: request.headers.authorization,
      body,
      status: answer.status,
      id: answer.id,
    });
    return { status: answer.status, body: answer.body };
  }

  private answer(
    request: IncomingMessage,
    path: string,
    body: unknown,
  ): { status: number; body: unknown; id?: string } {
    if (request.method !== 'POST') return graphError(405, 100, 'Unsupported request method');
    if (request.headers.authorization !== `Bearer ${this.expectedToken}`) {
      return graphError(401, 190, 'Invalid OAuth access token.', 'OAuthException');
    }
    const fault = this.faults.shift();
    if (fault) return { status: fault.status, body: fault.body };
    const match = /^\/v[\d.]+\/([^/]+)\/messages$/.exec(path);
    if (!match) return graphError(400, 100, 'Unknown path components');
    // Numbered in order of acceptance, so a replay folder can name the id in a later status file.
    this.accepted += 1;
    const serial = `SANDBOX${String(this.accepted).padStart(4, '0')}`;
    if (match[1] === 'me') {
      const recipient = (body as { recipient?: { id?: string } }).recipient?.id ?? '';
      const id = `m_${serial}`;
      return { status: 200, body: { recipient_id: recipient, message_id: id }, id };
    }
    const to = String((body as { to?: unknown }).to ?? '');
    const id = `wamid.${serial}`;
    return {
      status: 200,
      body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] },
      id,
    };
  }
}

function graphError(status: number, code: number, message: string, type = 'GraphMethodException') {
  return { status, body: { error: { message, type, code, fbtrace_id: 'sandbox' } } };
}
