/**
 * The domain vocabulary shared by every channel. Channel code turns provider payloads into an
 * `InboundMessage`; the core decides what happens; adapters persist and send.
 */

export const CHANNELS = ['email', 'sms', 'whatsapp', 'messenger', 'instagram', 'voice', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const IDENTITY_KINDS = ['email', 'phone', 'whatsapp', 'messenger', 'instagram', 'chat'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** Who a customer is on one channel: a lowercased email, an E.164 phone, a platform id. */
export interface Identity {
  readonly kind: IdentityKind;
  readonly value: string;
}

/** ISO 639-1 code of a language we can answer in (`tr`, `en`, …). */
export type Language = string;

export type ConsentState = 'opted-in' | 'opted-out';

/**
 * Who changed a consent: the customer by SMS keyword, the carrier or End User Messaging (an
 * opt-out list hit), the shop's systems (order events, imports), or an agent. The customer's own
 * opt-out (keyword, carrier) is only lifted by the customer's own opt-in keyword.
 */
export type ConsentSource = 'sms-keyword' | 'carrier' | 'shop' | 'agent';

/** The current consent of one channel and where it came from (the history holds every change). */
export interface ConsentRecord {
  readonly state: ConsentState;
  readonly source: ConsentSource;
  readonly at: string;
  /** The event that made the change, so a retry of that event knows it already did. */
  readonly eventKey: string;
  readonly keyword?: string;
}

export interface Customer {
  readonly id: string;
  readonly name?: string;
  /** An explicit preference (from the shop or the customer); it wins over detection. */
  readonly language?: Language;
  /** The language the customer last wrote in. */
  readonly detectedLanguage?: Language;
  readonly timezone?: string;
  readonly preferredChannel?: Channel;
  readonly consent: Partial<Record<Channel, ConsentState>>;
  /** Source and time of each channel's current consent; absent on profiles that never changed one. */
  readonly consentDetail?: Partial<Record<Channel, ConsentRecord>>;
  /** Bumped by every consent change: the optimistic lock that keeps concurrent changes apart. */
  readonly consentVersion?: number;
  readonly identities: readonly Identity[];
  readonly createdAt: string;
  /** When the last automatic response of any channel went to this customer. */
  readonly lastAutoReplyAt?: string;
  /** The event that took that auto-reply slot, so its retries keep it. */
  readonly lastAutoReplyKey?: string;
  /**
   * Set when the shop linked this customer's identities to another, older customer: this profile
   * is then an alias of that one (kept, never deleted) and every read follows it.
   */
  readonly mergedInto?: string;
  /**
   * The conversation a follow-up on each channel continues: written when one opens there, moved
   * by merges. A pointer only names a candidate: the write that continues it checks the window
   * and the status, so a stale pointer costs a refused write, never a wrong thread.
   */
  readonly openConversations?: Partial<Record<Channel, OpenConversationPointer>>;
}

/** The customer's open conversation on one channel, and the ones it took over from. */
export interface OpenConversationPointer {
  readonly conversationId: string;
  /**
   * Only messages from this moment on continue it directly (its creation, or the merge or repoint
   * that made it the channel's conversation): an older one may be a redelivery stored before in
   * one of `previous`, which the new-conversation path checks.
   */
  readonly since: string;
  /** The channel's earlier conversations, newest first (a few), where a late redelivery may be stored. */
  readonly previous: readonly string[];
}

export type ConversationStatus = 'open' | 'pending' | 'closed' | 'quarantined';

export interface Conversation {
  readonly id: string;
  readonly customerId: string;
  readonly channel: Channel;
  readonly status: ConversationStatus;
  readonly subject?: string;
  readonly language?: Language;
  readonly createdAt: string;
  readonly lastInboundAt?: string;
  readonly firstResponseAt?: string;
  /** The latest agent reply sent on it: repeated contacts are counted from here. */
  readonly lastAgentReplyAt?: string;
  /** Response times in business minutes and missed targets, each written once. */
  readonly firstResponseBusinessMinutes?: number;
  readonly resolvedAt?: string;
  readonly resolutionBusinessMinutes?: number;
  readonly firstResponseBreachedAt?: string;
  readonly resolutionBreachedAt?: string;
  readonly lastMessageAt: string;
  /** Flags a human should see: `spam`, `virus`, … */
  readonly flags?: readonly string[];
  /** Agent API: who works on it, and who changed what (JWT `sub` of the agent). */
  readonly assignee?: string;
  readonly assignedAt?: string;
  readonly assignedBy?: string;
  readonly statusChangedAt?: string;
  readonly statusChangedBy?: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  /** The satisfaction survey queued when it closed; set once, so a conversation is surveyed once. */
  readonly survey?: { readonly queuedAt: string; readonly outboundId: string; readonly channel: Channel };
  /** The customer's answer to the survey (1–5); the first answer stays. */
  readonly csat?: { readonly score: number; readonly at: string; readonly messageId: string };
  /**
   * An agent merged this conversation into another one (a duplicate): it is closed, kept, and its
   * messages are shown in that one's timeline.
   */
  readonly mergedInto?: string;
  readonly mergedAt?: string;
  readonly mergedBy?: string;
  /** Conversations merged into this one, whose messages its timeline shows. */
  readonly mergedFrom?: readonly string[];
  /**
   * The last customer-facing message in one line, written by the same update that moves
   * `lastMessageAt`, so a queue row needs no read of the messages.
   */
  readonly preview?: ConversationPreview;
  /**
   * The display name the customer's latest message gave, as given: what an agent reads in the
   * queue until the shop names the customer. Unverified, so never written into a message.
   */
  readonly senderName?: string;
  /** Agents' labels (lowercase, see core/agent/labels.ts). */
  readonly labels?: readonly string[];
  /** Out of the open queue until then, or until the customer writes again (which removes it). */
  readonly snoozedUntil?: string;
  readonly snoozedAt?: string;
  readonly snoozedBy?: string;
  /** Chat: when an agent last read it; the visitor's messages up to then show a read tick. */
  readonly agentReadAt?: string;
}

/** The latest message of a conversation as a queue row shows it. */
export interface ConversationPreview {
  /** One line, at most 140 characters. */
  readonly text: string;
  readonly direction: 'inbound' | 'outbound';
  readonly at: string;
  readonly channel: Channel;
}

export interface AttachmentRef {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Object key of the stored content; absent when the attachment was not kept (see `skippedReason`). */
  readonly objectKey?: string;
  readonly skippedReason?: string;
  /**
   * A media item a messaging platform holds for us (WhatsApp media id, Messenger attachment URL):
   * kept as a reference; fetching the bytes is a separate step through the platform's API.
   */
  readonly media?: {
    readonly type: string;
    readonly id?: string;
    readonly url?: string;
    readonly caption?: string;
  };
}

/** `note`: an agent's private note, never sent, never shown to the customer. */
export type Direction = 'inbound' | 'outbound' | 'note';

export type OutboundKind =
  | 'auto-reply'
  | 'order-status'
  | 'reminder'
  | 'survey'
  | 'agent-reply'
  | 'missed-call';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'suppressed';

/** A message body kept beside its item: the object key under the attachments and its size. */
export interface StoredBody {
  readonly objectKey: string;
  /** UTF-8 bytes of `text` and `fullText` together. */
  readonly bytes: number;
}

export interface Message {
  readonly id: string;
  readonly conversationId: string;
  readonly direction: Direction;
  readonly channel: Channel;
  readonly at: string;
  readonly text: string;
  /** The whole body including quoted history, when the channel separates them (email). */
  readonly fullText?: string;
  /**
   * Where `text` and `fullText` are kept whole when they are too long for the message's item
   * (core/conversations/long-body.ts): then `text` is their beginning and `fullText` is absent
   * until a reader that opens the message fetches them.
   */
  readonly storedBody?: StoredBody;
  readonly subject?: string;
  readonly attachments: readonly AttachmentRef[];
  readonly providerMessageId?: string;
  readonly kind?: OutboundKind;
  readonly deliveryStatus?: DeliveryStatus;
  readonly language?: Language;
  readonly flags?: readonly string[];
  /** The provider id of the message this one answers (WhatsApp context.id, Messenger reply_to.mid). */
  readonly replyTo?: string;
  /** When the provider last reported a delivery status change (sent, delivered, read, failed). */
  readonly deliveryStatusAt?: string;
  /** Inbound: who wrote it (the address an answer goes back to). */
  readonly from?: Identity;
  /** Inbound: the display name the sender gave, as given (unverified: shown, never sent back). */
  readonly fromName?: string;
  /** Inbound email: its Message-ID and References, so an agent's answer threads in the customer's client. */
  readonly emailThreading?: { readonly messageId?: string; readonly references: readonly string[] };
  /** Outbound agent replies and private notes: the agent who wrote it (JWT `sub`). */
  readonly agentId?: string;
  /** Outbound: it went out on `channel` instead of the channel it was queued for, and why. */
  readonly fallback?: { readonly from: Channel; readonly reason: string };
}

/** SES receipt verdict values. */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface MailVerdicts {
  readonly spam: VerdictStatus;
  readonly virus: VerdictStatus;
  readonly spf: VerdictStatus;
  readonly dkim: VerdictStatus;
  readonly dmarc: VerdictStatus;
}

/**
 * The parts of an email that say whether a machine sent it (RFC 3834 and common practice).
 * Header values are raw strings as received (already unfolded); absent headers are undefined.
 */
export interface MailAutomationSignals {
  readonly autoSubmitted?: string;
  readonly precedence?: string;
  readonly listId?: string;
  readonly listUnsubscribe?: string;
  readonly xAutoResponseSuppress?: string;
  readonly xAutoreply?: string;
  readonly xLoop?: readonly string[];
  /** The envelope sender (Return-Path / SES mail.source); `''` for the null sender `<>`. */
  readonly returnPath?: string;
  readonly subject?: string;
  /** `multipart/report` (delivery status notifications, read receipts). */
  readonly contentType?: string;
}

/**
 * What the raw headers say about who vouched for a mail, as organizational domains (RFC 7489
 * §3.2: `mail.shop.co.uk` → `shop.co.uk`), for alignment with the From domain (see
 * core/customers/mail-authentication.ts).
 */
export interface MailAuthenticationHints {
  /** Of the From address. */
  readonly fromDomain: string;
  /** Of the envelope sender (SES `mail.source`, else Return-Path): what SPF checked. */
  readonly envelopeDomain?: string;
  /** Of the `d=` of every DKIM-Signature header; `''` for one that cannot be read. */
  readonly dkimDomains: readonly string[];
}

export interface EmailThreadingHints {
  readonly messageId?: string;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  /** Token found in a recipient address like `support+c-<token>@shop.example`. */
  readonly replyToken?: string;
}

/** Flag of a message whose sender could not be normalised (kept on an identity as it came). */
export const SENDER_NOT_NORMALISED = 'sender-not-normalised';
/** Flag of an SMS from a premium-rate, shared-cost or international-network number. */
export const SPECIAL_RATE_SENDER = 'special-rate-sender';

/** One inbound contact, normalized from any channel. */
export interface InboundMessage {
  readonly channel: Channel;
  /** Stable id from the provider: SES message id, SNS inboundMessageId, wamid, mid, contact id. */
  readonly providerMessageId: string;
  readonly from: Identity;
  readonly fromName?: string;
  /** When the provider received it (not when we process it): redeliveries carry the same value. */
  readonly receivedAt: string;
  readonly subject?: string;
  /** The new text the customer wrote, without quoted history or signatures. */
  readonly text: string;
  readonly fullText?: string;
  readonly attachments: readonly AttachmentRef[];
  /** What kind of content this is beside text (`reaction`, `location`, `unsupported-type`, …), for the timeline. */
  readonly flags?: readonly string[];
  /** The provider id of the message this one answers or reacts to. */
  readonly replyTo?: string;
  /**
   * A guess from the channel (a phone number's country) for when the message has no text to
   * detect a language from (a sticker, a photo): used only after detection and history.
   */
  readonly languageHint?: Language;
  readonly sms?: {
    /** Our number (or pool number) the customer texted, E.164. */
    readonly destinationNumber: string;
    /** Set when the whole message is a consent or help keyword (STOP, START, HELP, İPTAL…). */
    readonly keyword?: { readonly action: 'opt-out' | 'opt-in' | 'help'; readonly keyword: string };
  };
  readonly chat?: {
    /** The widget's visitor: where answers go (the `chat` identity in `from`). */
    readonly visitorId: string;
    /** The email or phone of the shop's signed identity token: the customer is found by it. */
    readonly identified?: Identity;
    /** The browser's language, tried before detection. */
    readonly browserLanguage?: Language;
  };
  readonly email?: {
    readonly threading: EmailThreadingHints;
    readonly signals: MailAutomationSignals;
    readonly verdicts: MailVerdicts;
    /** Absent: only a DMARC PASS authenticates the sender. */
    readonly authentication?: MailAuthenticationHints;
    /** Addresses the mail was delivered to (envelope recipients). */
    readonly recipients: readonly string[];
  };
}

/** A request to send one message, as it travels on the outbound queue. */
export interface OutboundRequest {
  /** Deterministic: the same decision always yields the same id, so a resend is a no-op. */
  readonly id: string;
  readonly kind: OutboundKind;
  readonly channel: Channel;
  readonly customerId: string;
  readonly conversationId?: string;
  readonly to: string;
  readonly language: Language;
  readonly subject?: string;
  readonly text: string;
  readonly email?: {
    readonly inReplyTo?: string;
    readonly references: readonly string[];
    readonly replyToken?: string;
  };
  /** Extra headers (email) such as `Auto-Submitted`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly requestedAt: string;
  /** Agent replies: the agent who wrote it (JWT `sub`), kept on the timeline message. */
  readonly agentId?: string;
  /**
   * Agent replies: the answered conversation as it was when the reply was queued, so the
   * dispatcher counts the first response without reading it (absent on older queue messages:
   * then it reads). `answered`: it had its first response already, which never changes back.
   */
  readonly answering?: {
    readonly openedAt: string;
    readonly channel: Channel;
    readonly answered: boolean;
  };
  /**
   * Chat continuity: this is an email copy of the chat message with this id, sent only if the
   * visitor has not seen that message in the widget by then.
   */
  readonly unlessSeenInChat?: string;
  /**
   * An approved WhatsApp message template to send instead of free text; the dispatcher sets it
   * when the 24-hour customer-service window is closed. `parameters` fill the body's {{1}}, {{2}}….
   */
  readonly template?: {
    readonly name: string;
    readonly language: Language;
    readonly parameters: readonly string[];
  };
  /** Help-center articles the text links (automatic answers), for the timeline and the report. */
  readonly articles?: readonly { readonly slug: string; readonly url: string }[];
  /** Set by the dispatcher when the message goes out on another channel than it was queued for. */
  readonly fallback?: { readonly from: Channel; readonly reason: string };
  /**
   * Files an agent attached (checked against the stored objects before it was queued): email
   * carries them in the MIME message; other channels take none (the agent API refuses them).
   */
  readonly attachments?: readonly AttachmentRef[];
}

/** The order event types a shop sends (DESIGN §5). */
export const ORDER_EVENT_TYPES = [
  'order.created',
  'order.confirmed',
  'order.shipped',
  'order.out_for_delivery',
  'order.delivered',
  'order.delayed',
  'order.cancelled',
  'order.refunded',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** An order as the shop last told us about it: the newest event wins, older ones never overwrite. */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  /** The type of the event that set the current state (`order.shipped`). */
  readonly lastEventType: OrderEventType;
  /** The shop's status word, or the event type without `order.` when it sent none. */
  readonly status: string;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly trackingUrl?: string;
  /** `YYYY-MM-DD`, as the shop sent it. */
  readonly estimatedDelivery?: string;
  readonly refundAmount?: number;
  /** ISO 4217 code of `refundAmount`. */
  readonly currency?: string;
  /** occurredAt of the event that set this state (ISO, UTC): the ordering key. */
  readonly lastEventAt: string;
  readonly lastEventId: string;
  /** When the first event we stored for this order happened. */
  readonly firstEventAt: string;
}

/**
 * A reminder whose time has come, as its schedule puts it on the outbound queue: the dispatcher
 * looks the reminder up and decides channel, consent and quiet hours then, not when it was made.
 */
export interface ReminderDue {
  readonly type: 'reminder';
  readonly reminderId: string;
}

/**
 * A conversation's response-time deadline on the outbound queue: queued when the
 * conversation opens, held until `due` (a deferred send), then checked: a target still unmet is
 * a breach. Checking twice is harmless (the escalation is keyed on the conversation and target).
 */
export interface ResponseDeadlineDue {
  readonly type: 'response-deadline';
  readonly conversationId: string;
  readonly target: 'first-response' | 'resolution';
  /** When the target is missed (ISO, UTC). */
  readonly due: string;
}

export const REMINDER_KINDS = ['cart-abandoned', 'subscription-renewal', 'appointment', 'custom'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** A reminder the shop scheduled (`POST /reminders`), stored as `REMINDER#<id>`. */
export interface Reminder {
  readonly id: string;
  readonly kind: ReminderKind;
  /** When it is due (ISO, UTC). */
  readonly at: string;
  readonly customerId: string;
  /** The channel the shop asked for; absent: the customer's preferred consented one. */
  readonly channel?: 'email' | 'sms' | 'whatsapp';
  readonly data: {
    readonly url?: string;
    readonly when?: string;
    readonly text?: string;
  };
  readonly state: 'scheduled' | 'cancelled' | 'fired';
  readonly createdAt: string;
  readonly cancelledAt?: string;
  readonly firedAt?: string;
  /** The deferred send that fires it (the EventBridge schedule is named after it). */
  readonly scheduleId: string;
}

/** Why a conversation was handed to a person ahead of the queue. */
export type EscalationReason =
  | 'repeated-contacts'
  | 'sensitive-words'
  | 'first-response-breach'
  | 'resolution-breach';

/** An escalation as it is kept on its conversation, once per `eventKey`. */
export interface Escalation {
  readonly conversationId: string;
  readonly customerId: string;
  readonly reason: EscalationReason;
  readonly detail?: string;
  /** The event that raised it (an inbound key, a deadline key): the idempotency key. */
  readonly eventKey: string;
  readonly at: string;
  /** The agent task (an Amazon Connect task contact id) created for it, once created. */
  readonly taskId?: string;
}
