import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { DynamoReminderStore } from '../../functions/adapters/dynamodb/reminder-store.ts';
import { systemClock } from '../../functions/adapters/ids.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { shopTimestamp, signShopRequest } from '../../functions/channels/shop-signature.ts';
import { orderEventsDeps } from '../../functions/composition/order-events.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { Channel } from '../../functions/core/model.ts';
import type { DeferredSends } from '../../functions/core/ports/outbound.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { requestHeaders } from './headers-file.ts';
import type { StandIns } from './stand-ins.ts';

/** The sandbox shop's signing secret: `.order.json` and `.reminder.json` files are signed with it. */
export const SANDBOX_SHOP_SECRET = 'sandbox-shop-secret';

export interface ShopHttpRequest {
  readonly method: string;
  readonly path: string;
  /** The query string as the client sent it, without `?` (it is signed with the path). */
  readonly rawQuery?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The shop-facing routes on the sandbox (`POST /orders/events`, and the reminder routes), through
 * the real handlers fed API Gateway v2 events, with the sandbox shop secret.
 */
export class SandboxShop {
  private readonly routes: Array<{
    method: string;
    pattern: RegExp;
    handler: HttpHandler;
    /** The same route checking signature timestamps against the wall clock. */
    wallClockHandler?: HttpHandler;
  }> = [];

  constructor(
    standIns: StandIns,
    settings: LocalSettings,
    private readonly clock: Clock,
    channels: ReadonlySet<Channel>,
    deferredSends: DeferredSends,
  ) {
    const secret = new StaticShopSecret(SANDBOX_SHOP_SECRET);
    const built = orderEventsDeps(
      standIns.clients,
      { ...settings, shopSecret: secret, legacyBodySignature: false },
      clock,
    );
    // The same stores as the order events; the scheduler is the sandbox's twin, fired by the clock.
    const reminderDeps = {
      ...built.orders,
      reminders: new DynamoReminderStore(documentClient(standIns.clients.dynamo), settings.tableName),
      deferredSends,
    };
    // Only the signature's timestamp is checked against `signatureClock`; the work runs on the
    // sandbox clock either way.
    const handlers = (signatureClock: Clock) => {
      const orders = makeOrderEventsHandler(() => ({
        ...built,
        clock: signatureClock,
        orders: { ...built.orders, channels },
      }));
      const reminders = makeRemindersHandler(() => ({
        secret,
        clock: signatureClock,
        reminders: reminderDeps,
      }));
      const context = () => lambdaContext('switchboard-reminders');
      return {
        orders: (event: APIGatewayProxyEventV2) => orders(event, lambdaContext('switchboard-order-events')),
        reminders: (event: APIGatewayProxyEventV2) => reminders(event, context()),
      };
    };
    const sandboxClock = handlers(clock);
    const wallClock = handlers(systemClock);
    this.addRoute('POST', /^\/orders\/events$/, sandboxClock.orders, wallClock.orders);
    this.addRoute('POST', /^\/reminders$/, sandboxClock.reminders, wallClock.reminders);
    this.addRoute('DELETE', /^\/reminders\/(?<id>[^/]+)$/, sandboxClock.reminders, wallClock.reminders);
  }

  addRoute(method: string, pattern: RegExp, handler: HttpHandler, wallClockHandler?: HttpHandler): void {
    this.routes.push({ method, pattern, handler, ...(wallClockHandler ? { wallClockHandler } : {}) });
  }

  /** Whether a route of the shop API answers `method path`. */
  handles(method: string, path: string): boolean {
    return this.routes.some((r) => r.method === method && r.pattern.test(path));
  }

  /**
   * A request as a client sent it. Its signature may be made at the sandbox clock (which `--now`
   * and `.clock.json` move) or at the client's real time: a timestamp refused against the one is
   * checked against the other (a refusal happens before anything is read or stored).
   */
  async request(request: ShopHttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
    return this.route(request, true);
  }

  private async route(
    request: ShopHttpRequest,
    wallClockToo: boolean,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const route = this.routes.find((r) => r.method === request.method && r.pattern.test(request.path));
    if (!route) return { statusCode: 404, body: JSON.stringify({ error: 'not-found' }) };
    const match = request.path.match(route.pattern);
    const event = () => apiGatewayV2Event({ ...request, pathParameters: match?.groups ?? {} });
    const answer = await route.handler(event());
    if (!wallClockToo || !route.wallClockHandler || !isStaleTimestamp(answer)) return answer;
    const againstWallClock = await route.wallClockHandler(event());
    // Stale against both: the sandbox clock's reason is the one to show.
    return isStaleTimestamp(againstWallClock) ? answer : againstWallClock;
  }

  /**
   * A replay file POSTed to `path`, signed with the sandbox shop secret at the sandbox clock,
   * unless a `<name>.headers.json` sidecar gives the headers (a wrong, stale or missing signature).
   */
  async replayFile(
    path: string,
    content: Uint8Array,
    headersFile: Uint8Array | undefined,
    method = 'POST',
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const timestamp = shopTimestamp(this.clock.now());
    const headers = requestHeaders(
      {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature-sha256': signShopRequest(
          { timestamp, method, pathWithQuery: path, body: content },
          SANDBOX_SHOP_SECRET,
        ),
      },
      headersFile,
    );
    return this.route({ method, path, headers, body: content }, false);
  }
}

function isStaleTimestamp(answer: APIGatewayProxyStructuredResultV2): boolean {
  return answer.statusCode === 401 && String(answer.body).includes('X-Signature-Timestamp is ');
}
