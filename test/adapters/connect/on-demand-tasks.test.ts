import { type ConnectClient, StartTaskContactCommand } from '@aws-sdk/client-connect';
import { describe, expect, it, vi } from 'vitest';
import { OnDemandAgentTasks } from '../../../functions/adapters/connect/on-demand-tasks.ts';
import type { AgentTask } from '../../../functions/core/ports/service-levels.ts';
import {
  CONNECT_TASK_FLOW_ID as FLOW_ID,
  CONNECT_INSTANCE_ID as INSTANCE_ID,
  mockedConnectClient,
  sensitiveWordsTask,
} from '../../support/connect-mock.ts';

const { client, connect } = mockedConnectClient();

const task = (clientToken: string): AgentTask => sensitiveWordsTask(clientToken, 'sms');

describe('OnDemandAgentTasks', () => {
  it('starts the task through the given client, as the task sender itself does', async () => {
    // Prepare
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'task-contact-1' });
    const tasks = new OnDemandAgentTasks(client, { instanceId: INSTANCE_ID, taskContactFlowId: FLOW_ID });

    // Act
    const created = await tasks.create(task('tok-1'));

    // Assess
    expect(created).toEqual({ taskId: 'task-contact-1' });
    expect(connect.commandCalls(StartTaskContactCommand)[0]?.args[0].input).toMatchObject({
      InstanceId: INSTANCE_ID,
      ContactFlowId: FLOW_ID,
      ClientToken: 'tok-1',
    });
  });

  it('builds an on-demand client once, on the first task, and reuses it', async () => {
    // Prepare
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'task-contact-2' });
    const source = vi.fn(async () => client);
    const tasks = new OnDemandAgentTasks(source, { instanceId: INSTANCE_ID, taskContactFlowId: FLOW_ID });

    // Act
    const built = source.mock.calls.length;
    await tasks.create(task('tok-1'));
    await tasks.create(task('tok-2'));

    // Assess
    expect(built).toBe(0);
    expect(source).toHaveBeenCalledTimes(1);
    expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(2);
  });

  it('tries the client again on the next task when building it failed', async () => {
    // Prepare
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'task-contact-3' });
    const source = vi
      .fn<() => Promise<ConnectClient>>()
      .mockRejectedValueOnce(new Error('no credentials yet'))
      .mockResolvedValue(client);
    const tasks = new OnDemandAgentTasks(source, { instanceId: INSTANCE_ID, taskContactFlowId: FLOW_ID });

    // Act
    await expect(tasks.create(task('tok-1'))).rejects.toThrow('no credentials yet');
    const created = await tasks.create(task('tok-1'));

    // Assess
    expect(created).toEqual({ taskId: 'task-contact-3' });
    expect(source).toHaveBeenCalledTimes(2);
  });
});
