/**
 * What the agent API answers, as the inbox reads it. The domain shapes come from the core's model
 * (type-only imports: nothing of the server ends up in the bundle); the rest is the inbox
 * contract's additions. Fields a server may not send yet are optional, so an older API still renders.
 */
import type {
  Channel,
  ConsentRecord,
  ConsentState,
  Conversation,
  Identity,
  Message,
} from '../../../functions/core/model.ts';

export type { Channel, Identity };

export interface RowPreview {
  readonly text: string;
  readonly direction: 'inbound' | 'outbound';
  readonly at: string;
  readonly channel: Channel;
}

export interface RowDeadline {
  readonly kind: 'firstResponse' | 'resolution';
  readonly dueAt: string;
  readonly businessMinutesLeft: number;
  readonly breached: boolean;
}

export interface ConversationRow extends Conversation {
  readonly customer?: { readonly id: string; readonly name?: string };
  readonly preview?: RowPreview;
  readonly labels?: readonly string[];
  readonly unread?: boolean;
  readonly snoozedUntil?: string;
  readonly deadline?: RowDeadline;
  readonly mergedInto?: string;
}

/** A timeline entry: a message in or out, or an agent's private note. */
export type TimelineMessage = Omit<Message, 'direction'> & {
  readonly direction: Message['direction'] | 'note';
};

export interface ConversationDetail {
  readonly conversation: ConversationRow;
  readonly messages: readonly TimelineMessage[];
}

export interface ConsentView {
  readonly state: ConsentState;
  readonly source?: string;
  readonly at?: string;
  readonly history?: readonly ConsentRecord[];
}

export interface OrderSummary {
  readonly id: string;
  readonly status: string;
  readonly statusText?: string;
  readonly trackingUrl?: string;
  readonly updatedAt?: string;
  readonly total?: number;
  readonly currency?: string;
}

export interface PastConversation {
  readonly id: string;
  readonly channel: Channel;
  readonly status: string;
  readonly subject?: string;
  readonly lastMessageAt: string;
  readonly csat?: number | { readonly score: number };
}

export type UnreachableReason = 'opted-out' | 'window-closed' | 'no-address' | 'not-configured';

export interface Reachability {
  readonly channel: Channel;
  readonly address?: string;
  readonly ok: boolean;
  readonly reason?: UnreachableReason;
  readonly windowClosesAt?: string;
  readonly fallback?: Channel | 'template';
  readonly quietHoursUntil?: string;
}

export interface CustomerDetail {
  readonly customer: {
    readonly id: string;
    readonly name?: string;
    readonly language?: string;
    readonly timezone?: string;
    readonly identities: readonly Identity[];
    readonly consent: Partial<Record<string, ConsentView | ConsentState>>;
  };
  readonly orders: readonly OrderSummary[];
  readonly conversations: readonly PastConversation[];
  readonly csat: { readonly count: number; readonly average?: number };
  readonly reachable: readonly Reachability[];
}

export interface CustomerTimeline {
  readonly customer?: CustomerDetail['customer'];
  readonly messages: readonly TimelineMessage[];
  readonly conversations: readonly Conversation[];
}

export interface CannedResponse {
  readonly id: string;
  readonly shortcut: string;
  readonly title: string;
  readonly text: string;
  readonly language?: string;
}

export interface Upload {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly objectKey: string;
  readonly expiresAt?: string;
}

export interface AttachmentInput {
  readonly objectKey: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

export type QueueView = 'mine' | 'unassigned' | 'all';
export type QueueSort = 'activity' | 'deadline';

export interface QueueFilters {
  readonly view: QueueView;
  readonly status: 'open' | 'pending' | 'closed';
  readonly channel: Channel | '';
  readonly label: string;
  readonly unread: boolean;
  readonly sort: QueueSort;
}
