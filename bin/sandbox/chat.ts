import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { AGENT_SOCKET_ROUTES } from '../../functions/adapters/apigateway/agent-socket-context.ts';
import { ApiGatewayChatGateway, ChatSender } from '../../functions/adapters/apigateway/chat-gateway.ts';
import { DynamoAgentConversations } from '../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoChatConnections } from '../../functions/adapters/dynamodb/chat-connections.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { S3ChatUploads } from '../../functions/adapters/s3/chat-uploads.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { MAX_FRAME_BYTES, visitorIdSchema } from '../../functions/channels/chat/frames.ts';
import { signChatIdentityToken } from '../../functions/channels/chat/identity-token.ts';
import { chatConfirmDeps } from '../../functions/composition/chat-confirm.ts';
import { chatRouteDeps } from '../../functions/composition/chat-websocket.ts';
import { agentSocketDeps } from '../../functions/composition/shared/agent-sockets.ts';
import { chatContinuity } from '../../functions/composition/shared/sending.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { AgentSocketDeps, AgentTokenVerifier } from '../../functions/core/agent/live-updates.ts';
import type { AgentTypingDeps } from '../../functions/core/chat/typing.ts';
import type { DeferredSends } from '../../functions/core/ports/outbound.ts';
import {
  type ChatAuthorizerResult,
  makeChatAuthorizerHandler,
} from '../../functions/handlers/chat-authorizer.ts';
import { makeChatConfirmHandler } from '../../functions/handlers/chat-confirm.ts';
import { type ChatRouteResult, makeChatWebSocketHandler } from '../../functions/handlers/chat-websocket.ts';
import { apiGatewayV2Event, webSocketEvent } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { acceptPresignedPost } from './chat-uploads.ts';
import type { SandboxClock } from './sandbox-clock.ts';
import { SANDBOX_AWS_SECRET_ACCESS_KEY, type StandIns } from './stand-ins.ts';

/** The secret the sandbox signs chat identities with, as a shop's backend would with its own. */
export const SANDBOX_CHAT_IDENTITY_SECRET = 'sandbox-chat-identity-secret';

/** The sandbox clock only moves with events: each frame moves it this far. */
const FRAME_SPACING_MS = 1_000;

/** The routes of the WebSocket API (route selection `$request.body.action`): the chat's, and agents'. */
const ROUTES = new Set<string>([
  'send',
  'upload',
  'typing',
  'resync',
  'read',
  'link-email',
  'suggest',
  ...AGENT_SOCKET_ROUTES,
]);

/** A `.chat.json` file (DESIGN §5): what a visitor sends, with the identity the shop would sign. */
const chatFileSchema = z.object({
  visitorId: visitorIdSchema,
  clientMessageId: z.string(),
  text: z.string(),
  language: z.string().optional(),
  /** Claims the sandbox signs (with an hour to run from the replay clock), as the shop's backend would. */
  identity: z
    .object({
      email: z.string().optional(),
      phone: z.string().optional(),
      name: z.string().optional(),
      customerRef: z.string().optional(),
    })
    .optional(),
});
const identityFileSchema = z.object({ token: z.string() });

/**
 * The chat channel in the sandbox: the WebSocket endpoint on the sandbox's own port (`/chat/ws`,
 * the `ws` package) standing in for the API Gateway WebSocket API, and its management API
 * (`POST /@connections/{id}`, 410 for a socket that is gone) on a port of its own, which the real
 * PostToConnection client talks to. Every frame goes through the real authorizer and route
 * handlers, as API Gateway would invoke them.
 */
export class SandboxChat {
  private readonly sockets = new Map<string, { socket: WebSocket; authorizer: Record<string, string> }>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private authorizer!: ReturnType<typeof makeChatAuthorizerHandler>;
  private routes!: ReturnType<typeof makeChatWebSocketHandler>;
  private confirmation!: ReturnType<typeof makeChatConfirmHandler>;
  private typingDeps!: AgentTypingDeps;
  private agentDeps!: AgentSocketDeps;
  private drain: () => Promise<void> = async () => undefined;
  /** The dispatcher's chat sender, on the real PostToConnection client. */
  sender!: ChatSender;
  /** The PostToConnection client the routes and the sender share (the bench counts its calls). */
  managementClient!: ApiGatewayManagementApiClient;
  /** One event at a time, as the replay does: frames and the queue drains they cause never interleave. */
  private turn: Promise<unknown> = Promise.resolve();
  /** The sandbox server's own origin, where upload slots point. */
  private origin = 'http://127.0.0.1:3000';

  private constructor(
    private readonly managementServer: Server,
    readonly managementEndpoint: string,
    private readonly standIns: StandIns,
    private readonly clock: SandboxClock,
  ) {}

