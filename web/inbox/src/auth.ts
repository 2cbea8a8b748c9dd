/**
 * How the inbox gets the agent's token: the sandbox hands one over in `config.json`; a deployment
 * signs the agent in at its hosted sign-in (OAuth 2.0 authorization code with PKCE, RFC 7636).
 * Tokens live in sessionStorage: gone when the tab closes, never in a cookie the API would take.
 */
import type { InboxAppConfig, InboxSignIn } from '../app-config.ts';

type OAuth = Extract<InboxSignIn, { kind: 'oauth' }>;

const STORE = 'switchboard.inbox.session';
const PENDING = 'switchboard.inbox.pending';

interface StoredSession {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface Session {
  /** The bearer token for the API and the WebSocket. */
  token(): string;
  /** The agent the token speaks for (JWT `sub`), when it can be read. */
  readonly agentId: string | undefined;
  /** OAuth scopes of the token; every scope for the sandbox token. */
  readonly scopes: readonly string[];
  /** After a 401: a fresh token if one can be had without the agent, else false. */
  refresh(): Promise<boolean>;
  /** Sends the agent to sign in again (OAuth) — the page goes away. */
  signInAgain(): void;
  signOut(): void;
}

export const ALL_SCOPES = ['switchboard/agent.read', 'switchboard/agent.write', 'switchboard/admin'];
/** The sandbox agent's id: the development token carries no claims. */
const SANDBOX_AGENT = 'dev-agent';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(length = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/** The claims of a JWT, unverified: only to show who is signed in; the API verifies. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sessionFromToken(
  token: () => string,
  handlers: Pick<Session, 'refresh' | 'signInAgain' | 'signOut'>,
): Session {
  const claims = jwtClaims(token());
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  const scope = typeof claims?.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : undefined;
  return {
    token,
    agentId: claims ? sub : SANDBOX_AGENT,
    scopes: claims ? (scope ?? []) : ALL_SCOPES,
    ...handlers,
  };
}

function readStored(): StoredSession | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as StoredSession | null;
    return value && typeof value.accessToken === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

async function tokenRequest(signIn: OAuth, body: Record<string, string>): Promise<StoredSession | undefined> {
  const answer = await fetch(signIn.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: signIn.clientId, ...body }),
  });
  if (!answer.ok) return undefined;
  const json = (await answer.json()) as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
  };
  if (!json.access_token) return undefined;
  const stored: StoredSession = {
    accessToken: json.access_token,
    refreshToken: json.refresh_token ?? body.refresh_token,
    expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(STORE, JSON.stringify(stored));
  return stored;
}

async function redirectToSignIn(signIn: OAuth): Promise<never> {
  const verifier = randomText(48);
  const state = randomText(16);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(signIn.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: signIn.scopes.join(' '),
    state,
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
  // The page is going away; nothing after this runs.
  return new Promise<never>(() => {});
}

/** Signs the agent in (or finds the session of this tab); for OAuth this may leave the page. */
export async function signIn(config: InboxAppConfig): Promise<Session> {
  const signInConfig = config.signIn;
  if (signInConfig.kind === 'token') {
    const fixed = signInConfig.token;
    return sessionFromToken(() => fixed, {
      refresh: async () => false,
      signInAgain: () => location.reload(),
      signOut: () => {},
    });
  }
  const oauth = signInConfig;
  const here = new URL(location.href);
  const code = here.searchParams.get('code');
  let stored = readStored();
  if (code) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
      verifier: string;
      state: string;
    } | null;
    sessionStorage.removeItem(PENDING);
    // Drop code and state from the address bar: a reload must not replay them.
    history.replaceState(null, '', oauth.redirectUri);
    if (pending && pending.state === here.searchParams.get('state')) {
      stored = await tokenRequest(oauth, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: oauth.redirectUri,
        code_verifier: pending.verifier,
      });
    }
  }
  if (stored && stored.expiresAt <= Date.now() + 30_000 && stored.refreshToken) {
    stored = await tokenRequest(oauth, { grant_type: 'refresh_token', refresh_token: stored.refreshToken });
  }
  if (!stored) return redirectToSignIn(oauth);
  let current = stored;
  const signInAgain = () => {
    sessionStorage.removeItem(STORE);
    void redirectToSignIn(oauth);
  };
  return sessionFromToken(() => current.accessToken, {
    async refresh() {
      if (!current.refreshToken) return false;
      const next = await tokenRequest(oauth, {
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
      });
      if (!next) return false;
      current = next;
      return true;
    },
    signInAgain,
    signOut() {
      sessionStorage.removeItem(STORE);
      if (oauth.logoutUrl) {
        const url = new URL(oauth.logoutUrl);
        url.searchParams.set('client_id', oauth.clientId);
        url.searchParams.set('logout_uri', oauth.redirectUri);
        location.assign(url.toString());
      } else signInAgain();
    },
  });
}
