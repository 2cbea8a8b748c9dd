import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  conversationFromItem,
  messageFromItem,
} from '../../functions/adapters/dynamodb/conversation-store.ts';
import { customerFromItem } from '../../functions/adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { withoutStorageAttributes } from '../../functions/adapters/dynamodb/keys.ts';
import type { Identity, Message, Order, Reminder } from '../../functions/core/model.ts';
import type { ChannelReport } from '../../functions/core/service-levels/report.ts';

export interface OutboxEntry {
  readonly channel: string;
  readonly to: string;
  readonly kind: string;
  readonly conversationId?: string;
  readonly customerId: string;
  readonly subject?: string;
  readonly text: string;
  readonly headers: Record<string, string>;
  readonly language: string;
  readonly sentAt: string;
  readonly outboundId: string;
  /** The WhatsApp template it went out as (outside the 24-hour window). */
  readonly template?: string;
  /** Help-center articles the text links. */
  readonly articles?: readonly { readonly slug: string; readonly url: string }[];
  /** Files an agent's email answer carried (the sent MIME has them as parts). */
  readonly attachments?: readonly {
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  }[];
}

export interface DeadLetter {
  readonly queue: string;
  readonly outboundId?: string;
  readonly kind?: string;
  readonly receiveCount: number;
  /** Why it failed, when the consumer dead-lettered it itself (its `failureReason` attribute). */
  readonly reason?: string;
}

export interface Report {
  customers: Array<{
    id: string;
    name?: string;
    identities: Identity[];
    language?: string;
    consent: Record<string, string>;
    /** Every consent change, oldest first: channel, state, source, keyword, time. */
    consentHistory?: Array<{ channel: string; state: string; source: string; keyword?: string; at: string }>;
    /** This profile was merged into that customer (the shop linked their identities); kept as an alias. */
    mergedInto?: string;
  }>;
  /** Orders as the shop's events left them (newest event wins). */
  orders?: Array<Record<string, unknown>>;
  /** Reminders the shop made: kind, due time, state (scheduled, cancelled, fired). */
  reminders?: Array<{
    id: string;
    kind: string;
    at: string;
    customerId: string;
    state: string;
    channel?: string;
  }>;
  conversations: Array<{
    id: string;
    customerId: string;
    channel: string;
    status: string;
    subject?: string;
    language?: string;
    flags: readonly string[];
    createdAt: string;
    messages: Array<{
      id: string;
      direction: string;
      channel: string;
      at: string;
      text: string;
      subject?: string;
      kind?: string;
      deliveryStatus?: string;
      language?: string;
      flags?: readonly string[];
      /** The provider id of the message this one answers or reacts to (social channels). */
      replyTo?: string;
      attachments: Array<{
        filename: string;
        contentType: string;
        size: number;
        stored: boolean;
        /** A media reference kept with the platform (WhatsApp media id, Messenger URL). */
        media?: { type: string; id?: string; url?: string; caption?: string };
      }>;
    }>;
  }>;
  outbox: OutboxEntry[];
  responses: Array<{ file: string; body: unknown }>;
  rejected: Array<{ file: string; reason: string }>;
  deadLetters: DeadLetter[];
  /** Escalations recorded on conversations: reason, detail, the agent task made for it. */
  escalations?: Array<{
    conversationId: string;
    reason: string;
    detail?: string;
    at: string;
    taskId?: string;
  }>;
  /** Amazon Connect tasks the sandbox's Connect twin created (StartTaskContact). */
  tasks?: Array<{
    taskId: string;
    name: string;
    references: Record<string, { type?: string; value?: string }>;
  }>;
  /** Sends still held for later (SMS quiet hours): a `.clock.json` past their time fires them. */
  deferred?: Array<{ id: string; at: string; outboundId: string; channel: string; kind: string }>;
  /** The channel report (`GET /reports/channels`) over the replayed time. */
  insights?: ChannelReport;
}

/**
 * Reads the whole sandbox table into the replay report. A Scan is fine here and only here:
 * the sandbox's table is small and this is not a request path.
 */
