import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { OnDemandAnswerComposer } from '../../functions/adapters/bedrock/on-demand-answer-composer.ts';
import { inboundEmailDeps, inboundEmailSettings } from '../../functions/composition/inbound-email.ts';
import { inboundSmsDeps } from '../../functions/composition/inbound-sms.ts';
import { socialInboundDeps } from '../../functions/composition/inbound-social.ts';
import { sandboxSupportConfig } from '../../local/config.ts';

const clients = {
  dynamo: new DynamoDBClient({ region: 'eu-central-1' }),
  s3: new S3Client({ region: 'eu-central-1' }),
  sqs: new SQSClient({ region: 'eu-central-1' }),
  ses: new SESv2Client({ region: 'eu-central-1' }),
};
const ASSISTANT = {
  modelId: 'amazon.nova-lite-v1:0',
  guardrailId: 'a1b2c3d4e5f6',
  guardrailVersion: '1',
  maxAnswerCharacters: 400,
};

/** The environment the constructs give the inbound functions, read by the email function's loader. */
function settings(support: object) {
  return inboundEmailSettings({
    TABLE_NAME: 'switchboard-test',
    SUPPORT_CONFIG: JSON.stringify(support),
    HELP_BASE_URL: 'https://help.shop.example',
    MAIL_BUCKET: 'switchboard-mail',
    RAW_MAIL_PREFIX: 'inbound/',
    ATTACHMENT_PREFIX: 'attachments/',
    OUTBOUND_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/111122223333/outbound',
  });
}

describe('generated answers in the function wiring', () => {
  it('gives the email and social paths the Bedrock composer from support.assistant, and SMS none', () => {
    // Prepare
    const on = settings({ ...sandboxSupportConfig, assistant: ASSISTANT });

    // Act
    const email = inboundEmailDeps(clients, on).helpCenter?.answers;
    const social = socialInboundDeps(clients, on).helpCenter?.answers;
    const sms = inboundSmsDeps(clients, on).helpCenter;

    // Assess
    expect(email?.composer).toBeInstanceOf(OnDemandAnswerComposer);
    expect(email?.maxCharacters).toBe(400);
    expect(social?.composer).toBeInstanceOf(OnDemandAnswerComposer);
    expect(sms).toBeDefined();
    expect(sms?.answers).toBeUndefined();
  });

  it('leaves generated answers off without support.assistant', () => {
    // Act
    const email = inboundEmailDeps(clients, settings(sandboxSupportConfig)).helpCenter;

    // Assess
    expect(email).toBeDefined();
    expect(email?.answers).toBeUndefined();
  });
});
