import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  signMetaBody,
  verifyMetaSignature,
  verifyTokenMatches,
} from '../../../functions/channels/meta/signature.ts';

const SECRET = 'test-app-secret';
/** Meta signs the body as sent: non-ASCII escaped as \uXXXX. */
const BODY = Buffer.from(
  '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}],"t":"Sipari\\u015f"}',
);
const GOOD = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;

describe('verifyMetaSignature', () => {
  it('accepts the HMAC-SHA256 of the raw body with the app secret', () => {
    // Act / Assess
    expect(verifyMetaSignature(BODY, GOOD, SECRET)).toEqual({ valid: true });
  });

  it('accepts upper-case hex and surrounding spaces', () => {
    // Act / Assess
    expect(verifyMetaSignature(BODY, ` sha256=${GOOD.slice(7).toUpperCase()} `, SECRET).valid).toBe(true);
  });

  it.each([
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['without the sha256= prefix', GOOD.slice(7), 'malformed'],
    ['sha1 instead of sha256', `sha1=${GOOD.slice(7, 47)}`, 'malformed'],
    ['one hex digit short', GOOD.slice(0, -1), 'malformed'],
    ['one hex digit too many', `${GOOD}0`, 'malformed'],
    ['not hex', `sha256=${'z'.repeat(64)}`, 'malformed'],
    ['wrong digest of the right length', `sha256=${'0'.repeat(64)}`, 'mismatch'],
  ])('refuses a signature that is %s', (_case, header, problem) => {
    // Act / Assess
    expect(verifyMetaSignature(BODY, header, SECRET)).toEqual({ valid: false, problem });
  });

  it('refuses the signature made with another secret', () => {
    // Act / Assess
    expect(verifyMetaSignature(BODY, signMetaBody(BODY, 'other-secret'), SECRET)).toEqual({
      valid: false,
      problem: 'mismatch',
    });
  });

  it('refuses a body changed in any one byte', () => {
    // Prepare
    fc.assert(
      fc.property(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const changed = Buffer.from(BODY);
        changed[index] = ((changed[index] ?? 0) + delta) % 256;

        // Act / Assess
        expect(verifyMetaSignature(changed, GOOD, SECRET)).toEqual({ valid: false, problem: 'mismatch' });
      }),
    );
  });

  it('refuses the signature of the re-serialized body (why it must run before parsing)', () => {
    // Prepare
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8'))));

    // Act / Assess
    expect(verifyMetaSignature(reserialized, GOOD, SECRET).valid).toBe(false);
  });

  it('signs what it verifies', () => {
    // Act / Assess
    expect(signMetaBody(BODY, SECRET)).toBe(GOOD);
  });
});

describe('verifyTokenMatches', () => {
  it.each([
    ['the same token', 'tok-123', true],
    ['another token of the same length', 'tok-124', false],
    ['a prefix', 'tok-12', false],
    ['nothing', undefined, false],
  ])('with %s answers %s', (_case, given, expected) => {
    // Act / Assess
    expect(verifyTokenMatches(given, 'tok-123')).toBe(expected);
  });

  it('never matches when no token is configured', () => {
    // Act / Assess
    expect(verifyTokenMatches('', '')).toBe(false);
  });
});
