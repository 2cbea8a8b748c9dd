import { describe, expect, it } from 'vitest';
import { AGENT_READ_SCOPE, AGENT_WRITE_SCOPE } from '../../functions/adapters/http/agent-routes.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

/**
 * The sandbox's agent auth answers as API Gateway's JWT authorizer does (401 for a bad token,
 * 403 for a token without the route's scope), and says in words what is wrong.
 */

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { reason?: string; token?: string; expiresAt?: string; error?: string },
  };
}

async function token(scopes: readonly string[], lifetimeSeconds = 3_600, sub = 'agent-9'): Promise<string> {
  const issued = await call('POST', '/sandbox/agent-tokens', {}, { sub, scopes, lifetimeSeconds });
  if (!issued.body.token) throw new Error(`no token: ${JSON.stringify(issued.body)}`);
  return issued.body.token;
}

describe('sandbox agent auth', () => {
  it.each([
    [
      'no Authorization header',
      {},
      /^no Authorization header: send "Authorization: Bearer dev-agent-token"$/,
    ],
    [
      'a scheme other than Bearer',
      { authorization: 'Basic ZGV2OmFnZW50' },
      /^the Authorization header is not a bearer token: it must be "Bearer <token>", not "Basic …"$/,
    ],
    [
      'a token it does not know',
      { authorization: 'Bearer not-a-real-token' },
      /^the token is not one the sandbox knows: use the development token or one from POST \/sandbox\/agent-tokens$/,
    ],
  ])('answers 401 saying what is wrong for %s', async (_case, headers, reason) => {
    // Act
    const response = await call('GET', '/conversations', headers);

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.reason).toMatch(reason);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token" error_description="/,
    );
  });

  it('answers 401 for an expired token, with when it expired', async () => {
    // Prepare
    const expired = await token([AGENT_READ_SCOPE], -60);

    // Act
    const response = await call('GET', '/conversations', { authorization: `Bearer ${expired}` });

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.reason).toMatch(/^the token expired at 2026-11-23T09:59:\d\d\.000Z: get a new one$/);
  });

  it('answers 403 naming the scope for a read-only token on a write route, and lets it read', async () => {
    // Prepare
    const readOnly = await token([AGENT_READ_SCOPE]);

    // Act
    const read = await call('GET', '/conversations', { authorization: `Bearer ${readOnly}` });
    const write = await call('POST', '/conversations/conv-1/close', { authorization: `Bearer ${readOnly}` });

    // Assess
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.body).toEqual({
      error: 'forbidden',
      reason: `POST /conversations/{id}/close needs the scope ${AGENT_WRITE_SCOPE}; the token has ${AGENT_READ_SCOPE}`,
    });
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it("acts as the token's agent: a write token reaches the handler, which names the unknown conversation", async () => {
    // Prepare
    const writer = await token([AGENT_READ_SCOPE, AGENT_WRITE_SCOPE]);

    // Act
    const response = await call('POST', '/conversations/nope/close', { authorization: `Bearer ${writer}` });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.reason).toBe('conversation nope does not exist');
  });

  it('answers 405 with Allow for an agent path with another method, before any token check', async () => {
    // Act
    const response = await call('DELETE', '/conversations/conv-1');

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it("answers 405 with Allow for the sandbox's own routes with another method", async () => {
    // Act
    const outbox = await call('POST', '/sandbox/outbox', {}, {});
    const orders = await call('GET', '/orders/events');

    // Assess
    expect([outbox.status, outbox.headers.get('allow')]).toEqual([405, 'GET']);
    expect([orders.status, orders.headers.get('allow')]).toEqual([405, 'POST']);
    expect(orders.body.reason).toBe('/orders/events takes POST, not GET');
  });

  it('refuses a token request for a scope that does not exist, in a sentence naming the field', async () => {
    // Act
    const response = await call('POST', '/sandbox/agent-tokens', {}, { scopes: ['switchboard/everything'] });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.reason).toBe(
      'scopes.0 must be one of "switchboard/agent.read", "switchboard/agent.write", "switchboard/admin", not "switchboard/everything"',
    );
  });
});
