import * as crypto from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { signHmacSha256Hex, verifyHmacSha256Hex } from '../../functions/channels/hmac-signature.ts';
import {
  signMetaBody,
  verifyMetaSignature,
  verifyTokenMatches,
} from '../../functions/channels/meta/signature.ts';
import { shopTimestamp, signShopRequest } from '../../functions/channels/shop-signature.ts';
import { makeMetaWebhookHandler } from '../../functions/handlers/meta-webhook.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

// The verifiers import node:crypto; wrapping timingSafeEqual lets the tests see every comparison.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
const realTimingSafeEqual = (await vi.importActual<typeof import('node:crypto')>('node:crypto'))
  .timingSafeEqual;

/**
 * Signatures: the one HMAC-SHA256 verifier (Meta's X-Hub-Signature-256 and the shop's
 * X-Signature-SHA256) accepts exactly what was signed with the secret, refuses any one-byte change
 * to body or signature, decides in constant time, and the handlers refuse every bad signature
 * with 401 before anything is queued or stored.
 */

beforeEach(() => {
  timingSafeEqual.mockClear();
  timingSafeEqual.mockImplementation(realTimingSafeEqual);
});

const body = fc.uint8Array({ minLength: 0, maxLength: 2_048 });
const secret = fc.string({ minLength: 1, maxLength: 64 });

/** `bytes` with the byte at `at` (mod length) replaced by a different value. */
function flipByte(bytes: Uint8Array, at: number, xor: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const index = at % copy.length;
  copy[index] = (copy[index] ?? 0) ^ (xor % 255 || 1);
  return copy;
}

/** `hex` with one hex digit replaced by a different hex digit. */
function flipHexDigit(hex: string, at: number, by: number): string {
  const index = at % hex.length;
  const digit = Number.parseInt(hex[index] ?? '0', 16);
  const other = ((digit + (by % 15) + 1) % 16).toString(16);
  return `${hex.slice(0, index)}${other}${hex.slice(index + 1)}`;
}