export async function buildReport(
  dynamo: DynamoDBClient,
  tableName: string,
  extra: Pick<Report, 'outbox' | 'responses' | 'rejected' | 'deadLetters'>,
): Promise<Report> {
  const db = documentClient(dynamo);
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const identities = new Map<string, Identity[]>();
  const messages = new Map<string, Message[]>();
  const consentHistory = new Map<string, NonNullable<Report['customers'][number]['consentHistory']>>();
  for (const item of items) {
    if (item.entity === 'consent-change') {
      const list = consentHistory.get(String(item.customerId)) ?? [];
      list.push({
        channel: String(item.channel),
        state: String(item.state),
        source: String(item.source),
        ...(typeof item.keyword === 'string' ? { keyword: item.keyword } : {}),
        at: String(item.at),
      });
      consentHistory.set(String(item.customerId), list);
      continue;
    }
    if (item.entity === 'identity') {
      const [, kind, ...value] = String(item.pk).split('#');
      const list = identities.get(String(item.customerId)) ?? [];
      list.push({ kind: kind as Identity['kind'], value: value.join('#') });
      identities.set(String(item.customerId), list);
    } else if (item.entity === 'message') {
      const message = messageFromItem(item);
      const list = messages.get(message.conversationId) ?? [];
      list.push(message);
      messages.set(message.conversationId, list);
    }
  }

  const customers = items
    .filter((item) => item.entity === 'customer')
    .map(customerFromItem)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      identities: (identities.get(c.id) ?? []).sort((a, b) =>
        `${a.kind}${a.value}`.localeCompare(`${b.kind}${b.value}`),
      ),
      language: c.language ?? c.detectedLanguage,
      consent: { ...c.consent },
      ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}),
      ...(consentHistory.has(c.id)
        ? { consentHistory: (consentHistory.get(c.id) ?? []).sort((a, b) => a.at.localeCompare(b.at)) }
        : {}),
    }));

  const conversations = items
    .filter((item) => item.entity === 'conversation')
    .map(conversationFromItem)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((c) => ({
      id: c.id,
      customerId: c.customerId,
      channel: c.channel,
      status: c.status,
      subject: c.subject,
      language: c.language,
      flags: c.flags ?? [],
      createdAt: c.createdAt,
      messages: (messages.get(c.id) ?? [])
        .sort(
          // Within one replay second an answer never comes before the message it answers.
          (a, b) =>
            a.at.localeCompare(b.at) || a.direction.localeCompare(b.direction) || a.id.localeCompare(b.id),
        )
        .map((m) => ({
          id: m.id,
          direction: m.direction,
          channel: m.channel,
          at: m.at,
          text: m.text,
          subject: m.subject,
          kind: m.kind,
          deliveryStatus: m.deliveryStatus,
          language: m.language,
          flags: m.flags,
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
          attachments: m.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
            stored: a.objectKey !== undefined,
            ...(a.media ? { media: a.media } : {}),
          })),
        })),
    }));

  const orders = items
    .filter((item) => item.entity === 'order')
    .map((item) => withoutStorageAttributes<Order>(item))
    .sort((a, b) => a.firstEventAt.localeCompare(b.firstEventAt) || a.id.localeCompare(b.id))
    .map((o) => ({ ...o }));

  const reminders = items
    .filter((item) => item.entity === 'reminder')
    .map((item) => withoutStorageAttributes<Reminder>(item))
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      at: r.at,
      customerId: r.customerId,
      state: r.state,
      ...(r.channel ? { channel: r.channel } : {}),
    }));

  const escalations = items
    .filter((item) => item.entity === 'escalation')
    .map((item) => ({
      conversationId: String(item.conversationId),
      reason: String(item.reason),
      ...(typeof item.detail === 'string' ? { detail: item.detail } : {}),
      at: String(item.at),
      ...(typeof item.taskId === 'string' ? { taskId: item.taskId } : {}),
    }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.conversationId.localeCompare(b.conversationId));

  return {
    customers,
    conversations,
    ...(escalations.length > 0 ? { escalations } : {}),
    ...(orders.length > 0 ? { orders } : {}),
    ...(reminders.length > 0 ? { reminders } : {}),
    ...extra,
  };
}
