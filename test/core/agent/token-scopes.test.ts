import { describe, expect, it } from 'vitest';
import { ADMIN_GROUP, scopesToSuppress } from '../../../functions/core/agent/token-scopes.ts';

describe('scopesToSuppress', () => {
  it('takes the admin scope out of the token of an agent outside the admins group', () => {
    // Act
    const suppressed = scopesToSuppress(['night-shift'], 'switchboard/admin');

    // Assess
    expect(suppressed).toEqual(['switchboard/admin']);
  });

  it('takes it out of the token of an agent in no group', () => {
    // Act / Assess
    expect(scopesToSuppress([], 'switchboard/admin')).toEqual(['switchboard/admin']);
  });

  it('leaves every scope to a member of the admins group', () => {
    // Act / Assess
    expect(scopesToSuppress(['night-shift', ADMIN_GROUP], 'switchboard/admin')).toEqual([]);
  });
});