describe('the HMAC-SHA256 verifier (shop X-Signature-SHA256)', () => {
  it('accepts what was signed and refuses any one-byte change to the body (1,000 runs)', () => {
    fc.assert(
      fc.property(
        body.filter((b) => b.length > 0),
        secret,
        fc.nat(),
        fc.nat(),
        (raw, key, at, xor) => {
          const signature = signHmacSha256Hex(raw, key);
          expect(verifyHmacSha256Hex(raw, signature, key)).toEqual({ valid: true });
          expect(verifyHmacSha256Hex(flipByte(raw, at, xor), signature, key)).toEqual({
            valid: false,
            problem: 'mismatch',
          });
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('refuses any one-character change to the signature, and another secret (1,000 runs)', () => {
    fc.assert(
      fc.property(body, secret, secret, fc.nat(), fc.nat(), (raw, key, otherKey, at, by) => {
        const signature = signHmacSha256Hex(raw, key);
        expect(verifyHmacSha256Hex(raw, flipHexDigit(signature, at, by), key)).toEqual({
          valid: false,
          problem: 'mismatch',
        });
        if (otherKey !== key) expect(verifyHmacSha256Hex(raw, signature, otherKey).valid).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the Meta verifier (X-Hub-Signature-256)', () => {
  it('accepts what was signed and refuses any one-byte change to body or signature (1,000 runs)', () => {
    fc.assert(
      fc.property(
        body.filter((b) => b.length > 0),
        secret,
        fc.nat(),
        fc.nat(),
        (raw, key, at, by) => {
          const header = signMetaBody(raw, key);
          expect(verifyMetaSignature(raw, header, key)).toEqual({ valid: true });
          expect(verifyMetaSignature(flipByte(raw, at, by), header, key).valid).toBe(false);
          const digest = header.slice('sha256='.length);
          expect(verifyMetaSignature(raw, `sha256=${flipHexDigit(digest, at, by)}`, key).valid).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('constant-time comparison', () => {
  it('decides every well-formed signature with crypto.timingSafeEqual on two 32-byte digests', () => {
    fc.assert(
      fc.property(body, secret, fc.boolean(), (raw, key, right) => {
        // Prepare
        timingSafeEqual.mockClear();
        const signature = right ? signHmacSha256Hex(raw, key) : signHmacSha256Hex(raw, `${key}x`);

        // Act
        verifyHmacSha256Hex(raw, signature, key);

        // Assess
        expect(timingSafeEqual).toHaveBeenCalledTimes(1);
        const [given, expected] = timingSafeEqual.mock.calls[0] ?? [];
        expect((given as Buffer).length).toBe(32);
        expect((expected as Buffer).length).toBe(32);
      }),
      { numRuns: 200 },
    );
  });

  it('takes its answer from timingSafeEqual alone, not from a comparison of its own', () => {
    // Prepare: a comparison that (falsely) says equal and one that (falsely) says different
    const raw = Buffer.from('{"eventId":"evt-1"}');
    const right = signHmacSha256Hex(raw, 'k');
    const wrong = signHmacSha256Hex(raw, 'other');

    // Act
    timingSafeEqual.mockReturnValueOnce(true);
    const acceptedWrong = verifyHmacSha256Hex(raw, wrong, 'k');
    timingSafeEqual.mockReturnValueOnce(false);
    const refusedRight = verifyHmacSha256Hex(raw, right, 'k');

    // Assess
    expect(acceptedWrong).toEqual({ valid: true });
    expect(refusedRight).toEqual({ valid: false, problem: 'mismatch' });
  });

  it('refuses a wrong-length signature on its length alone: a prefix of the right digest fares no better than noise', () => {
    fc.assert(
      fc.property(body, secret, fc.integer({ min: 1, max: 63 }), fc.boolean(), (raw, key, length, longer) => {
        // Prepare
        timingSafeEqual.mockClear();
        const right = signHmacSha256Hex(raw, key);
        const prefix = longer ? `${right}${right.slice(0, length)}` : right.slice(0, length);
        const noise = 'f'.repeat(prefix.length);

        // Act
        const fromPrefix = verifyHmacSha256Hex(raw, prefix, key);
        const fromNoise = verifyHmacSha256Hex(raw, noise, key);

        // Assess
        expect(fromPrefix).toEqual({ valid: false, problem: 'malformed' });
        expect(fromNoise).toEqual(fromPrefix);
        // No content was compared at all.
        expect(timingSafeEqual).not.toHaveBeenCalled();
      }),
      { numRuns: 200 },
    );
  });
});

describe('the Meta verify-token compare', () => {
  it('runs one constant-time comparison of equal lengths whatever token is sent, its length included', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), (given) => {
        // Prepare
        timingSafeEqual.mockClear();

        // Act
        const matched = verifyTokenMatches(given, 'verify-me');

        // Assess
        expect(matched).toBe(given === 'verify-me');
        expect(timingSafeEqual).toHaveBeenCalledTimes(1);
        const [a, b] = timingSafeEqual.mock.calls[0] ?? [];
        expect((a as Buffer).length).toBe((b as Buffer).length);
      }),
      { numRuns: 300 },
    );
  });
});

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface SignedRoute {
  readonly name: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  readonly header: string;
  /** A real, valid body for the route (the signature is what is wrong). */
  readonly body?: string;
  /** What a correct signature header value would be for `signed` bytes. */
  readonly sign: (signed: string) => string;
  /** Headers sent with every request of the route (the shop's signing timestamp). */
  readonly headers?: Record<string, string>;
  /** The handler, with dependencies that record anything that got through. */
  readonly handler: (reached: string[]) => Handler;
}

const SHOP_SECRET = 'shop-secret';
const META_SECRET = 'app-secret';
const NOW = new Date('2026-11-23T10:00:05Z');
const clock = { now: () => NOW };
const TIMESTAMP = shopTimestamp(NOW);

/** The shop's signature of a request to `method path` with `body`, at NOW. */
function signShop(method: string, path: string, body: string): string {
  return signShopRequest({ timestamp: TIMESTAMP, method, pathWithQuery: path, body }, SHOP_SECRET);
}

/** Dependencies that note any use: a refused request must reach none of them. */
function tripwire(reached: string[], name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        reached.push(`${name}.${String(property)}`);
        throw new Error(`${name} was reached by a request with a bad signature`);
      },
    },
  ) as never;
}

const ROUTES: readonly SignedRoute[] = [
  {
    name: 'Meta webhook',
    method: 'POST',
    path: '/webhooks/meta',
    header: 'x-hub-signature-256',
    body: '{"object":"whatsapp_business_account","entry":[]}',
    sign: (signed) => signMetaBody(signed, META_SECRET),
    handler: (reached) =>
      makeMetaWebhookHandler(() => ({
        secrets: new StaticMetaSecrets({
          appSecret: META_SECRET,
          verifyToken: 'verify',
          accessToken: 'token',
        }),
        queue: {
          enqueue: async (raw: string) => {
            reached.push(`queue:${raw.length}`);
          },
        },
      })),
  },
  {
    name: 'order events',
    method: 'POST',
    path: '/orders/events',
    header: 'x-signature-sha256',
    body: '{"eventId":"evt-8812","type":"order.shipped","occurredAt":"2026-11-23T10:00:00Z","order":{"id":"100234"},"customer":{"email":"a@example.com"}}',
    sign: (signed) => signShop('POST', '/orders/events', signed),
    headers: { 'x-signature-timestamp': TIMESTAMP },
    handler: (reached) =>
      makeOrderEventsHandler(() => ({
        secret: new StaticShopSecret(SHOP_SECRET),
        clock,
        orders: tripwire(reached, 'orders'),
      })),
  },
  {
    name: 'reminder create',
    method: 'POST',
    path: '/reminders',
    header: 'x-signature-sha256',
    body: '{"action":"cancel","id":"rem-cart-77"}',
    sign: (signed) => signShop('POST', '/reminders', signed),
    headers: { 'x-signature-timestamp': TIMESTAMP },
    handler: (reached) =>
      makeRemindersHandler(() => ({
        secret: new StaticShopSecret(SHOP_SECRET),
        clock,
        reminders: tripwire(reached, 'reminders'),
      })),
  },
  {
    name: 'reminder cancel',
    method: 'DELETE',
    path: '/reminders/rem-cart-77',
    header: 'x-signature-sha256',
    // A DELETE has no body: what is signed is the timestamp, the method and the path.
    sign: () => signShop('DELETE', '/reminders/rem-cart-77', ''),
    headers: { 'x-signature-timestamp': TIMESTAMP },
    handler: (reached) =>
      makeRemindersHandler(() => ({
        secret: new StaticShopSecret(SHOP_SECRET),
        clock,
        reminders: tripwire(reached, 'reminders'),
      })),
  },
];

/** The kinds of bad signature, each as a function of the right header value. */
const BAD_SIGNATURES: Record<string, (right: string, random: string) => string | undefined> = {
  unsigned: () => undefined,
  empty: () => '',
  wrong: (_right, random) => random,
  'wrong length (short)': (right) => right.slice(0, -2),
  'wrong length (long)': (right) => `${right}00`,
  'non-hex': (right) => right.replace(/[0-9a-f]{8}$/, 'zzzzzzzz'),
  'other body': (right) => right.replace(/[0-9a-f]$/, (d) => (d === '0' ? '1' : '0')),
};

function requestOf(route: SignedRoute, header: string | undefined): APIGatewayProxyEventV2 {
  const id = route.path.split('/')[2];
  return apiGatewayV2Event({
    method: route.method,
    path: route.path,
    headers: { ...route.headers, ...(header === undefined ? {} : { [route.header]: header }) },
    ...(route.body !== undefined ? { body: route.body } : {}),
    ...(route.method === 'DELETE' && id ? { pathParameters: { id } } : {}),
  });
}

describe.each(ROUTES)('$name ($method $path) with a bad signature', (route) => {
  const signed = route.body ?? route.path;

  it.each(Object.keys(BAD_SIGNATURES))(
    'answers 401 to a %s signature and lets nothing through',
    async (kind) => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (randomBytes) => {
          // Prepare
          const reached: string[] = [];
          const right = route.sign(signed);
          const prefix = right.startsWith('sha256=') ? 'sha256=' : '';
          const random = `${prefix}${Buffer.from(randomBytes).toString('hex')}`;
          const header = BAD_SIGNATURES[kind]?.(right, random);
          fc.pre(header !== right);

          // Act
          const response = await route.handler(reached)(requestOf(route, header), lambdaContext(route.name));

          // Assess
          expect(response.statusCode).toBe(401);
          expect(JSON.parse(String(response.body)).reason).toMatch(/X-(Hub-)?Signature/);
          expect(reached).toEqual([]);
        }),
        { numRuns: 25 },
      );
    },
  );

  it('lets the same request through with the right signature (the refusals above are about the signature)', async () => {
    // Prepare
    const reached: string[] = [];

    // Act
    await route.handler(reached)(requestOf(route, route.sign(signed)), lambdaContext(route.name));

    // Assess
    expect(reached.length).toBeGreaterThan(0);
  });
});
