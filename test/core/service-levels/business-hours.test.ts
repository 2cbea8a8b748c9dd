import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../../functions/core/config.ts';
import { ConfigurationError, InvalidInputError } from '../../../functions/core/errors.ts';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpenAt,
  nextOpeningAt,
} from '../../../functions/core/service-levels/business-hours.ts';

const ISTANBUL = 'Europe/Istanbul';
const BERLIN = 'Europe/Berlin';

const weekdays = [{ open: '09:00', close: '18:00' }];

/** Istanbul has no DST (UTC+3 all year); Monday 2026-03-09 is a holiday. */
const istanbulShop: BusinessHours = {
  timezone: ISTANBUL,
  weekly: {
    mon: weekdays,
    tue: weekdays,
    wed: weekdays,
    thu: weekdays,
    fri: weekdays,
    sat: [{ open: '10:00', close: '14:00' }],
  },
  holidays: ['2026-03-09'],
};

const istanbulWeekdaysOnly: BusinessHours = {
  timezone: ISTANBUL,
  weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
  holidays: [],
};

const berlinOffice: BusinessHours = {
  timezone: BERLIN,
  weekly: {
    mon: [{ open: '09:00', close: '17:00' }],
    tue: [{ open: '09:00', close: '17:00' }],
    wed: [{ open: '09:00', close: '17:00' }],
    thu: [{ open: '09:00', close: '17:00' }],
    fri: [{ open: '09:00', close: '17:00' }],
  },
  holidays: [],
};

/** A wall-clock time in a zone, as the instant it denotes. */
function local(isoWithoutOffset: string, zone: string): Date {
  const moment = DateTime.fromISO(isoWithoutOffset, { zone });
  if (!moment.isValid) throw new Error(`bad test time ${isoWithoutOffset}`);
  return moment.toJSDate();
}

/** The instant shown as wall clock and offset in `zone`, so a failure shows both. */
function shownIn(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true }) ?? 'invalid';
}

describe('isOpenAt', () => {
  it.each([
    ['opening minute of a weekday', '2026-03-06T09:00', true],
    ['last minute before closing', '2026-03-06T17:59', true],
    ['closing minute', '2026-03-06T18:00', false],
    ['one minute before opening', '2026-03-06T08:59', false],
    ['Saturday short hours, inside', '2026-03-07T13:59', true],
    ['Saturday short hours, at their close', '2026-03-07T14:00', false],
    ['Saturday before its later opening', '2026-03-07T09:30', false],
    ['Sunday (no hours configured)', '2026-03-08T12:00', false],
    ['holiday Monday at noon', '2026-03-09T12:00', false],
    ['Tuesday after the holiday', '2026-03-10T12:00', true],
  ])('%s (%s Istanbul) → %s', (_case, wallClock, expected) => {
    // Prepare
    const at = local(wallClock, ISTANBUL);

    // Act
    const open = isOpenAt(at, istanbulShop);

    // Assess
    expect(open).toBe(expected);
  });

  it('reads the wall clock in the schedule zone, not UTC', () => {
    // Prepare: 06:30 UTC is 09:30 in Istanbul (open), though 06:30 itself would be closed
    const at = new Date('2026-03-06T06:30:00Z');

    // Act
    const open = isOpenAt(at, istanbulShop);

    // Assess
    expect(open).toBe(true);
  });
});

