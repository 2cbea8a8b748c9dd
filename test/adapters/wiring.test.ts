import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  dispatcherDeps,
  inboundEmailDeps,
  settingsFromEnvironment,
  socialInboundDeps,
} from '../../functions/adapters/wiring.ts';
import { ConfigurationError } from '../../functions/core/errors.ts';
import { sandboxSupportConfig } from '../../local/config.ts';

const environment = (extra: Record<string, string>) => ({
  TABLE_NAME: 'switchboard-test',
  SUPPORT_CONFIG: JSON.stringify(sandboxSupportConfig),
  ...extra,
});

const clients = {
  dynamo: new DynamoDBClient({ region: 'eu-central-1' }),
  s3: new S3Client({ region: 'eu-central-1' }),
  sqs: new SQSClient({ region: 'eu-central-1' }),
  ses: new SESv2Client({ region: 'eu-central-1' }),
};

describe('the event lease in the function environment', () => {
  it('reaches every use case that claims events from EVENT_LEASE_SECONDS', () => {
    // Prepare
    const settings = settingsFromEnvironment(environment({ EVENT_LEASE_SECONDS: '70' }));

    // Act
    const leases = [
      inboundEmailDeps(clients, settings).leaseSeconds,
      socialInboundDeps(clients, settings).leaseSeconds,
      dispatcherDeps(clients, settings).leaseSeconds,
    ];

    // Assess
    expect(leases).toEqual([70, 70, 70]);
  });

  it('refuses a lease that is not a whole number of seconds', () => {
    // Act
    const read = () => settingsFromEnvironment(environment({ EVENT_LEASE_SECONDS: '300s' }));

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/EVENT_LEASE_SECONDS must be a whole number of seconds/);
  });
});