  /** Starts the management API stand-in; `bind` wires the handlers once the engine has its settings. */
  static async start(standIns: StandIns, clock: SandboxClock): Promise<SandboxChat> {
    let chat: SandboxChat | undefined;
    const server = createServer((request, response) => {
      const { status, body } = chat?.management(request) ?? { status: 503, body: {} };
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 410 ? { 'x-amzn-errortype': 'GoneException' } : {}),
      });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    chat = new SandboxChat(server, `http://127.0.0.1:${port}`, standIns, clock);
    return chat;
  }

  /** The handlers on the engine's settings; `drain` runs the queues after each frame, as Lambda's pollers would. */
  bind(
    settings: LocalSettings,
    drain: () => Promise<void>,
    deferredSends: DeferredSends,
    /** Checks `?agentToken=` on connect: the sandbox's own agent tokens. */
    agentTokens: AgentTokenVerifier,
  ): this {
    const client = new ApiGatewayManagementApiClient({
      endpoint: this.managementEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
    this.managementClient = client;
    const gateway = new ApiGatewayChatGateway(client);
    const secret = new StaticShopSecret(SANDBOX_CHAT_IDENTITY_SECRET);
    this.confirmation = makeChatConfirmHandler(() =>
      chatConfirmDeps(this.standIns.clients, { ...settings, identitySecret: secret }, this.clock),
    );
    this.authorizer = makeChatAuthorizerHandler({
      visitorSecret: () => secret,
      agentTokens: () => agentTokens,
      clock: this.clock,
    });
    this.agentDeps = agentSocketDeps(this.standIns.clients.dynamo, gateway, settings.tableName, this.clock);
    const routeDeps = chatRouteDeps(
      this.standIns.clients,
      gateway,
      { ...settings, identitySecret: secret },
      this.clock,
    );
    // Browsers POST the files to the sandbox's own port: the S3 stand-in takes no POST uploads.
    const deps = routeDeps.uploads
      ? {
          ...routeDeps,
          uploads: new S3ChatUploads(
            this.standIns.clients.s3,
            settings.mailBucket,
            settings.attachmentPrefix,
            () => `${this.origin}/chat/uploads`,
          ),
        }
      : routeDeps;
    this.routes = makeChatWebSocketHandler(
      () => deps,
      () => this.agentDeps,
    );
    const db = documentClient(this.standIns.clients.dynamo);
    this.sender = new ChatSender({
      clock: this.clock,
      connections: new DynamoChatConnections(db, settings.tableName),
      gateway,
      // Email copies of unseen answers wait in the scheduler twin: `.clock.json` files fire them.
      continuity: chatContinuity(this.standIns.clients, settings, deferredSends),
    });
    this.typingDeps = {
      clock: this.clock,
      history: new DynamoAgentConversations(db, settings.tableName),
      connections: new DynamoChatConnections(db, settings.tableName),
      gateway,
    };
    this.drain = drain;
    return this;
  }

  async stop(): Promise<void> {
    // Each closed socket runs $disconnect (a table write): let those finish before the store stops.
    const closed = [...this.sockets.values()].map(
      ({ socket }) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const { socket } of this.sockets.values()) socket.terminate();
    await Promise.all(closed);
    await this.turn;
    this.managementServer.closeAllConnections();
    await new Promise<void>((resolve) => this.managementServer.close(() => resolve()));
  }

  /** How many sockets are open, of one visitor or of all (tests, the soak). */
  openSockets(visitorId?: string): number {
    let count = 0;
    for (const { authorizer } of this.sockets.values()) {
      if (visitorId === undefined || authorizer.visitorId === visitorId) count += 1;
    }
    return count;
  }

  /** Where presigned POSTs land on the sandbox's own port (the widget's and the agents'). */
  uploadUrl(): string {
    return `${this.origin}/chat/uploads`;
  }

  /** `POST /chat/uploads`: a presigned POST, checked as S3 would, stored in the S3 stand-in. */
  async upload(body: Buffer, contentType: string): Promise<{ status: number; body: string }> {
    return acceptPresignedPost(body, contentType, {
      s3: this.standIns.clients.s3,
      bucket: this.standIns.mailBucket,
      secretAccessKey: SANDBOX_AWS_SECRET_ACCESS_KEY,
      now: new Date(),
    });
  }

  /** Takes `/chat/ws` upgrades of the sandbox's HTTP server. */
  attach(server: Server): void {
    server.on('listening', () => {
      this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    if (server.listening) this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/chat/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      void this.upgrade(request, socket, head, url);
    });
  }

  /** Agents' sockets and the PostToConnection client, for the live-updates consumer. */
  agentSockets(): AgentSocketDeps {
    return this.agentDeps;
  }

  /** What the agent API's typing route needs: the same sockets and PostToConnection client. */
  agentTyping(): AgentTypingDeps {
    return this.typingDeps;
  }

  /** `GET /chat/confirm?token=…` through the real handler, as the HTTP API would call it. */
  async confirm(query: Record<string, string>): Promise<APIGatewayProxyStructuredResultV2> {
    const event = apiGatewayV2Event({ method: 'GET', path: '/chat/confirm', headers: {}, query });
    return this.serially(() => this.confirmation(event, lambdaContext('switchboard-chat-confirm')));
  }

  /** Signs an identity as the shop's backend would (the demo page's "sign in as a demo customer"). */
  signIdentity(claims: { email?: string; phone?: string; name?: string; customerRef?: string }): string {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + 3_600;
    return signChatIdentityToken({ ...claims, exp }, SANDBOX_CHAT_IDENTITY_SECRET);
  }

  /**
   * One `.chat.json` file through the authorizer and the `send` route, on a connection of its own
   * (gone by the time anything is posted back, as a visitor who closed the tab). A sibling
   * `.identity.json` token replaces the one the sandbox signs.
   */
  async replayFile(content: Uint8Array, identityFile: Uint8Array | undefined): Promise<ChatRouteResult> {
    const file = parseJson(chatFileSchema, content, 'chat');
    const override = identityFile ? parseJson(identityFileSchema, identityFile, 'identity').token : undefined;
    const token = override ?? (file.identity ? this.signIdentity(file.identity) : undefined);
    const authorization = await this.authorize({ visitorId: file.visitorId, ...(token ? { token } : {}) });
    if (!authorization.context) throw new ChatRejection('the $connect authorizer refused the visitor');
    const connectionId = `replay-${createHash('sha256').update(content).digest('base64url').slice(0, 12)}`;
    const frame = {
      action: 'send',
      visitorId: file.visitorId,
      clientMessageId: file.clientMessageId,
      text: file.text,
      ...(file.language ? { language: file.language } : {}),
    };
    const result = await this.route('send', connectionId, authorization.context, JSON.stringify(frame));
    if (result.statusCode !== 200)
      throw new ChatRejection(`the send route answered ${result.statusCode}: ${result.body ?? ''}`);
    return result;
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    const authorization = await this.serially(() => this.authorize(Object.fromEntries(url.searchParams)));
    if (!authorization.context) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const context = authorization.context;
    // API Gateway's connection ids are opaque base64-like strings.
    const connectionId = randomBytes(12).toString('base64url');
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.sockets.set(connectionId, { socket: ws, authorizer: context });
      const connected = this.serially(() => this.route('$connect', connectionId, context, undefined));
      ws.on('message', (data, isBinary) => {
        void connected.then(() =>
          this.serially(async () => {
            const body = isBinary ? '' : data.toString();
            const action = actionOf(body);
            // Like each replayed file, each frame arrives a second after the one before.
            this.clock.tick(FRAME_SPACING_MS);
            await this.route(action && ROUTES.has(action) ? action : '$default', connectionId, context, body);
            await this.drain();
          }),
        );
      });
      ws.on('close', () => {
        this.sockets.delete(connectionId);
        void this.serially(() => this.route('$disconnect', connectionId, context, undefined));
      });
    });
  }

  private async authorize(query: Record<string, string>): Promise<ChatAuthorizerResult> {
    const methodArn = 'arn:aws:execute-api:eu-central-1:000000000000:sandbox/$default/$connect';
    const result = await this.authorizer(
      { type: 'REQUEST', methodArn, queryStringParameters: query },
      lambdaContext('switchboard-chat-authorizer'),
    );
    return result.policyDocument.Statement[0]?.Effect === 'Allow'
      ? result
      : { ...result, context: undefined };
  }

  private async route(
    routeKey: string,
    connectionId: string,
    authorizer: Record<string, string>,
    body: string | undefined,
  ): Promise<ChatRouteResult> {
    if (routeKey === '$default') {
      const reason =
        'unknown action: use send, upload, typing, resync, read, link-email or suggest (agents: agent.ping)';
      this.sockets.get(connectionId)?.socket.send(JSON.stringify({ type: 'error', reason }));
      return { statusCode: 400 };
    }
    const event = webSocketEvent({ routeKey, connectionId, authorizer, body, at: this.clock.now() });
    return this.routes(event, lambdaContext('switchboard-chat'));
  }

  /** The management API: POST (PostToConnection), GET (GetConnection), DELETE (DeleteConnection). */
  private management(request: IncomingMessage): { status: number; body: unknown } {
    const match = (request.url ?? '').match(/^\/@connections\/([^/?]+)/);
    const id = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    const entry = id ? this.sockets.get(id) : undefined;
    if (!id || !entry) return { status: 410, body: { message: 'GoneException' } };
    if (request.method === 'DELETE') {
      entry.socket.close();
      return { status: 204, body: {} };
    }
    if (request.method === 'POST') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => entry.socket.send(Buffer.concat(chunks).toString('utf8')));
    }
    return { status: 200, body: {} };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }
}

/** A `.chat.json` the sandbox cannot take; the engine reports the reason under `rejected`. */
export class ChatRejection extends Error {}

function actionOf(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' &&
      value !== null &&
      typeof (value as { action?: unknown }).action === 'string'
      ? (value as { action: string }).action
      : undefined;
  } catch {
    return undefined;
  }
}

function parseJson<T extends z.ZodType>(schema: T, content: Uint8Array, what: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    throw new ChatRejection(`the ${what} file is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ChatRejection(`the ${what} file is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