describe('nextOpeningAt', () => {
  it.each([
    ['open already: the moment itself', '2026-03-06T11:15', '2026-03-06T11:15:00+03:00'],
    ['exactly at opening', '2026-03-06T09:00', '2026-03-06T09:00:00+03:00'],
    ['before opening the same day', '2026-03-06T07:45', '2026-03-06T09:00:00+03:00'],
    ['Friday evening → Saturday short hours', '2026-03-06T19:00', '2026-03-07T10:00:00+03:00'],
    ['exactly at Friday close → Saturday', '2026-03-06T18:00', '2026-03-07T10:00:00+03:00'],
    [
      'Saturday afternoon → Tuesday, skipping Sunday and the holiday Monday',
      '2026-03-07T15:00',
      '2026-03-10T09:00:00+03:00',
    ],
  ])('%s', (_case, wallClock, expected) => {
    // Prepare
    const at = local(wallClock, ISTANBUL);

    // Act
    const opening = nextOpeningAt(at, istanbulShop);

    // Assess
    expect(shownIn(opening, ISTANBUL)).toBe(expected);
  });

  it('jumps over a lunch break to the afternoon interval', () => {
    // Prepare
    const withLunch: BusinessHours = {
      timezone: ISTANBUL,
      weekly: {
        fri: [
          { open: '13:00', close: '18:00' },
          { open: '09:00', close: '12:00' },
        ],
      },
      holidays: [],
    };

    // Act
    const opening = nextOpeningAt(local('2026-03-06T12:30', ISTANBUL), withLunch);

    // Assess
    expect(shownIn(opening, ISTANBUL)).toBe('2026-03-06T13:00:00+03:00');
  });

  it('throws a ConfigurationError for a schedule with no open day instead of looping', () => {
    // Prepare
    const neverOpen: BusinessHours = { timezone: ISTANBUL, weekly: { mon: [] }, holidays: [] };

    // Act
    const act = () => nextOpeningAt(local('2026-03-06T12:00', ISTANBUL), neverOpen);

    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(/no opening within 366 days/);
  });

  it('throws a ConfigurationError for an unknown time zone', () => {
    // Prepare
    const badZone: BusinessHours = { ...istanbulShop, timezone: 'Mars/Olympus_Mons' };

    // Act
    const act = () => nextOpeningAt(new Date('2026-03-06T12:00:00Z'), badZone);

    // Assess
    expect(act).toThrow(ConfigurationError);
  });
});

