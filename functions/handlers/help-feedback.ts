import { createHash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { BODY_LIMITS, headerValue, jsonOf, readRequestBody } from '../adapters/http/request.ts';
import { jsonResponse } from '../adapters/http/responses.ts';
import { logger } from '../adapters/observability.ts';
import { InvalidInputError } from '../core/errors.ts';
import {
  type ArticleFeedbackDeps,
  articleFeedbackRequestSchema,
  receiveArticleFeedback,
} from '../core/knowledge-base/feedback.ts';

/** The page without its script posted a plain form: a plain page answers it. */
const THANK_YOU_PAGE =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Thank you</title><p>Thank you for your feedback. / Teşekkürler, geri bildiriminiz alındı.</p></html>';

/**
 * `POST /help/feedback`: "was this helpful?" from a help-center page, as JSON (the page's script)
 * or as a plain form post (no script). 202 when stored, 400 with the field for wrong input,
 * 429 with Retry-After when one client sends too many.
 */
export function makeHelpFeedbackHandler(getDeps: () => ArticleFeedbackDeps) {
  return middy(async function handleArticleFeedback(
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const raw = readRequestBody(event, BODY_LIMITS.helpFeedback);
    const form = (headerValue(event.headers, 'content-type') ?? '').startsWith(
      'application/x-www-form-urlencoded',
    );
    const request = parseFeedback(raw, form);
    const result = await receiveArticleFeedback(getDeps(), { request, client: clientOf(event) });
    logger.info('article feedback stored', { slug: request.slug, language: request.language });
    if (form) {
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: THANK_YOU_PAGE,
      };
    }
    return jsonResponse(202, { status: 'stored', id: result.id });
  })
    .use(injectLambdaContext(logger))
    .use(
      httpErrorMapping({
        refusedLog: 'article feedback refused',
        failedLog: 'article feedback failed',
        failureReason: 'the feedback could not be stored; try again later',
      }),
    );
}

function parseFeedback(raw: Buffer, form: boolean) {
  let value: unknown;
  if (form) {
    const fields = new URLSearchParams(raw.toString('utf8'));
    const comment = fields.get('comment') ?? '';
    value = {
      slug: fields.get('slug'),
      language: fields.get('language'),
      helpful: fields.get('helpful') === 'yes' ? true : fields.get('helpful') === 'no' ? false : undefined,
      ...(comment.trim() ? { comment } : {}),
    };
  } else {
    value = jsonOf(raw);
  }
  const parsed = articleFeedbackRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(z.prettifyError(parsed.error), { field: issue?.path.join('.') || 'body' });
  }
  return parsed.data;
}

/**
 * Who is asking, for the throttle only: a hash of the address, never the address itself. Behind
 * CloudFront the source is an edge server; CloudFront-Viewer-Address ("ip:port", set by
 * CloudFront, not the viewer) names the reader.
 */
function clientOf(event: APIGatewayProxyEventV2): string {
  const viewer = headerValue(event.headers, 'cloudfront-viewer-address');
  const address = viewer
    ? viewer.slice(0, viewer.lastIndexOf(':'))
    : (event.requestContext?.http?.sourceIp ?? 'unknown');
  return createHash('sha256').update(address).digest('hex').slice(0, 24);
}
