import { describe, expect, it } from 'vitest';
import { hasE164Shape } from '../../../functions/core/customers/phone-shape.ts';

describe('hasE164Shape', () => {
  it.each(['+905321234567', '+12065550123', '+905999999999'])('accepts %s', (number) => {
    // Act
    const shaped = hasE164Shape(number);

    // Assess
    expect(shaped).toBe(true);
  });

  it.each([
    '05321112233',
    '+90 532 123 45 67',
    '+0905321234567',
    '+9053212345678901',
    '+12345',
    '+905321234567\n',
  ])('refuses %j', (number) => {
    // Act
    const shaped = hasE164Shape(number);

    // Assess
    expect(shaped).toBe(false);
  });
});
