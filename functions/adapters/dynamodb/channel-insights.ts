import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../../core/errors.ts';
import { CHANNELS, type Channel } from '../../core/model.ts';
import type {
  ChannelBatchCounts,
  ChannelHourBatchSum,
  ChannelHourCounters,
  ChannelInsights,
  InsightCounters,
} from '../../core/ports/service-levels.ts';
import { isConditionFailure, keys } from './keys.ts';
import { queryItems } from './query-items.ts';

/** Counter attributes carry this prefix, so they never collide with the item's own fields. */
const COUNTER_ATTRIBUTE_PREFIX = 'c:';
const COUNTER_NAME = /^[A-Za-z0-9:_.-]{1,100}$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Counters outlive the longest report range by far: a year back, plus a month, stays comparable. */
const COUNTER_TTL_SECONDS = 400 * 24 * 3_600;
/** Days queried at once when a report reads its range. */
const READ_CONCURRENCY = 6;

/**
 * Channel insights on the conversation table: one item per channel and UTC hour
 * (`INSIGHTS#<yyyy-mm-dd>` / `HOUR#<HH>#<channel>`), one attribute per counter.
 *
 * `add` is one UpdateItem with ADD, so concurrent events sum up without a read and without a
 * lost update. A day is one partition: a report reads one Query per day of its range (at most
 * the 93 days the core allows), never a scan. The day partition takes every write of that day;
 * at support-message rates that is far below what one partition serves.
 */
export class DynamoChannelInsights implements ChannelInsights {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(channel: Channel, at: Date, counters: InsightCounters): Promise<void> {
    const { day, hour, hourStart } = hourOf(at);
    const entries = Object.entries(counters).filter(([, value]) => value !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':channel': channel,
      ':hour': hourStart,
      ':entity': 'channel-hour',
      ':expiresAt': Math.floor(Date.parse(hourStart) / 1000) + COUNTER_TTL_SECONDS,
    };
    const adds = entries.map(([name, value], index) => {
      if (!COUNTER_NAME.test(name)) {
        throw new InvalidInputError(`"${name}" is not a counter name`, { field: 'counters' });
      }
      if (!Number.isFinite(value)) {
        throw new InvalidInputError(`counter ${name} got a value that is not a finite number`, {
          field: 'counters',
        });
      }
      names[`#c${index}`] = `${COUNTER_ATTRIBUTE_PREFIX}${name}`;
      values[`:c${index}`] = value;
      return `#c${index} :c${index}`;
    });
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.channelHour(day, hour, channel),
        UpdateExpression: `SET channel = :channel, #hour = :hour, entity = :entity, expiresAt = :expiresAt ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#hour': 'hour' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async read(range: { readonly from: Date; readonly to: Date }): Promise<ChannelHourCounters[]> {
    const fromHour = Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS;
    const toMs = range.to.getTime();
    if (!(toMs > fromHour)) return [];
    // The core bounds the range; this guards a caller that skipped it from a runaway read.
    if (toMs - fromHour > 400 * DAY_MS) {
      throw new InvalidInputError('the insights range is longer than 400 days', { field: 'to' });
    }
    const lastHour = Math.ceil(toMs / HOUR_MS) * HOUR_MS - HOUR_MS;
    const days: { day: string; firstHour: string; lastHour: string }[] = [];
    for (let dayStart = Math.floor(fromHour / DAY_MS) * DAY_MS; dayStart <= lastHour; dayStart += DAY_MS) {
      days.push({
        day: new Date(dayStart).toISOString().slice(0, 10),
        firstHour: hourOf(new Date(Math.max(dayStart, fromHour))).hour,
        lastHour: hourOf(new Date(Math.min(dayStart + DAY_MS - HOUR_MS, lastHour))).hour,
      });
    }
    const rows: ChannelHourCounters[] = [];
    for (let i = 0; i < days.length; i += READ_CONCURRENCY) {
      const chunk = days.slice(i, i + READ_CONCURRENCY);
      const results = await Promise.all(chunk.map((d) => this.readDay(d.day, d.firstHour, d.lastHour)));
      for (const result of results) rows.push(...result);
    }
    return rows;
  }

  private async readDay(day: string, firstHour: string, lastHour: string): Promise<ChannelHourCounters[]> {
    const rows: ChannelHourCounters[] = [];
    const { pk } = keys.channelHour(day, firstHour, '');
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':first': `HOUR#${firstHour}#`,
        // '~' sorts after every channel name.
        ':last': `HOUR#${lastHour}#~`,
      },
    })) {
      const row = rowOf(item);
      if (row) rows.push(row);
    }
    return rows;
  }
}

/**
 * The stream consumer's sums (core/service-levels/stream-counts.ts): one small item per
 * channel-hour per batch, written with one conditional PutItem (1 write unit) and never updated,
 * under the same day partition and hour range as the counters, so `read` returns each as a row
 * of its hour. Conditional puts rather than TransactWriteItems: dynalite (the sandbox's store)
 * has no transactions, and a put per channel-hour costs 1 write unit where a transaction costs 2
 * per item.
 */
export class DynamoChannelBatchCounts implements ChannelBatchCounts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSum(
    sum: ChannelHourBatchSum,
  ): Promise<{ readonly stored: true } | { readonly stored: false; readonly through: string }> {
    const { day, hour, hourStart } = hourOf(new Date(sum.hour));
    const key = keys.channelHourBatch(day, hour, sum.channel, sum.firstEventId);
    const counters: Record<string, number> = {};
    for (const [name, value] of Object.entries(sum.counters)) {
      checkCounter(name, value);
      counters[`${COUNTER_ATTRIBUTE_PREFIX}${name}`] = value;
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity: 'channel-hour-batch',
            channel: sum.channel,
            hour: hourStart,
            through: sum.through,
            expiresAt: Math.floor(Date.parse(hourStart) / 1000) + COUNTER_TTL_SECONDS,
            ...counters,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Rare (a retried batch): which records the stored sum covers.
    const stored = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    const through = stored.Item?.through;
    if (typeof through !== 'string') throw new Error('a stored batch sum has no position');
    return { stored: false, through };
  }
}

function checkCounter(name: string, value: number): void {
  if (!COUNTER_NAME.test(name)) {
    throw new InvalidInputError(`"${name}" is not a counter name`, { field: 'counters' });
  }
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(`counter ${name} got a value that is not a finite number`, {
      field: 'counters',
    });
  }
}

function rowOf(item: Record<string, unknown>): ChannelHourCounters | undefined {
  const channel = CHANNELS.find((c) => c === item.channel);
  if (!channel || typeof item.hour !== 'string') return undefined;
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER_ATTRIBUTE_PREFIX) && typeof value === 'number') {
      counters[name.slice(COUNTER_ATTRIBUTE_PREFIX.length)] = value;
    }
  }
  return { channel, hour: item.hour, counters };
}

function hourOf(at: Date): { day: string; hour: string; hourStart: string } {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new InvalidInputError('the counted event has no valid time', { field: 'at' });
  const iso = new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
  return { day: iso.slice(0, 10), hour: iso.slice(11, 13), hourStart: iso };
}
