import { describe, expect, it } from 'vitest';
import { parseShopSecretValue } from '../../../functions/adapters/shop/shop-secret.ts';
import { ConfigurationError } from '../../../functions/core/errors.ts';

describe('parseShopSecretValue', () => {
  it('reads one key as plain text', () => {
    // Act
    const keys = parseShopSecretValue('  k3y-current \n');

    // Assess
    expect(keys).toEqual({ current: 'k3y-current' });
  });

  it('reads the current and the previous key of a rotation', () => {
    // Act
    const keys = parseShopSecretValue('{"current": "new-key", "previous": "old-key"}');

    // Assess
    expect(keys).toEqual({ current: 'new-key', previous: 'old-key' });
  });

  it.each(['', '{"current": ""}', '{"previous": "old"}', '{not json'])(
    'refuses %j with a reason that says what to put there',
    (value) => {
      // Act
      const attempt = () => parseShopSecretValue(value);

      // Assess
      expect(attempt).toThrow(ConfigurationError);
      expect(attempt).toThrow(/shop signing secret/);
    },
  );
});
