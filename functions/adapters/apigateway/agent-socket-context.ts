import * as z from 'zod';

/**
 * How the `$connect` authorizer marks an agent's connection, flat strings as API Gateway hands
 * the context to every route of the connection. A visitor's context has no `kind` (and always a
 * `visitorId`), an agent's has `kind: 'agent'` and no `visitorId`: neither can pass for the other,
 * and only the authorizer writes it.
 */
export const AGENT_CONTEXT_KIND = 'agent';

const agentContextSchema = z.object({
  kind: z.literal(AGENT_CONTEXT_KIND),
  agentId: z.string().min(1).max(256),
});

export function agentContext(agentId: string): Record<string, string> {
  return { kind: AGENT_CONTEXT_KIND, agentId };
}

/** The agent of a route event, from its authorizer context; undefined for a visitor's. */
export function agentFromContext(context: unknown): { readonly agentId: string } | undefined {
  const parsed = agentContextSchema.safeParse(context ?? {});
  return parsed.success ? { agentId: parsed.data.agentId } : undefined;
}

/** The query parameter an agent's inbox connects with (browsers cannot set headers on a WebSocket). */
export const AGENT_TOKEN_PARAMETER = 'agentToken';

/** The routes only agents' connections may use (route selection `$request.body.action`). */
export const AGENT_SOCKET_ROUTES = ['agent.ping'] as const;
