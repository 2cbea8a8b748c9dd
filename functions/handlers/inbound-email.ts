import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { countInbound, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { parseInboundEmail } from '../channels/email/parse-inbound-email.ts';
import {
  type EmailInboundDeps,
  type ReceiveInboundResult,
  receiveInbound,
} from '../core/conversations/receive-inbound.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';
import type { VerdictStatus } from '../core/model.ts';
import type { RawMailSource } from '../core/ports/conversations.ts';

const VERDICTS = [
  'PASS',
  'FAIL',
  'GRAY',
  'PROCESSING_FAILED',
  'DISABLED',
] as const satisfies readonly VerdictStatus[];
const verdict = z.object({ status: z.enum(VERDICTS) });

/**
 * The SES receipt event as a Lambda action after an S3 action delivers it. Narrower than
 * Powertools' SesSchema on purpose: that one requires a Subject and a Return-Path and has no
 * DISABLED verdict, and real bounces and scans-off rules lack them; we read only these fields.
 */
const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.object({ messageId: z.string().min(1), timestamp: z.iso.datetime(), source: z.string() }),
          receipt: z.object({
            recipients: z.array(z.string()).min(1),
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
          }),
        }),
      }),
    )
    .min(1),
});

/** receiveInbound's dependencies and the raw MIME the receipt rule stored. */
export interface InboundEmailDeps extends EmailInboundDeps {
  readonly rawMail: RawMailSource;
}

export function makeInboundEmailHandler(getDeps: () => InboundEmailDeps) {
  return middy(async function receiveInboundEmail(event: unknown): Promise<ReceiveInboundResult[]> {
    const parsed = sesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError(`not an SES receipt event: ${z.prettifyError(parsed.error)}`);
    }
    const deps = getDeps();
    const results: ReceiveInboundResult[] = [];
    for (const { ses } of parsed.data.Records) {
      const log = { sesMessageId: ses.mail.messageId };
      try {
        const raw = await deps.rawMail.read(ses.mail.messageId);
        const email = await parseInboundEmail(
          raw,
          {
            sesMessageId: ses.mail.messageId,
            timestamp: ses.mail.timestamp,
            source: ses.mail.source,
            recipients: ses.receipt.recipients,
            verdicts: {
              spam: ses.receipt.spamVerdict.status,
              virus: ses.receipt.virusVerdict.status,
              spf: ses.receipt.spfVerdict.status,
              dkim: ses.receipt.dkimVerdict.status,
              dmarc: ses.receipt.dmarcVerdict.status,
            },
          },
          { supportAddress: deps.config.supportAddress },
        );
        const result = await receiveInbound(deps, email);
        countInbound('email', result);
        logger.info('inbound email received', {
          ...log,
          conversationId: result.conversationId,
          duplicate: result.duplicate,
          autoReplyQueued: result.autoReply.queued,
          autoReplySkipped: result.autoReply.reasons,
          attachments: email.attachments.length,
        });
        results.push(result);
      } catch (error) {
        // Thrown on: Lambda retries the event and then hands it to the failure destination,
        // and the raw mail stays in S3, so nothing is lost.
        // A concurrent delivery of the same event is expected, not an error worth paging for.
        const level = error instanceof RetryableError ? 'warn' : 'error';
        logger[level]('inbound email failed', { ...log, error: describeError(error) });
        throw error;
      }
    }
    return results;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware());
}
