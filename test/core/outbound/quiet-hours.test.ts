import { describe, expect, it } from 'vitest';
import { earliestSendTime } from '../../../functions/core/outbound/quiet-hours.ts';

const TCPA = { start: '21:00', end: '08:00' };

describe('earliestSendTime', () => {
  it.each([
    ['2026-11-23T10:00:00Z', 'Europe/Istanbul', '2026-11-23T10:00:00.000Z'], // 13:00 local: now
    ['2026-11-23T17:59:00Z', 'Europe/Istanbul', '2026-11-23T17:59:00.000Z'], // 20:59 local: still now
    ['2026-11-23T18:00:00Z', 'Europe/Istanbul', '2026-11-24T05:00:00.000Z'], // 21:00 local: tomorrow 08:00
    ['2026-11-23T22:30:00Z', 'Europe/Istanbul', '2026-11-24T05:00:00.000Z'], // 01:30 local: 08:00 the same day
    ['2026-11-24T05:00:00Z', 'Europe/Istanbul', '2026-11-24T05:00:00.000Z'], // 08:00 local: the end is allowed
    ['2026-11-23T10:00:00Z', 'America/New_York', '2026-11-23T13:00:00.000Z'], // 05:00 local: 08:00 EST
  ])('at %s in %s: %s', (now, zone, expected) => {
    // Act
    const at = earliestSendTime(new Date(now), TCPA, zone);

    // Assess
    expect(at.toISOString()).toBe(expected);
  });

  it('keeps 08:00 local across the spring-forward night', () => {
    // Prepare: 2026-03-08 02:00 EST → 03:00 EDT in New York; 23:00 EST the evening before
    const now = new Date('2026-03-08T04:00:00Z');

    // Act
    const at = earliestSendTime(now, TCPA, 'America/New_York');

    // Assess: 08:00 EDT is 12:00 UTC
    expect(at.toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('supports quiet hours within one day', () => {
    // Act
    const during = earliestSendTime(
      new Date('2026-11-23T10:30:00Z'),
      { start: '13:00', end: '14:00' },
      'Europe/Istanbul',
    );
    const after = earliestSendTime(
      new Date('2026-11-23T11:30:00Z'),
      { start: '13:00', end: '14:00' },
      'Europe/Istanbul',
    );

    // Assess
    expect(during.toISOString()).toBe('2026-11-23T11:00:00.000Z');
    expect(after.toISOString()).toBe('2026-11-23T11:30:00.000Z');
  });

  it('refuses a zone that does not exist', () => {
    // Act / Assess
    expect(() => earliestSendTime(new Date(), TCPA, 'Mars/Olympus')).toThrow(/IANA/);
  });
});
