import { InvalidInputError } from '../errors.ts';
import type { ConversationQuery, ListPosition } from '../ports/conversations.ts';

/** One item of a sorted partition and the position just after it. */
export interface Positioned<T> {
  readonly item: T;
  readonly at: string;
  readonly id: string;
  /** The hour bucket it was read from, where the partition is bucketed (see ListPosition). */
  readonly bucket?: string;
}

/**
 * One partition of an index read newest first, a page at a time. `next` is where the read stopped
 * (DynamoDB's LastEvaluatedKey, which a filter can put past the last item returned); undefined
 * when the partition is exhausted.
 */
export interface SortedPartition<T> {
  read(
    after: ListPosition,
    limit: number,
  ): Promise<{ readonly items: readonly Positioned<T>[]; readonly next?: ListPosition }>;
}

interface Cursor<T> {
  readonly partition: SortedPartition<T>;
  buffer: Positioned<T>[];
  /** Where the next read of the partition starts; `end` when nothing is left to read. */
  frontier: ListPosition;
  /** Where a later page resumes if nothing more of this partition is taken now. */
  resume: ListPosition;
}

/**
 * Merges partitions sorted newest first (the shards of the status index) into one page of at most
 * `limit` items, newest first. Reads lazily and at most `maxReads` times, so a filter that matches
 * little cannot turn one request into a scan of the queue: the page may then be short, and `next`
 * still says exactly where each partition stopped.
 */
export async function mergeNewestFirst<T>(
  partitions: readonly SortedPartition<T>[],
  starts: readonly ListPosition[],
  limit: number,
  maxReads: number,
): Promise<{ readonly items: T[]; readonly next?: ListPosition[] }> {
  const cursors: Cursor<T>[] = partitions.map((partition, index) => {
    const start = starts[index] ?? 'start';
    return { partition, buffer: [], frontier: start, resume: start };
  });
  const items: T[] = [];
  let reads = 0;
  merge: while (items.length < limit) {
    for (const cursor of cursors) {
      while (cursor.buffer.length === 0 && cursor.frontier !== 'end') {
        if (reads >= maxReads) break merge;
        reads += 1;
        const page = await cursor.partition.read(cursor.frontier, limit);
        cursor.buffer.push(...page.items);
        cursor.frontier = page.next ?? 'end';
      }
    }
    let newest: Cursor<T> | undefined;
    for (const cursor of cursors) {
      const head = cursor.buffer[0];
      if (!head) continue;
      const best = newest?.buffer[0];
      if (!best || head.at > best.at || (head.at === best.at && head.id > best.id)) newest = cursor;
    }
    const taken = newest?.buffer.shift();
    if (!newest || !taken) break;
    items.push(taken.item);
    newest.resume = {
      at: taken.at,
      id: taken.id,
      ...(taken.bucket === undefined ? {} : { bucket: taken.bucket }),
    };
  }
  // A partition whose buffer is used up resumes where its reads stopped; one with items left
  // resumes after the last item taken from it (or where it started).
  const next = cursors.map((c) => (c.buffer.length === 0 ? c.frontier : c.resume));
  return next.every((p) => p === 'end') ? { items } : { items, next };
}

/** A page token: the positions and the query they belong to, so a token cannot jump queries. */
interface PageToken {
  readonly v: 1;
  readonly q: string;
  readonly p: readonly ListPosition[];
}

function queryKey(query: ConversationQuery): string {
  // The snooze's `now` moves between pages: only what it shows belongs to the listing.
  return JSON.stringify([
    query.status ?? '',
    query.channel ?? '',
    query.assignee ?? '',
    ...(query.unassigned || query.label !== undefined || query.snooze
      ? [query.unassigned === true, query.label ?? '', query.snooze?.show ?? '']
      : []),
  ]);
}

/**
 * `variant` names a listing that reads the index differently (an unread filter, a deadline
 * order), so a token of one cannot continue another.
 */
export function encodePageToken(
  query: ConversationQuery,
  positions: readonly ListPosition[],
  variant = '',
): string {
  const token: PageToken = { v: 1, q: queryKey(query) + variant, p: positions };
  return toBase64Url(JSON.stringify(token));
}

/** The positions a token names; InvalidInputError (field `nextToken`) for anything else. */
export function decodePageToken(query: ConversationQuery, token: string, variant = ''): ListPosition[] {
  const candidate = readToken(token) as Partial<PageToken> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    candidate.v !== 1 ||
    !Array.isArray(candidate.p) ||
    !candidate.p.every(isPosition)
  ) {
    throw new InvalidInputError('nextToken is not a token this API issued', { field: 'nextToken' });
  }
  checkQuery(candidate.q, query, variant);
  return candidate.p;
}

/** A token of a listing ordered in memory (by deadline): how many rows the earlier pages showed. */
interface OffsetToken {
  readonly v: 1;
  readonly q: string;
  readonly o: number;
}

export function encodeOffsetToken(query: ConversationQuery, offset: number, variant: string): string {
  const token: OffsetToken = { v: 1, q: queryKey(query) + variant, o: offset };
  return toBase64Url(JSON.stringify(token));
}

export function decodeOffsetToken(query: ConversationQuery, token: string, variant: string): number {
  const candidate = readToken(token) as Partial<OffsetToken> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    candidate.v !== 1 ||
    typeof candidate.o !== 'number' ||
    !Number.isInteger(candidate.o) ||
    candidate.o < 0 ||
    candidate.o > 100_000
  ) {
    throw new InvalidInputError('nextToken is not a token this API issued', { field: 'nextToken' });
  }
  checkQuery(candidate.q, query, variant);
  return candidate.o;
}

function readToken(token: string): unknown {
  try {
    return JSON.parse(fromBase64Url(token));
  } catch (error) {
    throw new InvalidInputError('nextToken is not a token this API issued', {
      field: 'nextToken',
      cause: error,
    });
  }
}

function checkQuery(given: unknown, query: ConversationQuery, variant: string): void {
  if (given !== queryKey(query) + variant) {
    throw new InvalidInputError('nextToken belongs to a listing with other filters', { field: 'nextToken' });
  }
}

function isPosition(value: unknown): value is ListPosition {
  if (value === 'start' || value === 'end') return true;
  if (typeof value !== 'object' || value === null) return false;
  const { at, id, bucket } = value as { at?: unknown; id?: unknown; bucket?: unknown };
  return (
    typeof at === 'string' &&
    typeof id === 'string' &&
    at.length <= 64 &&
    id.length <= 200 &&
    (bucket === undefined || (typeof bucket === 'string' && bucket.length <= 64))
  );
}

// Web APIs (TextEncoder, btoa) rather than Buffer: the core runs anywhere JavaScript does.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(token: string): string {
  if (token.length > 4096 || !/^[A-Za-z0-9_-]*$/.test(token)) throw new Error('not base64url');
  const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
