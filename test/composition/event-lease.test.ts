import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { dispatcherDeps, dispatcherSettings } from '../../functions/composition/dispatcher.ts';
import { inboundEmailDeps, inboundEmailSettings } from '../../functions/composition/inbound-email.ts';
import { inboundSocialSettings, socialInboundDeps } from '../../functions/composition/inbound-social.ts';
import { ConfigurationError } from '../../functions/core/errors.ts';
import { sandboxSupportConfig } from '../../local/config.ts';

const environment = (extra: Record<string, string>) => ({
  TABLE_NAME: 'switchboard-test',
  SUPPORT_CONFIG: JSON.stringify(sandboxSupportConfig),
  MAIL_BUCKET: 'switchboard-mail',
  RAW_MAIL_PREFIX: 'inbound/',
  ATTACHMENT_PREFIX: 'attachments/',
  OUTBOUND_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/111122223333/outbound',
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
    const env = environment({ EVENT_LEASE_SECONDS: '70' });

    // Act
    const leases = [
      inboundEmailDeps(clients, inboundEmailSettings(env)).leaseSeconds,
      socialInboundDeps(clients, inboundSocialSettings(env)).leaseSeconds,
      dispatcherDeps(clients, dispatcherSettings(env)).leaseSeconds,
    ];

    // Assess
    expect(leases).toEqual([70, 70, 70]);
  });

  it('refuses a lease that is not a whole number of seconds', () => {
    // Act
    const read = () => dispatcherSettings(environment({ EVENT_LEASE_SECONDS: '300s' }));

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/EVENT_LEASE_SECONDS must be a whole number of seconds/);
  });
});

describe("each function's settings at cold start", () => {
  it('stop the function naming the variable a loader needs and the construct did not set', () => {
    // Act
    const read = () => inboundEmailSettings(environment({ MAIL_BUCKET: '' }));

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/the inbound-email function needs MAIL_BUCKET in its environment/);
  });
});
