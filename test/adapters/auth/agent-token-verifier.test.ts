import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  agentTokenSettingsFromEnvironment,
  JwksAgentTokenVerifier,
} from '../../../functions/adapters/auth/agent-token-verifier.ts';

const ISSUER = 'https://login.shop.example/';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };

/** An RS256 JWT as an identity provider signs it (the key the verifier is given as the JWKS). */
function token(claims: Record<string, unknown>): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

function verifier(): JwksAgentTokenVerifier {
  const v = new JwksAgentTokenVerifier({ issuer: ISSUER, audience: ['inbox-client'] });
  v.cacheJwks(JWKS);
  return v;
}

const now = () => Math.floor(Date.now() / 1000);
const CLAIMS = { iss: ISSUER, aud: 'inbox-client', sub: 'agent-1', scope: 'switchboard/agent.read openid' };

describe('verifying agent tokens with the issuer JWKS (aws-jwt-verify)', () => {
  it('takes a valid token and names its sub and scopes', async () => {
    // Act
    const check = await verifier().verify(token({ ...CLAIMS, exp: now() + 600 }));

    // Assess
    expect(check).toEqual({ valid: true, agentId: 'agent-1', scopes: ['switchboard/agent.read', 'openid'] });
  });

  it.each([
    ['expired', { ...CLAIMS, exp: now() - 600 }],
    ['for another audience', { ...CLAIMS, aud: 'other-app', exp: now() + 600 }],
    ['from another issuer', { ...CLAIMS, iss: 'https://evil.example/', exp: now() + 600 }],
  ])('refuses a token %s', async (_name, claims) => {
    // Act
    const check = await verifier().verify(token(claims));

    // Assess
    expect(check.valid).toBe(false);
  });

  it('refuses a token whose signature was tampered with', async () => {
    // Prepare
    const [header, , signature] = token({ ...CLAIMS, exp: now() + 600 }).split('.');
    const forged = Buffer.from(JSON.stringify({ ...CLAIMS, sub: 'admin', exp: now() + 600 })).toString(
      'base64url',
    );

    // Act
    const check = await verifier().verify(`${header}.${forged}.${signature}`);

    // Assess
    expect(check).toEqual({ valid: false, problem: expect.stringContaining('does not verify') });
  });

  it('reads the issuer and the comma-separated audience from the environment', () => {
    // Act
    const settings = agentTokenSettingsFromEnvironment({
      AGENT_JWT_ISSUER: ISSUER,
      AGENT_JWT_AUDIENCE: 'inbox-client, cli-client',
    });

    // Assess
    expect(settings).toEqual({ issuer: ISSUER, audience: ['inbox-client', 'cli-client'] });
    expect(agentTokenSettingsFromEnvironment({})).toBeUndefined();
  });
});
