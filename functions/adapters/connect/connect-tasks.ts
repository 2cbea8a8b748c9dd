import { type ConnectClient, StartTaskContactCommand } from '@aws-sdk/client-connect';
import { RetryableError } from '../../core/errors.ts';
import type { AgentTask, AgentTasks } from '../../core/ports/service-levels.ts';

/**
 * Escalations as Amazon Connect tasks (StartTaskContact) routed by the configured flow. The
 * client token makes Connect create one task per escalation, however often it is asked.
 */
export class ConnectAgentTasks implements AgentTasks {
  constructor(
    private readonly connect: ConnectClient,
    private readonly settings: {
      readonly instanceId: string;
      readonly taskContactFlowId: string;
      readonly conversationUrlTemplate?: string;
    },
  ) {}

  async create(task: AgentTask): Promise<{ taskId: string }> {
    try {
      const result = await this.connect.send(
        new StartTaskContactCommand(startTaskInput(task, this.settings)),
      );
      if (!result.ContactId) throw new RetryableError('StartTaskContact answered without a contact id');
      return { taskId: result.ContactId };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (
        name === 'ThrottlingException' ||
        name === 'InternalServiceException' ||
        name === 'ServiceQuotaExceededException'
      ) {
        throw new RetryableError(`StartTaskContact failed: ${name}`, { cause: error });
      }
      throw error;
    }
  }
}

/** The request, with a link to the conversation (URL reference) or its id (string reference). */
export function startTaskInput(
  task: AgentTask,
  settings: {
    readonly instanceId: string;
    readonly taskContactFlowId: string;
    readonly conversationUrlTemplate?: string;
  },
) {
  const url = settings.conversationUrlTemplate?.replaceAll(
    '{conversationId}',
    encodeURIComponent(task.conversationId),
  );
  return {
    InstanceId: settings.instanceId,
    ContactFlowId: settings.taskContactFlowId,
    Name: task.name.slice(0, 512),
    Description: task.description.slice(0, 4096),
    ClientToken: task.clientToken.slice(0, 500),
    Attributes: { conversationId: task.conversationId, customerId: task.customerId },
    References: url
      ? { Conversation: { Type: 'URL' as const, Value: url } }
      : { Conversation: { Type: 'STRING' as const, Value: task.conversationId } },
  };
}
