import { describe, expect, it } from 'vitest';
import {
  authorizeVisitor,
  visitorContext,
  visitorFromContext,
} from '../../../functions/channels/chat/authorize-visitor.ts';
import {
  signChatIdentityToken,
  verifyChatIdentityToken,
} from '../../../functions/channels/chat/identity-token.ts';

const SECRET = 'shop-chat-secret';
const NOW = new Date('2026-11-23T10:00:00Z');
const IN_AN_HOUR = Math.floor(NOW.getTime() / 1000) + 3_600;

describe('verifyChatIdentityToken', () => {
  it('takes a token the shop signed, with the email lowercased', () => {
    // Prepare
    const token = signChatIdentityToken({ email: 'Ayse@Example.com', name: 'Ayşe', exp: IN_AN_HOUR }, SECRET);

    // Act
    const check = verifyChatIdentityToken(token, SECRET, NOW);

    // Assess
    expect(check).toEqual({
      valid: true,
      claims: { email: 'ayse@example.com', name: 'Ayşe', exp: IN_AN_HOUR },
    });
  });

  it('refuses a token signed with another secret, an altered one, an expired one and a malformed one', () => {
    // Prepare
    const good = signChatIdentityToken({ email: 'ayse@example.com', exp: IN_AN_HOUR }, SECRET);
    const [payload, signature] = good.split('.');
    const altered = `${Buffer.from(JSON.stringify({ email: 'mehmet@example.com', exp: IN_AN_HOUR })).toString('base64url')}.${signature}`;

    // Act & Assess
    expect(
      verifyChatIdentityToken(
        signChatIdentityToken({ email: 'a@b.co', exp: IN_AN_HOUR }, 'other'),
        SECRET,
        NOW,
      ),
    ).toEqual({
      valid: false,
      problem: 'mismatch',
    });
    expect(verifyChatIdentityToken(altered, SECRET, NOW)).toEqual({ valid: false, problem: 'mismatch' });
    expect(
      verifyChatIdentityToken(
        signChatIdentityToken({ email: 'a@b.co', exp: IN_AN_HOUR - 7_200 }, SECRET),
        SECRET,
        NOW,
      ),
    ).toEqual({ valid: false, problem: 'expired' });
    expect(verifyChatIdentityToken(`${payload}`, SECRET, NOW)).toEqual({
      valid: false,
      problem: 'malformed',
    });
    expect(verifyChatIdentityToken(`${payload}.zz`, SECRET, NOW)).toEqual({
      valid: false,
      problem: 'malformed',
    });
  });

  it('refuses signed claims that name nobody', () => {
    // Act
    const check = verifyChatIdentityToken(
      signChatIdentityToken({ name: 'Nobody', exp: IN_AN_HOUR }, SECRET),
      SECRET,
      NOW,
    );

    // Assess
    expect(check).toEqual({ valid: false, problem: 'invalid-claims' });
  });
});

describe('authorizeVisitor', () => {
  it('lets a visitor with a forged token in anonymous, and refuses a connection without a visitor id', () => {
    // Act
    const forged = authorizeVisitor(
      { visitorId: 'v-5f2c9a', token: 'eyJlbWFpbCI6ImFAYi5jbyJ9.00' },
      SECRET,
      NOW,
    );
    const nobody = authorizeVisitor({}, SECRET, NOW);

    // Assess
    expect(forged).toEqual({
      allowed: true,
      visitor: { visitorId: 'v-5f2c9a' },
      identityProblem: 'malformed',
    });
    expect(nobody.allowed).toBe(false);
  });

  it('carries a verified identity through the authorizer context to every route', () => {
    // Prepare
    const token = signChatIdentityToken({ email: 'ayse@example.com', name: 'Ayşe', exp: IN_AN_HOUR }, SECRET);
    const decision = authorizeVisitor({ visitorId: 'v-5f2c9a', token }, SECRET, NOW);
    if (!decision.allowed) throw new Error('expected the visitor to be let in');

    // Act
    const visitor = visitorFromContext({ ...visitorContext(decision), principalId: 'v-5f2c9a' });

    // Assess
    expect(visitor).toEqual({
      visitorId: 'v-5f2c9a',
      identity: { email: 'ayse@example.com', name: 'Ayşe', exp: IN_AN_HOUR },
    });
  });
});
