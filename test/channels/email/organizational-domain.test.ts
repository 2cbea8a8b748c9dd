import { describe, expect, it } from 'vitest';
import { organizationalDomain } from '../../../functions/channels/email/organizational-domain.ts';

describe('organizationalDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['bounces.mail.Example.COM.', 'example.com'],
    ['mail.shop.co.uk', 'shop.co.uk'],
    ['attacker.co.uk', 'attacker.co.uk'],
    ['victim.github.io', 'victim.github.io'],
    ['mx.attacker.github.io', 'attacker.github.io'],
    ['magaza.com.tr', 'magaza.com.tr'],
    ['co.uk', 'co.uk'],
  ])('%s belongs to %s', (domain, expected) => {
    // Act
    const organizational = organizationalDomain(domain);

    // Assess
    expect(organizational).toBe(expected);
  });
});
