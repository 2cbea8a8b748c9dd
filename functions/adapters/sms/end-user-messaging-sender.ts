import {
  ConflictException,
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsConfig } from '../../core/config.ts';
import { DestinationOptedOutError } from '../../core/customers/consent.ts';
import { hasE164Shape } from '../../core/customers/phone-shape.ts';
import { PermanentDeliveryError, ProviderError, RetryableError } from '../../core/errors.ts';
import type { OutboundRequest } from '../../core/model.ts';
import type { ChannelSender, SentMessage } from '../../core/ports/outbound.ts';

/** End User Messaging refuses bodies longer than this many characters. */
export const MAX_SMS_BODY_LENGTH = 1_600;

/**
 * Validation reasons that say "this destination (or this message to it) will never work": a
 * retry cannot change them. Other validation failures are ours (a wrong origination identity or
 * configuration set) and should page someone, so they are thrown as they are.
 */
const PERMANENT_VALIDATION_REASONS: Readonly<Record<string, string>> = {
  DESTINATION_COUNTRY_BLOCKED: 'SMS to the destination country is blocked in this account',
  DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION:
    'SMS to the destination country is blocked by the protect configuration',
  INVALID_IDENTITY_FOR_DESTINATION_COUNTRY: 'the origination identity cannot send to the destination country',
  COUNTRY_CODE_MISMATCH: 'the origination identity cannot send to the destination country',
  INTERNATIONAL_SENDING_NOT_SUPPORTED: 'the origination identity cannot send internationally',
  CANNOT_PARSE: 'the destination is not a valid phone number',
  INVALID_PARAMETER: 'End User Messaging refused the destination or the message',
  MAXIMUM_SIZE_EXCEEDED: 'the message is too long for SMS',
  PRICE_OVER_THRESHOLD: 'the message would cost more than the account allows per message',
};

/**
 * Sends SMS with End User Messaging SMS (`SendTextMessage`), as TRANSACTIONAL messages from the
 * configured origination identity through the configured configuration set. Throttling and
 * server errors are retryable (the queue tries again); an opted-out or invalid destination is
 * permanent (recorded on the message, not retried).
 */
export class EndUserMessagingSmsSender implements ChannelSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly sms: Pick<SmsConfig, 'originationIdentity' | 'configurationSetName'>,
  ) {}

  async send(request: OutboundRequest): Promise<SentMessage> {
    // Destinations are stored identities, normalised when they arrived; a range End User
    // Messaging does not serve comes back as a permanent validation failure.
    if (!hasE164Shape(request.to)) {
      throw new PermanentDeliveryError('the destination is not a valid phone number in E.164 form');
    }
    if (Array.from(request.text).length > MAX_SMS_BODY_LENGTH) {
      throw new PermanentDeliveryError(
        `the message is longer than the ${MAX_SMS_BODY_LENGTH} characters SMS allows`,
      );
    }
    try {
      const result = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: request.to,
          OriginationIdentity: this.sms.originationIdentity,
          ConfigurationSetName: this.sms.configurationSetName,
          MessageBody: request.text,
          MessageType: 'TRANSACTIONAL',
          // Delivery events carry this back, so a status finds its message without our lookup.
          Context: { outboundId: request.id.slice(0, 100) },
        }),
      );
      if (!result.MessageId) throw new RetryableError('End User Messaging returned no message id');
      return { providerMessageId: result.MessageId };
    } catch (error) {
      throw classifySmsError(error);
    }
  }
}

/** Maps an End User Messaging error to the project's retry semantics. */
export function classifySmsError(error: unknown): unknown {
  if (error instanceof RetryableError || error instanceof PermanentDeliveryError) return error;
  if (error instanceof ConflictException && error.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') {
    return new DestinationOptedOutError(
      'the destination phone number is on the opt-out list of End User Messaging (the customer replied STOP or opted out at the carrier)',
      { cause: error },
    );
  }
  if (error instanceof ValidationException && error.Reason && error.Reason in PERMANENT_VALIDATION_REASONS) {
    return new PermanentDeliveryError(`${PERMANENT_VALIDATION_REASONS[error.Reason]} (${error.Reason})`, {
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  const throttled = name === 'ThrottlingException' || name === 'ServiceQuotaExceededException';
  if (throttled || name === 'InternalServerException' || (status !== undefined && status >= 500)) {
    return new RetryableError(
      `End User Messaging is unavailable or throttling (${name || status}); retry later`,
      {
        cause: error,
      },
    );
  }
  // Anything else is retried as before, described by its type and status only: its message may
  // quote the destination number or the text.
  return new ProviderError('End User Messaging', {
    type: name || 'UnknownError',
    ...(status === undefined ? {} : { status }),
    cause: error,
  });
}
