import { describe, expect, it } from 'vitest';
import { ADMIN_SCOPE } from '../../functions/adapters/http/agent-routes.ts';
import { makeAgentTokenScopesHandler } from '../../functions/handlers/agent-token-scopes.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

/** A pre token generation event (version 2) as Cognito sends it for a hosted sign-in. */
function tokenEvent(groups: string[] | undefined) {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Example1',
    userName: '7c1f0c2e-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'inbox-client' },
    request: {
      userAttributes: { sub: '7c1f0c2e-0000-4000-8000-000000000001', email: 'agent@shop.example' },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: null },
      scopes: ['openid', 'email', 'switchboard/agent.read', 'switchboard/agent.write', ADMIN_SCOPE],
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
}

const context = lambdaContext('agent-token-scopes');

describe('agent token scopes trigger', () => {
  it('suppresses the admin scope for an agent outside the admins group', async () => {
    // Prepare
    const handler = makeAgentTokenScopesHandler();

    // Act
    const result = (await handler(tokenEvent(['support']), context)) as ReturnType<typeof tokenEvent>;

    // Assess
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToSuppress: [ADMIN_SCOPE] } },
    });
    expect(result.request.userAttributes.email).toBe('agent@shop.example');
  });

  it('keeps every scope for a member of the admins group', async () => {
    // Prepare
    const handler = makeAgentTokenScopesHandler();

    // Act
    const result = (await handler(tokenEvent(['admins']), context)) as ReturnType<typeof tokenEvent>;

    // Assess
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToSuppress: [] } },
    });
  });

  it('withholds the admin scope when the event has no group list or cannot be read', async () => {
    // Prepare
    const handler = makeAgentTokenScopesHandler();

    // Act
    const noGroups = (await handler(tokenEvent(undefined), context)) as ReturnType<typeof tokenEvent>;
    const unreadable = (await handler({ request: 'nonsense' }, context)) as ReturnType<typeof tokenEvent>;

    // Assess
    for (const result of [noGroups, unreadable]) {
      expect(result.response).toEqual({
        claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToSuppress: [ADMIN_SCOPE] } },
      });
    }
  });
});
