import { ConnectClient } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach } from 'vitest';
import type { AgentTask } from '../../functions/core/ports/service-levels.ts';

export const CONNECT_INSTANCE_ID = '5a1db0c5-0000-4000-8000-00000000c0de';
export const CONNECT_TASK_FLOW_ID = '7a5cf10e-0000-4000-8000-00000000a5c0';

/** A Connect client whose calls the test answers; its answers are reset after each test. */
export function mockedConnectClient() {
  const client = new ConnectClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const connect = mockClient(client);
  afterEach(() => {
    connect.reset();
  });
  return { client, connect };
}

/** The task an escalation for sensitive words in conversation `conv-1` asks Connect to start. */
export function sensitiveWordsTask(clientToken: string, channel: string): AgentTask {
  return {
    clientToken,
    name: `Sensitive words: ${channel} conversation CONV1`,
    description: 'Escalated: sensitive-words.',
    conversationId: 'conv-1',
    customerId: 'cust-1',
  };
}