describe('addBusinessMinutes', () => {
  it.each([
    ['within the same day', istanbulShop, '2026-03-06T10:00', 120, '2026-03-06T12:00:00+03:00'],
    [
      'ending exactly at closing time stays that day',
      istanbulShop,
      '2026-03-06T17:00',
      60,
      '2026-03-06T18:00:00+03:00',
    ],
    [
      'one minute past closing → first minute of the next opening',
      istanbulShop,
      '2026-03-06T17:00',
      61,
      '2026-03-07T10:01:00+03:00',
    ],
    [
      'Friday evening → Monday (weekdays only)',
      istanbulWeekdaysOnly,
      '2026-03-06T20:00',
      240,
      '2026-03-09T13:00:00+03:00',
    ],
    [
      'Friday 17:00 + 4h → 1h Friday + 3h Saturday short hours',
      istanbulShop,
      '2026-03-06T17:00',
      240,
      '2026-03-07T13:00:00+03:00',
    ],
    [
      'Friday 17:00 + 6h → Saturday is used up, holiday Monday skipped → Tuesday',
      istanbulShop,
      '2026-03-06T17:00',
      360,
      '2026-03-10T10:00:00+03:00',
    ],
    [
      'starting at night counts from the opening',
      istanbulShop,
      '2026-03-06T03:00',
      30,
      '2026-03-06T09:30:00+03:00',
    ],
    [
      'a full week of business time',
      istanbulWeekdaysOnly,
      '2026-03-02T09:00',
      5 * 9 * 60,
      '2026-03-06T18:00:00+03:00',
    ],
  ])('%s', (_case, hours, wallClock, minutes, expected) => {
    // Prepare
    const from = local(wallClock, ISTANBUL);

    // Act
    const due = addBusinessMinutes(from, minutes, hours);

    // Assess
    expect(shownIn(due, ISTANBUL)).toBe(expected);
  });

  it('skips the lunch break of a day with two intervals', () => {
    // Prepare
    const withLunch: BusinessHours = {
      timezone: ISTANBUL,
      weekly: {
        fri: [
          { open: '09:00', close: '12:00' },
          { open: '13:00', close: '18:00' },
        ],
      },
      holidays: [],
    };

    // Act
    const due = addBusinessMinutes(local('2026-03-06T11:30', ISTANBUL), 60, withLunch);

    // Assess
    expect(shownIn(due, ISTANBUL)).toBe('2026-03-06T13:30:00+03:00');
  });

  it('does not count overlapping intervals twice', () => {
    // Prepare
    const overlapping: BusinessHours = {
      timezone: ISTANBUL,
      weekly: {
        fri: [
          { open: '09:00', close: '13:00' },
          { open: '12:00', close: '14:00' },
        ],
      },
      holidays: [],
    };

    // Act
    const due = addBusinessMinutes(local('2026-03-06T09:00', ISTANBUL), 300, overlapping);

    // Assess: 09:00–14:00 is exactly 300 minutes
    expect(shownIn(due, ISTANBUL)).toBe('2026-03-06T14:00:00+03:00');
  });

  it('keeps wall-clock hours across the spring-forward weekend in Berlin', () => {
    // Prepare: Friday 2026-03-27 is CET (+01:00), Monday 2026-03-30 is CEST (+02:00)
    const from = local('2026-03-27T16:00', BERLIN);

    // Act
    const due = addBusinessMinutes(from, 120, berlinOffice);

    // Assess
    expect(shownIn(due, BERLIN)).toBe('2026-03-30T10:00:00+02:00');
    expect(due.toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('keeps wall-clock hours across the fall-back weekend in Berlin', () => {
    // Prepare: Friday 2026-10-23 is CEST (+02:00), Monday 2026-10-26 is CET (+01:00)
    const from = local('2026-10-23T16:00', BERLIN);

    // Act
    const due = addBusinessMinutes(from, 120, berlinOffice);

    // Assess
    expect(shownIn(due, BERLIN)).toBe('2026-10-26T10:00:00+01:00');
    expect(due.toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts real elapsed time on the spring-forward night (01:00–04:00 is two hours)', () => {
    // Prepare
    const sundayNight: BusinessHours = {
      timezone: BERLIN,
      weekly: { sun: [{ open: '01:00', close: '04:00' }] },
      holidays: [],
    };
    const from = local('2026-03-29T01:00', BERLIN);

    // Act
    const due = addBusinessMinutes(from, 90, sundayNight);
    const afterAllOfIt = addBusinessMinutes(from, 121, sundayNight);

    // Assess: 90 real minutes after 01:00 CET is 03:30 CEST; the 121st minute is next Sunday
    expect(shownIn(due, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
    expect(shownIn(afterAllOfIt, BERLIN)).toBe('2026-04-05T01:01:00+02:00');
  });

  it('opens after the gap when the opening time does not exist that day', () => {
    // Prepare: 02:30 does not exist in Berlin on 2026-03-29
    const inTheGap: BusinessHours = {
      timezone: BERLIN,
      weekly: { sun: [{ open: '02:30', close: '05:00' }] },
      holidays: [],
    };

    // Act
    const opening = nextOpeningAt(local('2026-03-29T00:00', BERLIN), inTheGap);

    // Assess
    expect(shownIn(opening, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
  });

  it('treats a close of "24:00" as the following midnight', () => {
    // Prepare
    const lateShift: BusinessHours = {
      timezone: ISTANBUL,
      weekly: { fri: [{ open: '22:00', close: '24:00' }] },
      holidays: [],
    };

    // Act
    const due = addBusinessMinutes(local('2026-03-06T23:00', ISTANBUL), 60, lateShift);

    // Assess
    expect(shownIn(due, ISTANBUL)).toBe('2026-03-07T00:00:00+03:00');
  });

  it('returns the start itself for zero minutes, even when closed', () => {
    // Prepare
    const from = local('2026-03-08T12:00', ISTANBUL);

    // Act
    const due = addBusinessMinutes(from, 0, istanbulShop);

    // Assess
    expect(due.getTime()).toBe(from.getTime());
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects %s minutes as invalid input',
    (minutes) => {
      // Prepare
      const from = local('2026-03-06T12:00', ISTANBUL);

      // Act
      const act = () => addBusinessMinutes(from, minutes, istanbulShop);

      // Assess
      expect(act).toThrow(InvalidInputError);
    },
  );

  it('rejects an invalid date as invalid input', () => {
    // Prepare
    const notADate = new Date('not a date');

    // Act
    const act = () => addBusinessMinutes(notADate, 10, istanbulShop);

    // Assess
    expect(act).toThrow(InvalidInputError);
  });

  it('throws a ConfigurationError when every open day is a holiday for over a year', () => {
    // Prepare: open only on Mondays, and all Mondays of the next 400 days are holidays
    const firstMonday = DateTime.fromISO('2026-03-09', { zone: ISTANBUL });
    const mondays = Array.from(
      { length: 60 },
      (_, week) => firstMonday.plus({ weeks: week }).toISODate() ?? '',
    );
    const closedAllYear: BusinessHours = { timezone: ISTANBUL, weekly: { mon: weekdays }, holidays: mondays };

    // Act
    const act = () => addBusinessMinutes(local('2026-03-06T12:00', ISTANBUL), 10, closedAllYear);

    // Assess
    expect(act).toThrow(ConfigurationError);
  });
});

describe('businessMinutesBetween', () => {
  it.each([
    ['inside one interval', istanbulShop, '2026-03-06T10:00', '2026-03-06T10:45', 45],
    [
      'Friday 17:00 → Monday 10:00, weekdays only',
      istanbulWeekdaysOnly,
      '2026-03-06T17:00',
      '2026-03-09T10:00',
      120,
    ],
    [
      'Friday 17:00 → Tuesday 10:00 over Saturday and the holiday',
      istanbulShop,
      '2026-03-06T17:00',
      '2026-03-10T10:00',
      60 + 240 + 60,
    ],
    ['entirely while closed', istanbulShop, '2026-03-07T15:00', '2026-03-09T20:00', 0],
    ['to before from', istanbulShop, '2026-03-06T12:00', '2026-03-06T11:00', 0],
    ['from equals to', istanbulShop, '2026-03-06T12:00', '2026-03-06T12:00', 0],
  ])('%s → %i minutes', (_case, hours, fromWallClock, toWallClock, expected) => {
    // Prepare
    const from = local(fromWallClock, ISTANBUL);
    const to = local(toWallClock, ISTANBUL);

    // Act
    const minutes = businessMinutesBetween(from, to, hours);

    // Assess
    expect(minutes).toBe(expected);
  });

  it('measures real time on DST Sundays: 01:00–04:00 is 120 minutes in spring and 240 in autumn', () => {
    // Prepare
    const sundayNight: BusinessHours = {
      timezone: BERLIN,
      weekly: { sun: [{ open: '01:00', close: '04:00' }] },
      holidays: [],
    };

    // Act
    const spring = businessMinutesBetween(
      local('2026-03-29T00:00', BERLIN),
      local('2026-03-29T12:00', BERLIN),
      sundayNight,
    );
    const autumn = businessMinutesBetween(
      local('2026-10-25T00:00', BERLIN),
      local('2026-10-25T12:00', BERLIN),
      sundayNight,
    );

    // Assess
    expect(spring).toBe(120);
    expect(autumn).toBe(240);
  });

  it('is the inverse of addBusinessMinutes, and the result is never before the next opening', () => {
    // Prepare: a Berlin schedule with a lunch break, short Saturdays and holidays, over DST changes
    const berlinShop: BusinessHours = {
      timezone: BERLIN,
      weekly: {
        mon: [
          { open: '09:00', close: '12:30' },
          { open: '13:30', close: '18:00' },
        ],
        wed: [{ open: '09:00', close: '18:00' }],
        fri: [{ open: '09:00', close: '18:00' }],
        sat: [{ open: '10:00', close: '14:00' }],
        sun: [{ open: '01:00', close: '04:00' }],
      },
      holidays: ['2026-03-30', '2026-10-26', '2026-12-25'],
    };
    const instants = fc.date({
      min: new Date('2026-01-01T00:00:00Z'),
      max: new Date('2026-12-31T00:00:00Z'),
      noInvalidDate: true,
    });

    // Act + Assess (per generated case)
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 5_000 }), (from, minutes) => {
        const due = addBusinessMinutes(from, minutes, berlinShop);
        expect(businessMinutesBetween(from, due, berlinShop)).toBe(minutes);
        if (minutes > 0) expect(due.getTime()).toBeGreaterThan(nextOpeningAt(from, berlinShop).getTime());
      }),
      { numRuns: 300 },
    );
  });
});
