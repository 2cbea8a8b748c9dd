import * as z from 'zod';
import { ConfigurationError } from '../../core/errors.ts';

/** The Amazon Connect instance the voice functions work with, from their environment. */
export interface ConnectSettings {
  /** The instance id (the last part of its ARN): DescribeContact and StartTaskContact need it. */
  readonly instanceId: string;
  /** The flow that routes escalation tasks; absent: escalations are recorded, no task is created. */
  readonly taskContactFlowId?: string;
  /** The agent's link to a conversation, with `{conversationId}` in it; absent: the id as text. */
  readonly conversationUrlTemplate?: string;
  /** Customers whose calls are flagged VIP in the flow's answer. */
  readonly vipCustomerIds: ReadonlySet<string>;
}

const environmentSchema = z.object({
  CONNECT_INSTANCE_ID: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a Connect instance id (a UUID)'),
  CONNECT_TASK_FLOW_ID: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, 'must be a Connect contact flow id (a UUID)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CONNECT_CONVERSATION_URL: z.string().optional(),
  CONNECT_VIP_CUSTOMER_IDS: z.string().optional(),
});

/** Undefined when the deployment has no Connect instance configured (no CONNECT_INSTANCE_ID). */
export function connectSettingsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): ConnectSettings | undefined {
  if (!env.CONNECT_INSTANCE_ID) return undefined;
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(`the Connect settings are invalid: ${z.prettifyError(parsed.error)}`);
  }
  const data = parsed.data;
  return {
    instanceId: data.CONNECT_INSTANCE_ID,
    ...(data.CONNECT_TASK_FLOW_ID ? { taskContactFlowId: data.CONNECT_TASK_FLOW_ID } : {}),
    ...(data.CONNECT_CONVERSATION_URL ? { conversationUrlTemplate: data.CONNECT_CONVERSATION_URL } : {}),
    vipCustomerIds: new Set((data.CONNECT_VIP_CUSTOMER_IDS ?? '').split(',').filter(Boolean)),
  };
}
