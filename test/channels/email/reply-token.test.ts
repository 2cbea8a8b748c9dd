import { describe, expect, it } from 'vitest';
import {
  extractReplyToken,
  replyTokenAddress,
} from '../../../functions/channels/email/compose-outbound-email.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import { SUPPORT_ADDRESS } from './email-fixtures.ts';

describe('replyTokenAddress', () => {
  it('puts the token in a subaddress of the support address', () => {
    // Prepare
    const token = 'Ab3_x-9';

    // Act
    const address = replyTokenAddress(SUPPORT_ADDRESS, token);

    // Assess
    expect(address).toBe('support+c-Ab3_x-9@support.example.com');
  });

  it.each(['', 'abc 123', 'abc\r\nBcc: x@example.com', 'ab@c', 'a'.repeat(65), 'çay'])(
    'refuses the token %j',
    (token) => {
      // Prepare
      const supportAddress = SUPPORT_ADDRESS;

      // Act
      const act = () => replyTokenAddress(supportAddress, token);

      // Assess
      expect(act).toThrow(InvalidInputError);
    },
  );

  it('refuses a support address that is not a plain address', () => {
    // Prepare
    const supportAddress = 'Support <support@support.example.com>';

    // Act
    const act = () => replyTokenAddress(supportAddress, 'abc');

    // Assess
    expect(act).toThrow(InvalidInputError);
  });
});

describe('extractReplyToken', () => {
  it('finds the token in a bare or named address, ignoring the case of the support part', () => {
    // Prepare
    const addresses = ['someone@example.com', 'Example Shop <SUPPORT+C-Xy_7@Support.Example.com>'];

    // Act
    const token = extractReplyToken(addresses, SUPPORT_ADDRESS);

    // Assess
    expect(token).toBe('Xy_7');
  });

  it('round-trips with replyTokenAddress', () => {
    // Prepare
    const address = replyTokenAddress(SUPPORT_ADDRESS, 'k2v9-q');

    // Act
    const token = extractReplyToken([address], SUPPORT_ADDRESS);

    // Assess
    expect(token).toBe('k2v9-q');
  });

  it.each([
    ['another domain', 'support+c-abc@evil.example.com'],
    ['another mailbox', 'sales+c-abc@support.example.com'],
    ['another subaddress', 'support+abc@support.example.com'],
    ['a token with forbidden characters', 'support+c-a.b@support.example.com'],
    ['the plain support address', SUPPORT_ADDRESS],
  ])('ignores %s', (_case, address) => {
    // Prepare
    const addresses = [address];

    // Act
    const token = extractReplyToken(addresses, SUPPORT_ADDRESS);

    // Assess
    expect(token).toBeUndefined();
  });
});
