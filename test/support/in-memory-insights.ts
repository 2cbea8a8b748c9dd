import type { Channel, Conversation, ResponseDeadlineDue } from '../../functions/core/model.ts';
import type { DeferredSend, DeferredSends } from '../../functions/core/ports/outbound.ts';
import type {
  ChannelHourCounters,
  ChannelInsights,
  InsightCounters,
  ResponseDeadlines,
  ResponseTimes,
} from '../../functions/core/ports/service-levels.ts';

const HOUR_MS = 3_600_000;

/** Counters per channel-hour in a map, summed like the DynamoDB ADD. */
export class MemoryChannelInsights implements ChannelInsights {
  readonly rows = new Map<string, { channel: Channel; hour: string; counters: Record<string, number> }>();

  async add(channel: Channel, at: Date, counters: InsightCounters): Promise<void> {
    const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
    const key = `${hour}#${channel}`;
    const row = this.rows.get(key) ?? { channel, hour, counters: {} };
    for (const [name, value] of Object.entries(counters))
      row.counters[name] = (row.counters[name] ?? 0) + value;
    this.rows.set(key, row);
  }

  async read(range: { from: Date; to: Date }): Promise<ChannelHourCounters[]> {
    const from = new Date(Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS).toISOString();
    return [...this.rows.values()]
      .filter((r) => r.hour >= from && new Date(r.hour) < range.to)
      .map((r) => ({ channel: r.channel, hour: r.hour, counters: { ...r.counters } }));
  }

  /** One counter of one channel-hour (0 when never counted). */
  count(channel: Channel, hour: string, name: string): number {
    return this.rows.get(`${new Date(hour).toISOString()}#${channel}`)?.counters[name] ?? 0;
  }

  /** One counter summed over every hour of a channel. */
  total(channel: Channel, name: string): number {
    return [...this.rows.values()]
      .filter((r) => r.channel === channel)
      .reduce((n, r) => n + (r.counters[name] ?? 0), 0);
  }
}

/** The conditional marks of DynamoResponseTimes on a map of conversations. */
export class MemoryResponseTimes implements ResponseTimes {
  readonly marks = new Map<string, Record<string, string | number>>();

  constructor(private readonly conversations?: Map<string, Conversation>) {}

  private markOf(conversationId: string) {
    const mark = this.marks.get(conversationId) ?? {};
    this.marks.set(conversationId, mark);
    return mark;
  }

  async recordFirstResponse(conversationId: string, record: { at: string; businessMinutes: number }) {
    const mark = this.markOf(conversationId);
    if (mark.firstResponseBusinessMinutes !== undefined) return false;
    mark.firstResponseBusinessMinutes = record.businessMinutes;
    const conversation = this.conversations?.get(conversationId);
    if (conversation) {
      this.conversations?.set(conversationId, {
        ...conversation,
        firstResponseAt: conversation.firstResponseAt ?? record.at,
        firstResponseBusinessMinutes: record.businessMinutes,
      });
    }
    return true;
  }

  async recordResolution(conversationId: string, record: { at: string; businessMinutes: number }) {
    const mark = this.markOf(conversationId);
    if (mark.resolvedAt === record.at) return false;
    mark.resolvedAt = record.at;
    mark.resolutionBusinessMinutes = record.businessMinutes;
    return true;
  }

  async recordBreach(conversationId: string, target: ResponseDeadlineDue['target'], at: string) {
    const mark = this.markOf(conversationId);
    if (mark[`breach:${target}`] !== undefined) return false;
    mark[`breach:${target}`] = at;
    return true;
  }
}

export class MemoryDeadlines implements ResponseDeadlines {
  readonly watched: Array<{ due: ResponseDeadlineDue; delaySeconds?: number }> = [];

  async watch(dues: readonly ResponseDeadlineDue[], options: { delaySeconds?: number } = {}): Promise<void> {
    for (const due of dues) this.watched.push({ due, ...options });
  }
}

export class MemoryDeferredSends implements DeferredSends {
  readonly scheduled = new Map<string, DeferredSend>();

  async schedule(send: DeferredSend): Promise<void> {
    if (!this.scheduled.has(send.id)) this.scheduled.set(send.id, send);
  }

  async cancel(id: string): Promise<void> {
    this.scheduled.delete(id);
  }
}

/** Records every escalation; the same event key escalates once, like core/conversations/escalation.ts. */
export class MemoryEscalations {
  readonly raised: Array<{ conversationId: string; reason: string; eventKey: string; detail?: string }> = [];

  readonly escalate = async (input: {
    conversation: Conversation;
    reason: string;
    eventKey: string;
    detail?: string;
  }): Promise<boolean> => {
    if (this.raised.some((r) => r.eventKey === input.eventKey)) return false;
    this.raised.push({
      conversationId: input.conversation.id,
      reason: input.reason,
      eventKey: input.eventKey,
      detail: input.detail,
    });
    return true;
  };
}
