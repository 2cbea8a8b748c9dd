import { ConnectClient } from '@aws-sdk/client-connect';

/**
 * What the first escalation loads (on-demand-tasks.ts): the task sender and Connect's client,
 * named one by one. Everything a module loaded with `import()` exports stays in the bundle, so
 * this one exports only these two, not the SDK package's every command.
 */
export { ConnectAgentTasks } from './connect-tasks.ts';

/** Connect's client in the function's region. */
export function connectClientFromEnvironment(): ConnectClient {
  return new ConnectClient({});
}
