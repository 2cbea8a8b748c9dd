const INBOUND_SMS_TOPIC_ARN = 'arn:aws:sns:eu-central-1:111122223333:switchboard-inbound-sms';

/** One inbound SMS (End User Messaging's JSON in `message`) as SNS delivers it to the inbound-sms function. */
export function inboundSmsNotification(snsMessageId: string, message: string, at: Date) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${INBOUND_SMS_TOPIC_ARN}:0f0e`,
        Sns: {
          Type: 'Notification',
          MessageId: snsMessageId,
          TopicArn: INBOUND_SMS_TOPIC_ARN,
          Subject: null,
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
