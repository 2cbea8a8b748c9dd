import type { ConnectClient } from '@aws-sdk/client-connect';
import type { AgentTask, AgentTasks } from '../../core/ports/service-levels.ts';

/** A client built when it is first needed: a cold path loads its SDK package only then. */
export type OnDemand<T> = () => Promise<T>;

/** The Connect client itself (the sandbox, tests, voice events), or one built on first use. */
export type ConnectClientSource = ConnectClient | OnDemand<ConnectClient>;

let connectClient: Promise<ConnectClient> | undefined;

/**
 * Connect's client in the function's region, its SDK package loaded on the first call; one
 * client for the instance's lifetime.
 */
export const connectClientOnDemand: OnDemand<ConnectClient> = () => {
  connectClient ??= import('./connect-tasks-module.ts').then(
    ({ connectClientFromEnvironment }) => connectClientFromEnvironment(),
    (error: unknown) => {
      connectClient = undefined;
      throw error;
    },
  );
  return connectClient;
};

/**
 * Connect tasks (connect-tasks.ts) loaded on the first escalation: most events never escalate, so
 * a function's cold start does not pay for Connect's SDK. The loaded sender is kept for the
 * instance's lifetime, the client with it.
 */
export class OnDemandAgentTasks implements AgentTasks {
  private tasks?: Promise<AgentTasks>;

  constructor(
    private readonly client: ConnectClientSource,
    private readonly settings: {
      readonly instanceId: string;
      readonly taskContactFlowId: string;
      readonly conversationUrlTemplate?: string;
    },
  ) {}

  async create(task: AgentTask): Promise<{ readonly taskId: string }> {
    this.tasks ??= this.load();
    return (await this.tasks).create(task);
  }

  private async load(): Promise<AgentTasks> {
    try {
      const { ConnectAgentTasks } = await import('./connect-tasks-module.ts');
      const client = typeof this.client === 'function' ? await this.client() : this.client;
      return new ConnectAgentTasks(client, this.settings);
    } catch (error) {
      // A failed load is tried again on the next escalation, not remembered.
      this.tasks = undefined;
      throw error;
    }
  }
}
