import { describe, expect, it } from 'vitest';
import { BODY_LIMITS, headerValue, readRequestBody } from '../../../functions/adapters/http/request.ts';
import { InvalidInputError, PayloadTooLargeError } from '../../../functions/core/errors.ts';
import { apiGatewayV2Event } from '../../../local/events/api-gateway.ts';

describe('reading an HTTP request body', () => {
  it('keeps the bytes as sent when API Gateway hands them over base64-encoded, for the signature check', () => {
    // Prepare: Latin-1 bytes that are not UTF-8
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe7, 0x22, 0x7d]);
    const event = {
      ...apiGatewayV2Event({ method: 'POST', path: '/webhooks/meta', headers: {} }),
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };

    // Act
    const raw = readRequestBody(event, BODY_LIMITS.metaWebhook);

    // Assess
    expect(raw.equals(bytes)).toBe(true);
  });

  it('refuses a body over the limit of our own API with 413 naming the limit', () => {
    // Prepare
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/conversations/c/replies',
      headers: {},
      body: 'x'.repeat(BODY_LIMITS.agentApi.maxBytes + 1),
    });

    // Act
    const read = () => readRequestBody(event, BODY_LIMITS.agentApi);

    // Assess
    expect(read).toThrow(PayloadTooLargeError);
    expect(read).toThrow('the body is 65537 bytes; the agent API takes at most 65536 bytes (64 KB)');
  });

  it.each([
    ['empty', ''],
    ['over the limit', 'x'.repeat(BODY_LIMITS.shopApi.maxBytes + 1)],
  ])('refuses a delivery body that is %s as no delivery (400, not 413)', (_case, body) => {
    // Prepare
    const event = apiGatewayV2Event({ method: 'POST', path: '/orders/events', headers: {}, body });

    // Act
    let thrown: unknown;
    try {
      readRequestBody(event, BODY_LIMITS.shopApi);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).not.toBeInstanceOf(PayloadTooLargeError);
    expect(thrown).toMatchObject({ field: 'body', reason: 'the body is empty or too large' });
  });

  it('finds a header whatever the case of its name', () => {
    // Act / Assess
    expect(headerValue({ 'X-Hub-Signature-256': 'sha256=ab' }, 'x-hub-signature-256')).toBe('sha256=ab');
    expect(headerValue(undefined, 'content-type')).toBeUndefined();
  });
});
