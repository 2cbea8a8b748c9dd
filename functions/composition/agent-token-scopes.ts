import { makeAgentTokenScopesHandler } from '../handlers/agent-token-scopes.ts';

/** The Cognito pre-token-generation trigger: no client, no settings, no ports. */
export const handler = makeAgentTokenScopesHandler();
