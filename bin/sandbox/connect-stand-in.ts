import { createHash } from 'node:crypto';
import type {
  ConnectClient,
  DescribeContactCommandInput,
  StartTaskContactCommandInput,
} from '@aws-sdk/client-connect';
import type { ConnectSettings } from '../../functions/adapters/connect/connect-settings.ts';

/** The Connect instance the sandbox pretends to have; tasks are routed by its "task flow". */
export const SANDBOX_CONNECT_SETTINGS: ConnectSettings = {
  instanceId: '5a1db0c5-0000-4000-8000-00000000c0de',
  taskContactFlowId: '7a5cf10e-0000-4000-8000-00000000a5c0',
  conversationUrlTemplate: 'https://agent.support.example.com/conversations/{conversationId}',
  vipCustomerIds: new Set(),
};

/** A task the sandbox's Connect twin was asked to create (StartTaskContact), for the report. */
export interface SandboxTask {
  readonly taskId: string;
  readonly name: string;
  readonly description?: string;
  readonly contactFlowId?: string;
  readonly references: Record<string, { type?: string; value?: string }>;
  readonly attributes: Record<string, string>;
}

/**
 * The Amazon Connect API as the sandbox answers it, behind a real ConnectClient (a middleware
 * answers before anything is sent), so the real adapters run: DescribeContact knows the contacts
 * the sandbox's contact flow saw; StartTaskContact records the task, once per client token.
 */
export class SandboxConnectApi {
  private readonly contacts = new Map<
    string,
    { address?: string; type?: string; channel?: string; method?: string }
  >();
  private readonly tasksByToken = new Map<string, SandboxTask>();

  /** A contact flow event the sandbox passed to the lookup: Connect would know this contact. */
  sawContact(
    contactId: string,
    contact: { address?: string; type?: string; channel?: string; method?: string },
  ): void {
    if (!this.contacts.has(contactId)) this.contacts.set(contactId, contact);
  }

  get tasks(): SandboxTask[] {
    return [...this.tasksByToken.values()];
  }

  /**
   * Hands over the tasks recorded so far and forgets them (see SandboxEngine.takeRecords): a
   * long run would otherwise keep every escalation task. A client token taken this way no longer
   * makes a repeat a no-op here, as Connect forgets its tokens after a while too.
   */
  takeTasks(): SandboxTask[] {
    const tasks = this.tasks;
    this.tasksByToken.clear();
    return tasks;
  }

  attachTo(client: ConnectClient): void {
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName ?? '');
        if (command === 'DescribeContactCommand') {
          return { output: this.describe(args.input as DescribeContactCommandInput), response: {} } as never;
        }
        if (command === 'StartTaskContactCommand') {
          return {
            output: this.startTask(args.input as StartTaskContactCommandInput),
            response: {},
          } as never;
        }
        const error = new Error(`the sandbox's Connect has no ${command}`);
        error.name = 'AccessDeniedException';
        throw error;
      },
      { step: 'initialize', name: 'sandboxConnectApi' },
    );
  }

  private describe(input: DescribeContactCommandInput) {
    const contact = input.ContactId ? this.contacts.get(input.ContactId) : undefined;
    if (!contact) {
      const error = new Error(`Contact not found: ${input.ContactId}`);
      error.name = 'ResourceNotFoundException';
      throw error;
    }
    return {
      $metadata: { httpStatusCode: 200 },
      Contact: {
        Id: input.ContactId,
        Channel: contact.channel ?? 'VOICE',
        InitiationMethod: contact.method ?? 'INBOUND',
        ...(contact.address
          ? { CustomerEndpoint: { Type: contact.type ?? 'TELEPHONE_NUMBER', Address: contact.address } }
          : {}),
      },
    };
  }

  private startTask(input: StartTaskContactCommandInput) {
    const token = input.ClientToken ?? JSON.stringify([input.Name, input.Description]);
    let task = this.tasksByToken.get(token);
    if (!task) {
      task = {
        taskId: `task-${createHash('sha256').update(token).digest('hex').slice(0, 12)}`,
        name: input.Name ?? '',
        ...(input.Description ? { description: input.Description } : {}),
        ...(input.ContactFlowId ? { contactFlowId: input.ContactFlowId } : {}),
        references: Object.fromEntries(
          Object.entries(input.References ?? {}).map(([name, ref]) => [
            name,
            { type: ref.Type, value: ref.Value },
          ]),
        ),
        attributes: { ...(input.Attributes ?? {}) },
      };
      this.tasksByToken.set(token, task);
    }
    return { $metadata: { httpStatusCode: 200 }, ContactId: task.taskId };
  }
}
