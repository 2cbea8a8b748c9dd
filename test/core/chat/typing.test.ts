import { describe, expect, it } from 'vitest';
import { VisitorTypingRelay } from '../../../functions/core/chat/typing.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 10) + ms);

describe("relaying a visitor's typing to agents", () => {
  it('lets one start through per interval, and a stop only after a start', () => {
    // Prepare
    const relay = new VisitorTypingRelay(3_000);

    // Act
    const decisions = [
      relay.take('k', 'c-1', 'stop', at(0)),
      relay.take('k', 'c-1', 'start', at(0)),
      relay.take('k', 'c-1', 'start', at(1_000)),
      relay.take('k', 'c-1', 'start', at(3_500)),
      relay.take('k', 'c-1', 'stop', at(3_600)),
      relay.take('k', 'c-1', 'stop', at(3_700)),
      relay.take('k', 'c-1', 'start', at(3_800)),
    ];

    // Assess
    expect(decisions).toEqual([false, true, false, true, true, false, true]);
    expect(relay.known('k')).toEqual({ conversationId: 'c-1' });
  });

  it('forgets a connection, and bounds how many it remembers', () => {
    // Prepare
    const relay = new VisitorTypingRelay(3_000, 2);
    relay.take('a', 'c-1', 'start', at(0));
    relay.take('b', 'c-2', 'start', at(0));

    // Act
    relay.take('c', 'c-3', 'start', at(0));
    relay.forget('b');

    // Assess
    expect(relay.known('a')).toBeUndefined();
    expect(relay.known('b')).toBeUndefined();
    expect(relay.known('c')).toEqual({ conversationId: 'c-3' });
  });
});
