import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { signMetaBody } from '../../functions/channels/meta/signature.ts';
import { makeMetaWebhookHandler } from '../../functions/handlers/meta-webhook.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

const SECRETS = { appSecret: 'app-secret', verifyToken: 'verify-me', accessToken: 'unused' };
const BODY = '{"object":"page","entry":[{"id":"1","time":1795428000000,"messaging":[]}]}';

let queued: string[];
let failQueue: boolean;
let handler: ReturnType<typeof makeMetaWebhookHandler>;

beforeEach(() => {
  queued = [];
  failQueue = false;
  handler = makeMetaWebhookHandler(() => ({
    secrets: new StaticMetaSecrets(SECRETS),
    queue: {
      enqueue: async (raw: string) => {
        if (failQueue) throw new Error('SQS is down');
        queued.push(raw);
      },
    },
  }));
});

function event(
  method: 'GET' | 'POST' | 'PUT',
  options: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    /** API Gateway may pass even a UTF-8 body base64-encoded. */
    base64?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  const request = apiGatewayV2Event({
    method,
    path: '/webhooks/meta',
    headers: options.headers ?? {},
    body: options.body,
    query: options.query,
  });
  return options.base64 && options.body !== undefined
    ? { ...request, body: Buffer.from(options.body, 'utf8').toString('base64'), isBase64Encoded: true }
    : request;
}

const call = (e: APIGatewayProxyEventV2) => handler(e, lambdaContext('meta-webhook'));

describe('meta webhook GET: the subscription handshake', () => {
  it('echoes hub.challenge when hub.verify_token is ours', async () => {
    // Act
    const response = await call(
      event('GET', {
        query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1158201444');
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me' }],
  ])('answers 403 to %s', async (_case, query) => {
    // Act
    const response = await call(event('GET', { query }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('verify-me');
  });
});

describe('meta webhook POST: verify, enqueue, answer', () => {
  it('queues the raw body of a correctly signed delivery and answers 200', async () => {
    // Act
    const response = await call(
      event('POST', {
        body: BODY,
        headers: { 'x-hub-signature-256': signMetaBody(BODY, SECRETS.appSecret) },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(queued).toEqual([BODY]);
  });

  it('decodes a base64 body from API Gateway before checking the signature', async () => {
    // Prepare
    const body = '{"object":"page","entry":[],"t":"Sipari\u015f"}';

    // Act
    const response = await call(
      event('POST', {
        body,
        base64: true,
        headers: { 'X-Hub-Signature-256': signMetaBody(Buffer.from(body, 'utf8'), SECRETS.appSecret) },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(queued).toEqual([body]);
  });

  it.each([
    ['missing', {}, /missing/],
    ['forged', { 'x-hub-signature-256': `sha256=${'ab'.repeat(32)}` }, /mismatch/],
    ['malformed', { 'x-hub-signature-256': 'sha256=not-hex' }, /malformed/],
    ['made with another secret', { 'x-hub-signature-256': signMetaBody(BODY, 'other') }, /mismatch/],
  ])('answers 401 to a %s signature and queues nothing', async (_case, headers, reason) => {
    // Act
    const response = await call(event('POST', { body: BODY, headers }));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(String(response.body)).reason).toMatch(reason);
    expect(queued).toEqual([]);
  });

  it('answers 400 to an empty body', async () => {
    // Act
    const response = await call(
      event('POST', { headers: { 'x-hub-signature-256': signMetaBody('', SECRETS.appSecret) } }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(queued).toEqual([]);
  });

  it('answers 400 with the reason to a signed body that is not JSON, and queues nothing', async () => {
    // Prepare
    const body = '{"object":"page","entry":[';

    // Act
    const response = await call(
      event('POST', { headers: { 'x-hub-signature-256': signMetaBody(body, SECRETS.appSecret) }, body }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body))).toMatchObject({ error: 'invalid-input', reason: /not JSON/ });
    expect(queued).toEqual([]);
  });

  it('checks the signature before it parses: an unsigned non-JSON body is 401', async () => {
    // Act
    const response = await call(event('POST', { body: 'not json' }));

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('answers 500 when the queue fails, so Meta delivers again later', async () => {
    // Prepare
    failQueue = true;

    // Act
    const response = await call(
      event('POST', {
        body: BODY,
        headers: { 'x-hub-signature-256': signMetaBody(BODY, SECRETS.appSecret) },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(500);
  });

  it('refuses other methods', async () => {
    // Act / Assess
    expect((await call(event('PUT'))).statusCode).toBe(405);
  });
});
