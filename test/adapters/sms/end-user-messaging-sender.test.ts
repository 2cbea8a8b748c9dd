import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSmsSender } from '../../../functions/adapters/sms/end-user-messaging-sender.ts';
import { PermanentDeliveryError, ProviderError, RetryableError } from '../../../functions/core/errors.ts';
import type { OutboundRequest } from '../../../functions/core/model.ts';

const ORIGINATION =
  'arn:aws:sms-voice:eu-central-1:111122223333:phone-number/phone-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const client = new PinpointSMSVoiceV2Client({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const eum = mockClient(client);
const sender = new EndUserMessagingSmsSender(client, {
  originationIdentity: ORIGINATION,
  configurationSetName: 'switchboard-sms',
});

function request(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    id: 'ack-1',
    kind: 'auto-reply',
    channel: 'sms',
    customerId: 'cust-1',
    conversationId: 'conv-1',
    to: '+905321112233',
    language: 'tr',
    text: 'Tesekkürler, mesajinizi aldik.',
    headers: {},
    requestedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

const meta = { $metadata: {} };

beforeEach(() => {
  eum.reset();
});

describe('EndUserMessagingSmsSender', () => {
  it('sends a TRANSACTIONAL SendTextMessage from the configured identity through the configuration set', async () => {
    // Prepare
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'eum-123' });

    // Act
    const sent = await sender.send(request());

    // Assess
    expect(sent).toEqual({ providerMessageId: 'eum-123' });
    expect(eum.commandCalls(SendTextMessageCommand)[0]?.args[0].input).toEqual({
      DestinationPhoneNumber: '+905321112233',
      OriginationIdentity: ORIGINATION,
      ConfigurationSetName: 'switchboard-sms',
      MessageBody: 'Tesekkürler, mesajinizi aldik.',
      MessageType: 'TRANSACTIONAL',
      Context: { outboundId: 'ack-1' },
    });
  });

  it('records an opted-out destination as a permanent failure with a clear reason', async () => {
    // Prepare
    eum.on(SendTextMessageCommand).rejects(
      new ConflictException({
        ...meta,
        message: 'opted out',
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      }),
    );

    // Act
    const attempt = sender.send(request());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(attempt).rejects.toThrow(/opt-out list of End User Messaging/);
  });

  it.each([
    ['DESTINATION_COUNTRY_BLOCKED', /destination country is blocked/],
    ['CANNOT_PARSE', /not a valid phone number/],
    ['INVALID_IDENTITY_FOR_DESTINATION_COUNTRY', /cannot send to the destination country/],
  ])('records a ValidationException %s as permanent', async (reason, message) => {
    // Prepare
    eum
      .on(SendTextMessageCommand)
      .rejects(new ValidationException({ ...meta, message: 'invalid', Reason: reason as never }));

    // Act
    const attempt = sender.send(request());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(attempt).rejects.toThrow(message);
  });

  it.each([
    ['throttling', () => new ThrottlingException({ ...meta, message: 'slow down' })],
    ['a server error', () => new InternalServerException({ ...meta, message: 'oops' })],
  ])('hands %s back to the queue as retryable', async (_what, error) => {
    // Prepare
    eum.on(SendTextMessageCommand).rejects(error());

    // Act
    const attempt = sender.send(request());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RetryableError);
  });

  it('lets our own misconfiguration (access denied) through by its type only, to alarm rather than be recorded', async () => {
    // Prepare: a provider message that quotes the destination in national form
    eum
      .on(SendTextMessageCommand)
      .rejects(new AccessDeniedException({ ...meta, message: 'denied for 0532 999 88 77' }));

    // Act
    const attempt = sender.send(request());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.not.toBeInstanceOf(PermanentDeliveryError);
    await expect(attempt).rejects.toThrow('End User Messaging failed (AccessDeniedException)');
    await expect(attempt).rejects.not.toThrow(/0532|999/);
  });

  it('refuses a destination that is not E.164 and an overlong text before calling AWS', async () => {
    // Act
    const badNumber = sender.send(request({ to: '05321112233' }));
    const tooLong = sender.send(request({ text: 'a'.repeat(1_601) }));

    // Assess
    await expect(badNumber).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(tooLong).rejects.toThrow(/longer than the 1600 characters/);
    expect(eum.commandCalls(SendTextMessageCommand)).toHaveLength(0);
  });
});
