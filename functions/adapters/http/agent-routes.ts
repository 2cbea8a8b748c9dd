/**
 * The agent API's routes and the OAuth scope each requires: the one list the handler routes by,
 * the CDK construct creates API Gateway routes (and their `authorizationScopes`) from, the
 * sandbox's agent auth checks tokens against, and the inbox app calls (`agentRequest`). Pure
 * data and string functions: the browser bundle imports this file too.
 */

/** Reading conversations, timelines and reports. */
export const AGENT_READ_SCOPE = 'switchboard/agent.read';
/** Answering, assigning, changing status and closing. */
export const AGENT_WRITE_SCOPE = 'switchboard/agent.write';
/** Merging customers and changing settings. */
export const ADMIN_SCOPE = 'switchboard/admin';

export const AGENT_SCOPES = [AGENT_READ_SCOPE, AGENT_WRITE_SCOPE, ADMIN_SCOPE] as const;
export type AgentScope = (typeof AGENT_SCOPES)[number];

export interface AgentRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway's route path: `{id}` is one path segment. */
  readonly path: string;
  readonly scope: AgentScope;
}

/**
 * The inbox's routes: private notes, labels, snoozes, the caller's read state, and canned
 * responses (read by every agent, changed by admins).
 */
const INBOX_ROUTES = [
  { method: 'POST', path: '/conversations/{id}/notes', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/labels', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/snooze', scope: AGENT_WRITE_SCOPE },
  // Only the caller's own read state (and, on a chat, the visitor's read tick): reading is enough.
  { method: 'POST', path: '/conversations/{id}/read', scope: AGENT_READ_SCOPE },
  { method: 'GET', path: '/canned-responses', scope: AGENT_READ_SCOPE },
  { method: 'POST', path: '/canned-responses', scope: ADMIN_SCOPE },
  { method: 'PUT', path: '/canned-responses/{id}', scope: ADMIN_SCOPE },
  { method: 'DELETE', path: '/canned-responses/{id}', scope: ADMIN_SCOPE },
] as const satisfies readonly AgentRoute[];

export const AGENT_ROUTES = [
  { method: 'GET', path: '/conversations', scope: AGENT_READ_SCOPE },
  { method: 'GET', path: '/conversations/{id}', scope: AGENT_READ_SCOPE },
  { method: 'POST', path: '/conversations/{id}/replies', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/assign', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/status', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/close', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/conversations/{id}/typing', scope: AGENT_WRITE_SCOPE },
  { method: 'GET', path: '/customers/{id}/timeline', scope: AGENT_READ_SCOPE },
  { method: 'GET', path: '/reports/channels', scope: AGENT_READ_SCOPE },
  { method: 'GET', path: '/reports/self-service', scope: AGENT_READ_SCOPE },
  // Customers, composer, merges: the sidebar, uploads for replies, and the admins' merges.
  { method: 'GET', path: '/customers/{id}', scope: AGENT_READ_SCOPE },
  { method: 'POST', path: '/conversations/{id}/attachments', scope: AGENT_WRITE_SCOPE },
  { method: 'POST', path: '/customers/merge', scope: ADMIN_SCOPE },
  { method: 'POST', path: '/conversations/merge', scope: ADMIN_SCOPE },
  ...INBOX_ROUTES,
] as const satisfies readonly AgentRoute[];

/** `GET /conversations/{id}`: API Gateway's route key. */
type RouteKeyOf<R> = R extends {
  readonly method: infer M extends string;
  readonly path: infer P extends string;
}
  ? `${M} ${P}`
  : never;
export type AgentRouteKey = RouteKeyOf<(typeof AGENT_ROUTES)[number]>;

export const routeKey = (route: AgentRoute): AgentRouteKey =>
  `${route.method} ${route.path}` as AgentRouteKey;

type ParameterNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParameterNames<Rest>
  : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;

/** The path parameters a route takes: `{ id }` for `GET /conversations/{id}`, none for `GET /conversations`. */
export type AgentRouteParams<K extends AgentRouteKey> = Readonly<Record<ParameterNames<PathOf<K>>, string>>;

/**
 * The method and the path (parameters filled in, each encoded as one path segment) of a call to
 * the route `key`: what a client sends, from the same table API Gateway routes by.
 */
export function agentRequest<K extends AgentRouteKey>(
  key: K,
  params: AgentRouteParams<K>,
): { readonly method: AgentRoute['method']; readonly path: string } {
  const space = key.indexOf(' ');
  const values = params as Readonly<Record<string, string>>;
  const path = key.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${key} needs its ${name}`);
    return encodeURIComponent(value);
  });
  return { method: key.slice(0, space) as AgentRoute['method'], path };
}

const patternOf = (path: string): RegExp =>
  new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`)}$`);

const COMPILED = AGENT_ROUTES.map((route) => ({
  route: route as AgentRoute,
  pattern: patternOf(route.path),
}));

export type AgentRouteMatch =
  | { readonly kind: 'route'; readonly route: AgentRoute; readonly params: Record<string, string> }
  /** The path is an agent route, the method is not: answer 405 with these in `Allow`. */
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

export function matchAgentRoute(method: string, path: string): AgentRouteMatch {
  const byPath = COMPILED.flatMap(({ route, pattern }) => {
    const match = path.match(pattern);
    return match ? [{ route, params: { ...match.groups } }] : [];
  });
  // A literal path (`/conversations/merge`) wins over a parameter (`/conversations/{id}`), as in API Gateway.
  const exact =
    byPath.find((candidate) => candidate.route.method === method && !candidate.route.path.includes('{')) ??
    byPath.find((candidate) => candidate.route.method === method);
  if (exact) return { kind: 'route', ...exact };
  if (byPath.length > 0)
    return { kind: 'wrong-method', allowed: [...new Set(byPath.map((c) => c.route.method))] };
  return { kind: 'none' };
}

/**
 * Set on the agent API function: the channels the deployment sends on, comma-separated
 * (`email,sms,whatsapp`), so the sidebar and the reply channel picker offer only those.
 */
export const AGENT_CHANNELS_VARIABLE = 'AGENT_CHANNELS';

/** Set (to `true`) on the agent API function when only a conversation's assignee may reply to it. */
export const AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE = 'AGENT_REPLIES_ONLY_BY_ASSIGNEE';
