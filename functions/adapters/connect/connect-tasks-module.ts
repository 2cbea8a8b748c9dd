import { ConnectClient } from '@aws-sdk/client-connect';

/**
 * What the first use of Connect loads (on-demand-tasks.ts, connect-contacts.ts): the task sender,
 * Connect's client and DescribeContact, named one by one. Everything a module loaded with `import()` exports stays in the bundle, so
 * this one exports only these two, not the SDK package's every command.
 */
export { DescribeContactCommand } from '@aws-sdk/client-connect';
export { ConnectAgentTasks } from './connect-tasks.ts';

/** Connect's client in the function's region. */
export function connectClientFromEnvironment(): ConnectClient {
  return new ConnectClient({});
}
