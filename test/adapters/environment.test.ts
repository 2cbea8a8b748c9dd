import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../functions/adapters/environment.ts';
import { ConfigurationError } from '../../functions/core/errors.ts';

describe("a function's environment read against its schema", () => {
  it('stops at cold start naming every required variable that is missing or empty', () => {
    // Act
    const read = () => readEnvironment('reminders', { TABLE_NAME: 'switchboard', SHOP_SECRET_ARN: '' });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      /the reminders function needs SUPPORT_CONFIG, SHOP_SECRET_ARN, SCHEDULE_GROUP, SCHEDULE_TARGET_QUEUE_ARN, SCHEDULE_ROLE_ARN/,
    );
  });

  it('returns the variables of the schema only, an empty optional one as absent', () => {
    // Act
    const env = readEnvironment('voice-lookup', {
      TABLE_NAME: 'switchboard',
      SUPPORT_CONFIG: '{}',
      CONNECT_VIP_CUSTOMER_IDS: '',
      OUTBOUND_QUEUE_URL: 'https://sqs.example/outbound',
    });

    // Assess
    expect(env).toEqual({ TABLE_NAME: 'switchboard', SUPPORT_CONFIG: '{}' });
  });
});
