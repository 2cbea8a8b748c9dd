import {
  DescribeContactCommand,
  ResourceNotFoundException,
  StartTaskContactCommand,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { ConnectApiContacts } from '../../../functions/adapters/connect/connect-contacts.ts';
import { connectSettingsFromEnvironment } from '../../../functions/adapters/connect/connect-settings.ts';
import { ConnectAgentTasks } from '../../../functions/adapters/connect/connect-tasks.ts';
import { ConfigurationError, RetryableError } from '../../../functions/core/errors.ts';
import type { AgentTask } from '../../../functions/core/ports/service-levels.ts';
import {
  CONNECT_TASK_FLOW_ID as FLOW_ID,
  CONNECT_INSTANCE_ID as INSTANCE_ID,
  mockedConnectClient,
  sensitiveWordsTask,
} from '../../support/connect-mock.ts';

const { client, connect } = mockedConnectClient();

const task: AgentTask = sensitiveWordsTask('tok-1', 'email');

describe('ConnectApiContacts', () => {
  it('describes a contact on the configured instance and returns the caller number', async () => {
    // Prepare
    connect.on(DescribeContactCommand).resolves({
      Contact: {
        Id: 'c-1',
        Channel: 'VOICE',
        InitiationMethod: 'INBOUND',
        CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+905321234567' },
      },
    });

    // Act
    const details = await new ConnectApiContacts(client, INSTANCE_ID).describe('c-1');

    // Assess
    expect(details).toEqual({
      contactId: 'c-1',
      customerPhone: '+905321234567',
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
    });
    expect(connect.commandCalls(DescribeContactCommand)[0]?.args[0].input).toEqual({
      InstanceId: INSTANCE_ID,
      ContactId: 'c-1',
    });
  });

  it('asks a client built on demand for it only when it describes a contact', async () => {
    // Prepare
    connect.on(DescribeContactCommand).resolves({
      Contact: { Id: 'c-2', CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+905337654321' } },
    });
    let built = 0;
    const contacts = new ConnectApiContacts(async () => {
      built += 1;
      return client;
    }, INSTANCE_ID);
    const builtBefore = built;

    // Act
    const first = await contacts.describe('c-2');

    // Assess
    expect(builtBefore).toBe(0);
    expect(first?.customerPhone).toBe('+905337654321');
    expect(built).toBe(1);
  });

  it('answers undefined for a contact Connect does not know, and retryable for throttling', async () => {
    // Prepare
    connect
      .on(DescribeContactCommand, { ContactId: 'gone' })
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .on(DescribeContactCommand, { ContactId: 'busy' })
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const contacts = new ConnectApiContacts(client, INSTANCE_ID);

    // Act / Assess
    expect(await contacts.describe('gone')).toBeUndefined();
    await expect(contacts.describe('busy')).rejects.toBeInstanceOf(RetryableError);
  });
});

describe('ConnectAgentTasks', () => {
  it('starts one task through the task flow with a link to the conversation and the client token', async () => {
    // Prepare
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'task-contact-1' });
    const tasks = new ConnectAgentTasks(client, {
      instanceId: INSTANCE_ID,
      taskContactFlowId: FLOW_ID,
      conversationUrlTemplate: 'https://agent.example.com/conversations/{conversationId}',
    });

    // Act
    const created = await tasks.create(task);

    // Assess
    expect(created).toEqual({ taskId: 'task-contact-1' });
    expect(connect.commandCalls(StartTaskContactCommand)[0]?.args[0].input).toEqual({
      InstanceId: INSTANCE_ID,
      ContactFlowId: FLOW_ID,
      Name: task.name,
      Description: task.description,
      ClientToken: 'tok-1',
      Attributes: { conversationId: 'conv-1', customerId: 'cust-1' },
      References: { Conversation: { Type: 'URL', Value: 'https://agent.example.com/conversations/conv-1' } },
    });
  });

  it('names the conversation as text without a URL template, and retries throttling', async () => {
    // Prepare
    connect
      .on(StartTaskContactCommand)
      .rejectsOnce(new ThrottlingException({ message: 'slow', $metadata: {} }))
      .resolves({ ContactId: 't-2' });
    const tasks = new ConnectAgentTasks(client, { instanceId: INSTANCE_ID, taskContactFlowId: FLOW_ID });

    // Act
    await expect(tasks.create(task)).rejects.toBeInstanceOf(RetryableError);
    await tasks.create(task);

    // Assess
    const input = connect.commandCalls(StartTaskContactCommand)[1]?.args[0].input;
    expect(input?.References).toEqual({ Conversation: { Type: 'STRING', Value: 'conv-1' } });
  });
});

describe('connectSettingsFromEnvironment', () => {
  it('reads the instance, the task flow, the link and the VIPs', () => {
    // Act
    const settings = connectSettingsFromEnvironment({
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      CONNECT_TASK_FLOW_ID: FLOW_ID,
      CONNECT_CONVERSATION_URL: 'https://agent.example.com/c/{conversationId}',
      CONNECT_VIP_CUSTOMER_IDS: 'cust-1,cust-2',
    });

    // Assess
    expect(settings).toEqual({
      instanceId: INSTANCE_ID,
      taskContactFlowId: FLOW_ID,
      conversationUrlTemplate: 'https://agent.example.com/c/{conversationId}',
      vipCustomerIds: new Set(['cust-1', 'cust-2']),
    });
  });

  it('is undefined without an instance and refuses a malformed one', () => {
    // Act / Assess
    expect(connectSettingsFromEnvironment({})).toBeUndefined();
    expect(() => connectSettingsFromEnvironment({ CONNECT_INSTANCE_ID: 'my-instance' })).toThrow(
      ConfigurationError,
    );
  });
});
