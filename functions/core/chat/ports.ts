import type { DeliveryStatus, Identity, OutboundKind } from '../model.ts';

/** One open WebSocket connection of a chat visitor (API Gateway drops it after 2 h, or 10 min idle). */
export interface ChatConnection {
  readonly connectionId: string;
  readonly visitorId: string;
  readonly connectedAt: string;
  /** When the table's TTL removes the record even if no $disconnect ever came. */
  readonly expiresAt: string;
}

/** The visitor's open connections, kept in the table with a TTL. */
export interface ChatConnections {
  open(connection: ChatConnection): Promise<void>;
  close(visitorId: string, connectionId: string): Promise<void>;
  /** The visitor's connections that have not expired, newest first (one Query). */
  ofVisitor(visitorId: string, now: Date): Promise<ChatConnection[]>;
}

/** API Gateway's management API: `PostToConnection`, which answers 410 for a connection that is gone. */
export interface ChatGateway {
  post(connectionId: string, frame: ChatServerFrame): Promise<'sent' | 'gone'>;
}

/** Whether the widget showed one of our messages to its visitor (delivered or read). */
export interface ChatReceipts {
  seen(messageId: string): Promise<boolean>;
}

/** One message as the widget shows it. */
export interface ChatFrameMessage {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly text: string;
  readonly at: string;
  readonly kind?: OutboundKind;
  /** The widget's own id of a message the visitor sent, so it shows it once. */
  readonly clientMessageId?: string;
  readonly status?: DeliveryStatus;
  /** Files the visitor sent with it (no keys: the widget never fetches them back). */
  readonly attachments?: readonly {
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  }[];
}

/** What the server sends on a visitor's socket. */
export type ChatServerFrame =
  | {
      readonly type: 'history';
      readonly identified: boolean;
      /** Outside business hours: when the team answers next (already formatted in `language`). */
      readonly online: boolean;
      readonly answerBy: string;
      readonly language: string;
      readonly messages: readonly ChatFrameMessage[];
      /** Files the widget may attach; absent: no attach button. */
      readonly uploads?: { readonly contentTypes: readonly string[]; readonly maxBytes: number };
    }
  | {
      readonly type: 'received';
      readonly clientMessageId: string;
      readonly messageId: string;
      readonly duplicate: boolean;
    }
  | { readonly type: 'message'; readonly message: ChatFrameMessage }
  | { readonly type: 'typing'; readonly from: 'agent'; readonly state: 'start' | 'stop' }
  /** Help-center articles for what the visitor is typing (nothing was sent or stored). */
  | {
      readonly type: 'suggestions';
      readonly articles: readonly {
        readonly slug: string;
        readonly title: string;
        readonly summary: string;
        readonly url: string;
      }[];
    }
  | { readonly type: 'status'; readonly messageId: string; readonly status: DeliveryStatus }
  /** The team read the visitor's messages with these ids (the read tick). */
  | { readonly type: 'read'; readonly messageIds: readonly string[] }
  /** Where the widget POSTs the file it asked to upload (a presigned S3 POST for one key). */
  | {
      readonly type: 'upload-slot';
      readonly uploadId: string;
      readonly objectKey: string;
      readonly url: string;
      readonly fields: Readonly<Record<string, string>>;
    }
  /** The confirmation mail for the address the visitor left is on its way. */
  | { readonly type: 'email-link-sent' }
  | { readonly type: 'error'; readonly reason: string; readonly clientMessageId?: string };

/** The identity a visitor's customer is found by: the signed email or phone, else the visitor id. */
export function visitorIdentity(visitorId: string, identified: Identity | undefined): Identity {
  return identified ?? { kind: 'chat', value: visitorId };
}
