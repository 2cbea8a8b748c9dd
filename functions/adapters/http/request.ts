import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidInputError, PayloadTooLargeError } from '../../core/errors.ts';
import { firstIssue } from '../../core/validation.ts';

/**
 * What every HTTP handler reads of its request: the raw body as the caller sent (and signed) it,
 * within the limit of the route, headers by name, and JSON validated by a zod schema. Wrong input
 * is thrown as the core's typed errors; the error mapping (error-mapping.ts) answers them.
 */

export interface BodyLimit {
  readonly maxBytes: number;
  /** Who takes the body, as the reason names it: "the agent API". */
  readonly takenBy: string;
  /**
   * `payload-too-large`: a body over the limit is answered 413 naming it (our own clients, which
   * can send less). `not-a-delivery`: an empty or oversized body is no delivery of the sender's
   * (the shop, Meta, a help page) and is answered 400, before its signature is even computed.
   */
  readonly oversized: 'payload-too-large' | 'not-a-delivery';
}

/** Every HTTP body limit, in one place. */
export const BODY_LIMITS = {
  /** Agent requests are small JSON documents; a reply is at most 10,000 characters. */
  agentApi: { maxBytes: 64 * 1024, takenBy: 'the agent API', oversized: 'payload-too-large' },
  /** Order events and reminders are small; anything bigger is not one. */
  shopApi: { maxBytes: 64 * 1024, takenBy: 'the shop API', oversized: 'not-a-delivery' },
  /** Meta's documented cap is far below this; anything bigger is not a webhook delivery. */
  metaWebhook: { maxBytes: 1024 * 1024, takenBy: 'the Meta webhook', oversized: 'not-a-delivery' },
  /** A feedback form is a few hundred bytes; a comment is at most 500 characters. */
  helpFeedback: { maxBytes: 4 * 1024, takenBy: 'the feedback route', oversized: 'not-a-delivery' },
} as const satisfies Record<string, BodyLimit>;

/** `64 KB`, `1 MB`: a limit as people read it. */
export function readableBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * The body's bytes, exactly as sent: API Gateway hands non-UTF-8 bodies over base64-encoded, and
 * a signature is checked on these bytes, never on a re-serialized parse. Throws
 * {@link PayloadTooLargeError} over the limit, or {@link InvalidInputError} for a body that is no
 * delivery (empty or oversized, for `not-a-delivery` limits).
 */
export function readRequestBody(event: APIGatewayProxyEventV2, limit: BodyLimit): Buffer {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const over = raw.length > limit.maxBytes;
  if (limit.oversized === 'not-a-delivery') {
    if (raw.length === 0 || over) {
      throw new InvalidInputError('the body is empty or too large', { field: 'body' });
    }
    return raw;
  }
  if (over) {
    throw new PayloadTooLargeError(
      `the body is ${raw.length} bytes; ${limit.takenBy} takes at most ${limit.maxBytes} bytes (${readableBytes(limit.maxBytes)})`,
      { field: 'body', limitBytes: limit.maxBytes },
    );
  }
  return raw;
}

/** API Gateway v2 lowercases header names; other callers may not. */
export function headerValue(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The path the client asked for with its raw query string (part of what the shop signs). */
export function pathWithQuery(event: APIGatewayProxyEventV2): string {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}

/** The raw body as JSON; `empty` is what an empty body stands for (undefined: refused). */
export function jsonOf(raw: Uint8Array, empty?: unknown): unknown {
  if (raw.length === 0 && empty !== undefined) return empty;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (error) {
    throw new InvalidInputError('the body is not JSON', { field: 'body', cause: error });
  }
}

/** Validates `value`; InvalidInputError names the first wrong field (`prefix` for a bare value). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, reason } = firstIssue(parsed.error, value, prefix);
  throw new InvalidInputError(reason, { field });
}

/** Parses JSON and validates it; InvalidInputError names the first wrong field. */
export function parseJsonBody<T extends z.ZodType>(schema: T, raw: Uint8Array): z.infer<T> {
  return parseWith(schema, jsonOf(raw));
}
