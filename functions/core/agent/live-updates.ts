/**
 * What agents' open inboxes hear on the WebSocket API: short notices, never the data itself.
 * The app fetches what changed through the agent API, so a notice can be lost or repeated
 * without harm, and what an agent sees always went through the API's own checks.
 */

/** What happened to a conversation. */
export const CONVERSATION_CHANGES = [
  /** A new conversation (a customer's first message, or a proactive send). */
  'created',
  /** A message in or out, or a delivery status. */
  'message',
  'note',
  'assignment',
  'status',
  'labels',
  'snooze',
  /** An agent read it (unread counts move). */
  'read',
  'merge',
] as const;
export type ConversationChange = (typeof CONVERSATION_CHANGES)[number];

export type AgentLiveFrame =
  | {
      readonly type: 'conversation.changed';
      readonly conversationId: string;
      readonly change: ConversationChange;
      /** When the change was written (ISO 8601). */
      readonly at: string;
    }
  /** The customer is typing in the chat widget (throttled on the widget's side). */
  | {
      readonly type: 'typing';
      readonly conversationId: string;
      readonly state: 'start' | 'stop';
    }
  /** The connection is about to be dropped by the platform (2 h limit): reconnect and refetch. */
  | { readonly type: 'reconnect' };
