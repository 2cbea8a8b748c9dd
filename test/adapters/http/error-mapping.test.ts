import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpErrorMapping } from '../../../functions/adapters/http/error-mapping.ts';
import { pageResponse } from '../../../functions/adapters/http/responses.ts';
import { logger } from '../../../functions/adapters/observability.ts';
import {
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  RetryableError,
  ThrottledError,
  UnauthorizedError,
} from '../../../functions/core/errors.ts';
import { apiGatewayV2Event } from '../../../local/events/api-gateway.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

const OPTIONS = {
  refusedLog: 'test request refused',
  failedLog: 'test request failed',
  failureReason: 'the request could not be processed; try again later',
  logFields: (event: APIGatewayProxyEventV2) => ({ method: event.requestContext.http.method }),
};

/** A handler that throws `error`, behind the logger and the error mapping as every HTTP handler is. */
function throwing(error: unknown, options = OPTIONS) {
  return middy(async function failingRoute(
    _event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    throw error;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpErrorMapping(options));
}

async function answerTo(error: unknown, options = OPTIONS) {
  const response = await throwing(error, options)(
    apiGatewayV2Event({ method: 'POST', path: '/things', headers: {}, body: '{}' }),
    lambdaContext('test-http'),
  );
  return { ...response, json: JSON.parse(String(response.body)) as Record<string, unknown> };
}

let warnings: unknown[][];
let errors: unknown[][];

beforeEach(() => {
  warnings = [];
  errors = [];
  vi.spyOn(logger, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  vi.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the HTTP error mapping', () => {
  it.each([
    [
      new InvalidInputError('text is required', { field: 'text' }),
      400,
      { error: 'invalid-input', field: 'text', reason: 'text is required' },
    ],
    [
      new InvalidInputError('the body is not JSON'),
      400,
      { error: 'invalid-input', field: 'body', reason: 'the body is not JSON' },
    ],
    [
      new PayloadTooLargeError('the body is 70000 bytes; the agent API takes at most 65536 bytes (64 KB)', {
        field: 'body',
        limitBytes: 65536,
      }),
      413,
      {
        error: 'too-large',
        field: 'body',
        reason: 'the body is 70000 bytes; the agent API takes at most 65536 bytes (64 KB)',
      },
    ],
    [
      new UnauthorizedError('X-Signature-SHA256 mismatch'),
      401,
      { error: 'unauthorized', reason: 'X-Signature-SHA256 mismatch' },
    ],
    [
      new ForbiddenError('only the assignee may reply'),
      403,
      { error: 'forbidden', reason: 'only the assignee may reply' },
    ],
    [
      new NotFoundError('conversation conv-9 does not exist'),
      404,
      { error: 'not-found', reason: 'conversation conv-9 does not exist' },
    ],
    [
      new ConflictError('the customer opted out of sms', { field: 'channel' }),
      409,
      { error: 'conflict', field: 'channel', reason: 'the customer opted out of sms' },
    ],
    [
      new RetryableError('the same event is being processed'),
      409,
      { error: 'in-progress', reason: 'the same event is being processed' },
    ],
    [
      new ThrottledError('too many requests; try again in 30 s', { retryAfterSeconds: 30 }),
      429,
      { error: 'throttled', reason: 'too many requests; try again in 30 s' },
    ],
  ])('answers %s with %i and its reason, logged as a refusal', async (error, status, body) => {
    // Act
    const response = await answerTo(error);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.json).toEqual(body);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(warnings).toEqual([
      ['test request refused', expect.objectContaining({ method: 'POST', status, error: body.error })],
    ]);
    expect(errors).toEqual([]);
  });

  it('tells a throttled caller when to come back', async () => {
    // Act
    const response = await answerTo(new ThrottledError('slow down', { retryAfterSeconds: 42 }));

    // Assess
    expect(response.headers?.['retry-after']).toBe('42');
  });

  it.each([
    ['a foreign error', new Error('connect ECONNREFUSED 10.0.0.7:443 for ayse@example.com.tr')],
    ['a configuration error', new ConfigurationError('TABLE_NAME is not set')],
    ['a provider error', new ProviderError('SES', { type: 'Throttling', status: 400 })],
    ['a thrown string', 'boom +90 532 111 22 33'],
  ])('answers %s with 500 and a reason that names nothing of it', async (_case, error) => {
    // Act
    const response = await answerTo(error);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({
      error: 'failed',
      reason: 'the request could not be processed; try again later',
    });
    expect(String(response.body)).not.toMatch(/ECONNREFUSED|TABLE_NAME|SES|boom|10\.0\.0\.7/);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[0]).toBe('test request failed');
    expect(errors[0]?.[1]).toMatchObject({
      method: 'POST',
      status: 500,
      error: { name: expect.any(String) },
    });
  });

  it('logs the reason of a failure with addresses and numbers masked, and a refusal without its reason', async () => {
    // Act
    await answerTo(new Error('Email address is not verified: ayse@example.com.tr; number +90 532 111 22 33'));
    await answerTo(new InvalidInputError('"ayse@example.com.tr" is not a phone number', { field: 'to' }));

    // Assess
    const logged = JSON.stringify([...errors, ...warnings]);
    expect(logged).not.toContain('ayse@example.com.tr');
    expect(logged).not.toContain('532 111 22 33');
    expect(errors[0]?.[1]).toMatchObject({
      error: { reason: 'Email address is not verified: [redacted]; number [redacted]' },
    });
    expect(warnings[0]?.[1]).toEqual({ method: 'POST', status: 400, error: 'invalid-input', field: 'to' });
  });

  it('renders the answer as the route answers people, a page instead of JSON', async () => {
    // Prepare
    const options = {
      ...OPTIONS,
      render: (a: { statusCode: number; body: { reason: string } }) =>
        pageResponse(a.statusCode, a.body.reason),
    };

    // Act
    const refused = await throwing(new InvalidInputError('the link is <incomplete>'), options)(
      apiGatewayV2Event({ method: 'GET', path: '/chat/confirm', headers: {} }),
      lambdaContext('test-http'),
    );
    const failed = await throwing(new Error('dynamodb down'), options)(
      apiGatewayV2Event({ method: 'GET', path: '/chat/confirm', headers: {} }),
      lambdaContext('test-http'),
    );

    // Assess
    expect(refused.statusCode).toBe(400);
    expect(refused.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.body).toContain('the link is &#60;incomplete&#62;');
    expect(failed.statusCode).toBe(500);
    expect(failed.body).toContain('the request could not be processed; try again later');
    expect(failed.body).not.toContain('dynamodb');
  });

  it('still answers when the log fields cannot be read off a broken event', async () => {
    // Prepare
    const handler = throwing(new NotFoundError('gone'));

    // Act
    const response = await handler({} as APIGatewayProxyEventV2, lambdaContext('test-http'));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(warnings[0]?.[1]).toEqual({ status: 404, error: 'not-found' });
  });
});
