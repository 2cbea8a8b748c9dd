import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  RetryableError,
  ThrottledError,
  UnauthorizedError,
} from '../../core/errors.ts';
import { describeError, logger } from '../observability.ts';
import { type ErrorBody, jsonResponse } from './responses.ts';

/**
 * The one place where the core's typed errors become HTTP answers, for every HTTP handler: a
 * handler throws, this middleware answers. The caller's mistakes are answered with their reason
 * and logged as warnings by status and field only (a reason may quote the input; nothing there
 * needs an operator); anything else is ours: 500 with a
 * reason that says what to do and nothing of the error, logged as an error by its class, code and
 * reason (describeError masks what a foreign error may quote of a customer).
 */

/** An error as the caller gets it: status, body, and headers beyond the content type. */
export interface ErrorAnswer {
  readonly statusCode: number;
  readonly body: ErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The answer to `error`, or undefined when it is none of the caller's doing (a 500). */
export function refusalOf(error: unknown): ErrorAnswer | undefined {
  // Subclasses first: a PayloadTooLargeError is an InvalidInputError, a ThrottledError a RetryableError.
  if (error instanceof PayloadTooLargeError) {
    return {
      statusCode: 413,
      body: { error: 'too-large', field: error.field ?? 'body', reason: error.reason },
    };
  }
  if (error instanceof InvalidInputError) {
    return {
      statusCode: 400,
      body: { error: 'invalid-input', field: error.field ?? 'body', reason: error.reason },
    };
  }
  if (error instanceof UnauthorizedError) {
    return { statusCode: 401, body: { error: 'unauthorized', reason: error.reason } };
  }
  if (error instanceof ForbiddenError) {
    return { statusCode: 403, body: { error: 'forbidden', reason: error.reason } };
  }
  if (error instanceof NotFoundError) {
    return { statusCode: 404, body: { error: 'not-found', reason: error.reason } };
  }
  if (error instanceof ConflictError) {
    return { statusCode: 409, body: { error: 'conflict', field: error.field, reason: error.reason } };
  }
  if (error instanceof ThrottledError) {
    return {
      statusCode: 429,
      body: { error: 'throttled', reason: error.reason },
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  }
  // A concurrent delivery of the same event is in flight: the caller sends it again later.
  if (error instanceof RetryableError) {
    return { statusCode: 409, body: { error: 'in-progress', reason: error.reason } };
  }
  return undefined;
}

export interface HttpErrorMappingOptions {
  /** The warning a refused request logs: `agent request refused`. */
  readonly refusedLog: string;
  /** The error a failed request logs: `agent request failed`. */
  readonly failedLog: string;
  /** The 500 answer's reason: what the caller should do (`try again later`), nothing of the error. */
  readonly failureReason: string;
  /** Ids to add to both lines, read off the event (never a body, an address or a name). */
  readonly logFields?: (event: APIGatewayProxyEventV2) => Record<string, unknown>;
  /** Writes the answer; JSON unless the route answers people with pages. */
  readonly render?: (answer: ErrorAnswer) => APIGatewayProxyStructuredResultV2;
}

const renderJson = (answer: ErrorAnswer): APIGatewayProxyStructuredResultV2 => {
  const response = jsonResponse(answer.statusCode, answer.body);
  return answer.headers ? { ...response, headers: { ...response.headers, ...answer.headers } } : response;
};

/** The answer and the log line for a thrown `error`, as the middleware gives them. */
export function answerError(
  error: unknown,
  options: HttpErrorMappingOptions,
  fields: Record<string, unknown> = {},
): APIGatewayProxyStructuredResultV2 {
  const render = options.render ?? renderJson;
  const refusal = refusalOf(error);
  if (refusal) {
    const field = 'field' in refusal.body ? refusal.body.field : undefined;
    logger.warn(options.refusedLog, {
      ...fields,
      status: refusal.statusCode,
      error: refusal.body.error,
      ...(field === undefined ? {} : { field }),
    });
    return render(refusal);
  }
  logger.error(options.failedLog, { ...fields, status: 500, error: describeError(error) });
  return render({ statusCode: 500, body: { error: 'failed', reason: options.failureReason } });
}

/**
 * The middleware: `.use(httpErrorMapping({...}))` after `injectLambdaContext`, so the log lines
 * carry the invocation's context. It answers every error the handler throws.
 */
export function httpErrorMapping(
  options: HttpErrorMappingOptions,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const fields = safeFields(options, request.event);
      request.response = answerError(request.error, options, fields);
    },
  };
}

/** The log fields, or none when the event is too broken to read them from. */
function safeFields(options: HttpErrorMappingOptions, event: APIGatewayProxyEventV2 | undefined) {
  if (!options.logFields || !event) return {};
  try {
    return options.logFields(event);
  } catch {
    return {};
  }
}
