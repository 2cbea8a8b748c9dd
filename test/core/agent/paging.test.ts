import { describe, expect, it } from 'vitest';
import {
  decodePageToken,
  encodePageToken,
  mergeNewestFirst,
  type Positioned,
  type SortedPartition,
} from '../../../functions/core/agent/paging.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import type { ListPosition } from '../../../functions/core/ports/conversations.ts';

interface Item {
  readonly id: string;
  readonly at: string;
  readonly keep: boolean;
}

/** A partition read newest first as DynamoDB does: `limit` items looked at, then a filter. */
function partition(items: readonly Item[], reads: { count: number }): SortedPartition<Item> {
  const sorted = [...items].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  return {
    async read(after: ListPosition, limit: number) {
      reads.count += 1;
      if (after === 'end') return { items: [] };
      const start =
        after === 'start'
          ? 0
          : sorted.findIndex((i) => i.at < after.at || (i.at === after.at && i.id < after.id));
      if (start < 0) return { items: [] };
      const looked = sorted.slice(start, start + limit);
      const last = looked.at(-1);
      const positioned: Positioned<Item>[] = looked
        .filter((i) => i.keep)
        .map((item) => ({ item, at: item.at, id: item.id }));
      return start + limit < sorted.length && last
        ? { items: positioned, next: { at: last.at, id: last.id } }
        : { items: positioned };
    },
  };
}

function items(prefix: string, minutes: readonly number[], keep = (_i: number) => true): Item[] {
  return minutes.map((m, i) => ({
    id: `${prefix}${i}`,
    at: `2026-11-23T10:${String(m).padStart(2, '0')}:00.000Z`,
    keep: keep(i),
  }));
}

async function readAll(partitions: SortedPartition<Item>[], limit: number, maxReads = 50) {
  const pages: Item[][] = [];
  let positions: ListPosition[] = partitions.map(() => 'start');
  for (let page = 0; page < 50; page++) {
    const result = await mergeNewestFirst(partitions, positions, limit, maxReads);
    pages.push(result.items);
    if (!result.next) break;
    positions = result.next;
  }
  return pages;
}

describe('mergeNewestFirst', () => {
  it('pages through every shard newest first, each item exactly once', async () => {
    // Prepare
    const reads = { count: 0 };
    const shards = [
      partition(items('a', [1, 5, 9, 13, 40]), reads),
      partition(items('b', [2, 3, 30, 31, 32, 33]), reads),
      partition(items('c', [7]), reads),
      partition([], reads),
    ];

    // Act
    const pages = await readAll(shards, 3);

    // Assess
    const all = pages.flat();
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort().reverse());
    expect(all).toHaveLength(12);
    expect(new Set(all.map((i) => i.id)).size).toBe(12);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
  });

  it('skips filtered items and still resumes exactly where each shard stopped', async () => {
    // Prepare: only every third item matches the filter
    const reads = { count: 0 };
    const keepThird = (i: number) => i % 3 === 0;
    const shards = [
      partition(items('a', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], keepThird), reads),
      partition(items('b', [20, 21, 22, 23, 24, 25], keepThird), reads),
    ];

    // Act
    const pages = await readAll(shards, 2);

    // Assess
    const all = pages.flat();
    expect(all.map((i) => i.id).sort()).toEqual(['a0', 'a3', 'a6', 'a9', 'b0', 'b3'].sort());
    expect(all.every((i) => i.keep)).toBe(true);
  });

  it('stops at the read budget with a short page and a position to go on from', async () => {
    // Prepare: nothing matches, so a full page would need every item read
    const reads = { count: 0 };
    const shards = [
      partition(
        items('a', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], () => false),
        reads,
      ),
    ];

    // Act
    const first = await mergeNewestFirst(shards, ['start'], 2, 3);

    // Assess
    expect(first.items).toEqual([]);
    expect(reads.count).toBe(3);
    expect(first.next?.[0]).toMatchObject({ at: '2026-11-23T10:05:00.000Z' });
  });

  it('resumes a bucketed partition after the last item taken, naming its bucket', async () => {
    // Prepare: a partition that hands out one whole hour bucket per read
    const bucketed: SortedPartition<Item> = {
      async read() {
        const hour = items('h', [50, 40, 30]).map((item) => ({
          item,
          at: item.at,
          id: item.id,
          bucket: '2026-11-23T10',
        }));
        return { items: hour, next: { bucket: '2026-11-23T10', at: '', id: '' } };
      },
    };

    // Act
    const page = await mergeNewestFirst([bucketed], ['start'], 2, 5);

    // Assess
    expect(page.items.map((i) => i.id)).toEqual(['h0', 'h1']);
    expect(page.next).toEqual([{ at: '2026-11-23T10:40:00.000Z', id: 'h1', bucket: '2026-11-23T10' }]);
  });

  it('says nothing is left when every shard is exhausted', async () => {
    // Act
    const result = await mergeNewestFirst([partition(items('a', [1, 2]), { count: 0 })], ['start'], 5, 5);

    // Assess
    expect(result.items).toHaveLength(2);
    expect(result.next).toBeUndefined();
  });
});

describe('page tokens', () => {
  const query = { status: 'open' as const, channel: 'email' as const };

  it('round-trips the positions of the same listing', () => {
    // Prepare
    const positions: ListPosition[] = [
      'start',
      'end',
      { at: '2026-11-23T10:00:00.000Z', id: 'çğ-1' },
      { at: '2026-11-23T10:05:00.000Z', id: 'conv-2', bucket: '2026-11-23T10' },
      { at: '', id: '', bucket: '2026-11-23T09' },
    ];

    // Act
    const decoded = decodePageToken(query, encodePageToken(query, positions));

    // Assess
    expect(decoded).toEqual(positions);
  });

  it.each([
    ['garbage', 'not a token!'],
    ['valid base64 but no token', Buffer.from('{"v":2}').toString('base64url')],
  ])('refuses %s with the field nextToken', (_case, token) => {
    // Act / Assess
    expect(() => decodePageToken(query, token)).toThrow(InvalidInputError);
    try {
      decodePageToken(query, token);
    } catch (error) {
      expect((error as InvalidInputError).field).toBe('nextToken');
    }
  });

  it('refuses a token of a listing with other filters', () => {
    // Prepare
    const token = encodePageToken(query, ['start']);

    // Act / Assess
    expect(() => decodePageToken({ status: 'closed' }, token)).toThrow(/other filters/);
  });
});
