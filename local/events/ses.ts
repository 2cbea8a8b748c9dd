import type { SESEvent } from 'aws-lambda';

/** The five verdicts SES puts on a receipt (`PASS`, `FAIL`, `GRAY`, …); any left out pass. */
export interface SesVerdicts {
  readonly spam?: string;
  readonly virus?: string;
  readonly spf?: string;
  readonly dkim?: string;
  readonly dmarc?: string;
}

export interface SesReceipt {
  /** SES's message id, also the key of the raw mail it stored (`inbound/<messageId>`). */
  readonly messageId: string;
  /** The envelope sender (MAIL FROM). */
  readonly source: string;
  readonly recipients: readonly string[];
  readonly at: Date;
  readonly verdicts?: SesVerdicts;
}

/**
 * The event an SES receipt rule's Lambda action hands the inbound-email function for one mail
 * (the raw mail itself is in S3, stored by the rule's S3 action before it).
 */
export function sesReceiptEvent(receipt: SesReceipt): SESEvent {
  const at = receipt.at.toISOString();
  const verdict = (name: keyof SesVerdicts) => ({ status: receipt.verdicts?.[name] ?? 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: at,
            source: receipt.source,
            messageId: receipt.messageId,
            destination: [...receipt.recipients],
            headersTruncated: false,
            headers: [],
            // The functions read the headers from the raw mail, so none are parsed here.
            commonHeaders: {},
          },
          receipt: {
            timestamp: at,
            processingTimeMillis: 120,
            recipients: [...receipt.recipients],
            spamVerdict: verdict('spam'),
            virusVerdict: verdict('virus'),
            spfVerdict: verdict('spf'),
            dkimVerdict: verdict('dkim'),
            dmarcVerdict: verdict('dmarc'),
            dmarcPolicy: 'none',
            action: {
              type: 'Lambda',
              invocationType: 'Event',
              functionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:switchboard-inbound-email',
            },
          },
        },
      },
    ],
  } as unknown as SESEvent;
}
