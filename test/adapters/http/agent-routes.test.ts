import { describe, expect, it } from 'vitest';
import {
  AGENT_ROUTES,
  agentRequest,
  matchAgentRoute,
  routeKey,
} from '../../../functions/adapters/http/agent-routes.ts';

describe('the agent route table as the inbox calls it', () => {
  it('builds a request for every route that the handler routes back to that route', () => {
    for (const route of AGENT_ROUTES) {
      // Act
      const request = agentRequest(routeKey(route), { id: 'conv/1 ü' } as never);
      const match = matchAgentRoute(request.method, request.path);

      // Assess
      expect(match.kind, routeKey(route)).toBe('route');
      if (match.kind !== 'route') continue;
      expect(routeKey(match.route)).toBe(routeKey(route));
      if (route.path.includes('{id}')) expect(decodeURIComponent(match.params.id ?? '')).toBe('conv/1 ü');
    }
  });

  it('encodes each parameter as one path segment', () => {
    // Act
    const request = agentRequest('POST /conversations/{id}/replies', { id: 'a/b?c' });

    // Assess
    expect(request).toEqual({ method: 'POST', path: '/conversations/a%2Fb%3Fc/replies' });
  });
});
