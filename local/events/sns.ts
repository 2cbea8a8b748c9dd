import type { SNSEvent } from 'aws-lambda';

/** The topic End User Messaging publishes inbound SMS to. */
export const INBOUND_SMS_TOPIC_ARN = 'arn:aws:sns:eu-central-1:000000000000:switchboard-inbound-sms';

/** One inbound SMS (End User Messaging's JSON in `message`) as SNS delivers it to the inbound-sms function. */
export function inboundSmsNotification(snsMessageId: string, message: string, at: Date): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${INBOUND_SMS_TOPIC_ARN}:5f3c1d2e-0000-4000-8000-000000000000`,
        Sns: {
          Type: 'Notification',
          MessageId: snsMessageId,
          TopicArn: INBOUND_SMS_TOPIC_ARN,
          // SNS writes null for a notification without a subject.
          Subject: null as unknown as string,
          Message: message,
          Timestamp: at.toISOString(),
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.eu-central-1.amazonaws.com/cert.pem',
          UnsubscribeUrl: 'https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}
