import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The body of every refusal and failure: a code a program branches on and a reason a person reads. */
export type ErrorBody =
  | { readonly error: string; readonly reason: string }
  | { readonly error: string; readonly field: string | undefined; readonly reason: string };

/** A JSON answer. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A small HTML page for people who followed a link or posted a form: `text` escaped, not cached. */
export function pageResponse(statusCode: number, text: string): APIGatewayProxyStructuredResultV2 {
  const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>switchboard</title><p>${escaped}</p>`,
  };
}
