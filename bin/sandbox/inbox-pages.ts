import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboxAppConfig } from '../../web/inbox/app-config.ts';
import { buildInboxApp, type InboxAppFiles } from '../../web/inbox/build.ts';

let built: Promise<InboxAppFiles> | undefined;

/** The inbox, built in memory (esbuild, offline, well under a second): a fresh clone needs no build step. */
export function inboxApp(): Promise<InboxAppFiles> {
  built ??= buildInboxApp();
  return built;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** What CloudFront's response-headers policy adds to the deployed inbox, with the sandbox's socket allowed. */
function securityHeaders(host: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self' ws://${host} http://${host}; form-action 'self'; frame-ancestors 'none'; base-uri 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
  };
}

/** The host the browser used (so the socket URL works from whatever name it reached us by), else ours. */
function hostOf(request: IncomingMessage, port: number): string {
  const host = request.headers.host ?? '';
  return /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host) ? host : `127.0.0.1:${port}`;
}

/** The sandbox's `config.json`: already signed in as the sandbox agent. */
export function sandboxInboxConfig(
  host: string,
  token: string,
  defaultLanguage: 'tr' | 'en',
): InboxAppConfig {
  return {
    apiBaseUrl: '',
    webSocketUrl: `ws://${host}/chat/ws`,
    signIn: { kind: 'token', token },
    defaultLanguage,
  };
}

/**
 * Answers `GET /`, `/config.json` and the inbox's assets; false when the path is none of them.
 * Assets carry a content hash in their names, so they may be cached; the page and config may not.
 */
export async function serveInbox(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  site: { readonly port: number; readonly token: string; readonly defaultLanguage: string },
): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const host = hostOf(request, site.port);
  if (path === '/config.json') {
    const language = site.defaultLanguage === 'en' ? 'en' : 'tr';
    response.writeHead(200, { 'content-type': CONTENT_TYPES.json ?? '', 'cache-control': 'no-store' });
    response.end(
      request.method === 'HEAD' ? undefined : JSON.stringify(sandboxInboxConfig(host, site.token, language)),
    );
    return true;
  }
  const files = await inboxApp();
  const relative = path === '/' || path === '/index.html' ? 'index.html' : path.slice(1);
  const file = files.get(relative);
  if (file === undefined) return false;
  const extension = relative.slice(relative.lastIndexOf('.') + 1);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'cache-control': relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...securityHeaders(host),
  });
  response.end(request.method === 'HEAD' ? undefined : file);
  return true;
}
