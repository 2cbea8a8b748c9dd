/**
 * Which of the agent API's scopes an agent's access token may carry. Cognito grants an app
 * client's scopes to every user of the pool alike; the admin scope (merging customers and
 * conversations, settings) is for the members of one group only, so it is taken out of every
 * other agent's token when the token is made.
 */

/** The user-pool group whose members keep the admin scope. */
export const ADMIN_GROUP = 'admins';

/** The scopes to take out of the token of an agent in `groups`. */
export function scopesToSuppress(groups: readonly string[], adminScope: string): string[] {
  return groups.includes(ADMIN_GROUP) ? [] : [adminScope];
}
