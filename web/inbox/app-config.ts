/**
 * The inbox's run-time settings: `config.json` beside the app, written by the stack at deploy
 * time and served by the sandbox. The app reads it before anything else, so one build serves
 * every deployment.
 */

/** How the app gets an agent's token. */
export type InboxSignIn =
  /** The sandbox: a development token, already signed in as the sandbox agent. */
  | { readonly kind: 'token'; readonly token: string }
  /**
   * OAuth 2.0 authorization code with PKCE against a hosted sign-in (a Cognito user pool's
   * domain, or the external issuer the config names).
   */
  | {
      readonly kind: 'oauth';
      /** e.g. `https://<domain>.auth.<region>.amazoncognito.com/oauth2/authorize` */
      readonly authorizeUrl: string;
      readonly tokenUrl: string;
      /** Where the hosted sign-in sends the agent back: the app's own URL. */
      readonly redirectUri: string;
      readonly logoutUrl?: string;
      readonly clientId: string;
      readonly scopes: readonly string[];
    };

export interface InboxAppConfig {
  /** The agent API's base URL without a trailing slash (`''`: the app's own origin). */
  readonly apiBaseUrl: string;
  /** The WebSocket API agents connect to for live updates (`wss://…`, or `ws://…` in the sandbox). */
  readonly webSocketUrl: string;
  readonly signIn: InboxSignIn;
  /** The UI language when the browser's is neither: `tr` or `en`. */
  readonly defaultLanguage: 'tr' | 'en';
}

export class InboxConfigError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`config.json: ${field} ${reason}`);
    this.name = 'InboxConfigError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(source: Record<string, unknown>, field: string, path: string): string {
  const value = source[field];
  if (typeof value !== 'string') throw new InboxConfigError(`${path}${field}`, 'must be a string');
  return value;
}

function url(
  source: Record<string, unknown>,
  field: string,
  path: string,
  schemes: readonly string[],
): string {
  const value = text(source, field, path);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InboxConfigError(`${path}${field}`, 'must be an absolute URL');
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new InboxConfigError(`${path}${field}`, `must use ${schemes.join(' or ')}`);
  }
  return value;
}

/** Checks `config.json`; the error names the field, so a broken deployment says what to fix. */
export function parseInboxAppConfig(input: unknown): InboxAppConfig {
  if (!isRecord(input)) throw new InboxConfigError('(root)', 'must be a JSON object');
  const apiBaseUrl = text(input, 'apiBaseUrl', '');
  if (apiBaseUrl !== '') url(input, 'apiBaseUrl', '', ['https:', 'http:']);
  if (apiBaseUrl.endsWith('/')) throw new InboxConfigError('apiBaseUrl', 'must not end with "/"');
  const webSocketUrl = url(input, 'webSocketUrl', '', ['wss:', 'ws:']);
  const language = input.defaultLanguage ?? 'en';
  if (language !== 'tr' && language !== 'en') {
    throw new InboxConfigError('defaultLanguage', 'must be "tr" or "en"');
  }
  const signIn = input.signIn;
  if (!isRecord(signIn)) throw new InboxConfigError('signIn', 'must be an object');
  if (signIn.kind === 'token') {
    return {
      apiBaseUrl,
      webSocketUrl,
      defaultLanguage: language,
      signIn: { kind: 'token', token: text(signIn, 'token', 'signIn.') },
    };
  }
  if (signIn.kind !== 'oauth') throw new InboxConfigError('signIn.kind', 'must be "token" or "oauth"');
  const scopes = signIn.scopes;
  if (!Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === 'string')) {
    throw new InboxConfigError('signIn.scopes', 'must be a list of strings');
  }
  return {
    apiBaseUrl,
    webSocketUrl,
    defaultLanguage: language,
    signIn: {
      kind: 'oauth',
      authorizeUrl: url(signIn, 'authorizeUrl', 'signIn.', ['https:']),
      tokenUrl: url(signIn, 'tokenUrl', 'signIn.', ['https:']),
      redirectUri: url(signIn, 'redirectUri', 'signIn.', ['https:', 'http:']),
      ...(signIn.logoutUrl === undefined
        ? {}
        : { logoutUrl: url(signIn, 'logoutUrl', 'signIn.', ['https:']) }),
      clientId: text(signIn, 'clientId', 'signIn.'),
      scopes,
    },
  };
}
