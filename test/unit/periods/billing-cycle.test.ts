import {
  type BillingCycle,
  type BillingInterval,
  boundaryAfter,
  boundaryOnOrBefore,
  firstPeriod,
  INTERVAL_MONTHS,
  isBoundary,
  nextPeriod,
  periodContaining,
} from '../../../domain/periods/billing-cycle';

// Expected instants below are worked out by hand from the zone's offsets, not from the code under test.
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const anniversary = (interval: BillingInterval, timeZone: string, iso: string): BillingCycle => ({
  interval,
  timeZone,
  anchor: { kind: 'anniversary', at: at(iso) },
});
const calendar = (interval: BillingInterval, timeZone: string, day: number): BillingCycle => ({
  interval,
  timeZone,
  anchor: { kind: 'calendar', day },
});

/** The ends of `count` consecutive periods from `startIso`, as ISO strings. */
function ends(cycle: BillingCycle, startIso: string, count: number): string[] {
  const result: string[] = [];
  let period = firstPeriod(cycle, at(startIso));
  for (let i = 0; i < count; i++) {
    result.push(period.end.toISOString());
    period = nextPeriod(cycle, period);
  }
  return result;
}

describe('INTERVAL_MONTHS', () => {
  it('is 1, 3 and 12 months', () => {
    expect(INTERVAL_MONTHS).toEqual({ month: 1, quarter: 3, year: 12 });
  });
});

describe('month-end anchors clamp from the original day', () => {
  it.each([
    ['leap year, anniversary', anniversary('month', 'UTC', '2024-01-31T10:15:00.000Z'), '2024-01-31T10:15:00.000Z',
      ['2024-02-29T10:15:00.000Z', '2024-03-31T10:15:00.000Z', '2024-04-30T10:15:00.000Z', '2024-05-31T10:15:00.000Z']],
    ['non-leap year, anniversary', anniversary('month', 'UTC', '2023-01-31T10:15:00.000Z'), '2023-01-31T10:15:00.000Z',
      ['2023-02-28T10:15:00.000Z', '2023-03-31T10:15:00.000Z', '2023-04-30T10:15:00.000Z', '2023-05-31T10:15:00.000Z']],
    ['leap year, calendar day 31', calendar('month', 'UTC', 31), '2024-01-31T00:00:00.000Z',
      ['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z', '2024-05-31T00:00:00.000Z']],
    ['non-leap year, calendar day 31', calendar('month', 'UTC', 31), '2023-01-31T00:00:00.000Z',
      ['2023-02-28T00:00:00.000Z', '2023-03-31T00:00:00.000Z', '2023-04-30T00:00:00.000Z', '2023-05-31T00:00:00.000Z']],
    // Berlin: CET (+1) until 2024-03-31 02:00, then CEST (+2); midnight on Mar 31 is still CET.
    ['Berlin, calendar day 31 through the March change', calendar('month', 'Europe/Berlin', 31), '2024-01-30T23:00:00.000Z',
      ['2024-02-28T23:00:00.000Z', '2024-03-30T23:00:00.000Z', '2024-04-29T22:00:00.000Z', '2024-05-30T22:00:00.000Z']],
  ])('%s', (_name, cycle, start, expected) => {
    expect(isBoundary(cycle, at(start))).toBe(true);
    expect(ends(cycle, start, 4)).toEqual(expected);
  });

  it('computes each boundary from the anchor, not from the clamped one before it', () => {
    const cycle = anniversary('month', 'UTC', '2023-01-31T00:00:00.000Z');
    expect(boundaryAfter(cycle, at('2023-02-28T00:00:00.000Z')).toISOString()).toBe('2023-03-31T00:00:00.000Z');
    expect(isBoundary(cycle, at('2023-03-28T00:00:00.000Z'))).toBe(false);
  });
});

describe('boundaries follow the customer’s wall clock across DST', () => {
  it.each([
    // New York midnight on the 31st (clamped): EDT −4 until 2025-11-02, EST −5 until 2026-03-08.
    ['New York, anniversary at midnight on the 31st', anniversary('month', 'America/New_York', '2025-10-31T04:00:00.000Z'),
      '2025-10-31T04:00:00.000Z',
      ['2025-11-30T05:00:00.000Z', '2025-12-31T05:00:00.000Z', '2026-01-31T05:00:00.000Z', '2026-02-28T05:00:00.000Z', '2026-03-31T04:00:00.000Z']],
    ['New York, calendar day 1', calendar('month', 'America/New_York', 1), '2026-02-01T05:00:00.000Z',
      ['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', '2026-05-01T04:00:00.000Z']],
    // Berlin 09:00: CET +1 in winter, CEST +2 from 2026-03-29 to 2026-10-25.
    ['Berlin, anniversary at 09:00 on the 15th', anniversary('month', 'Europe/Berlin', '2026-02-15T08:00:00.000Z'),
      '2026-02-15T08:00:00.000Z', ['2026-03-15T08:00:00.000Z', '2026-04-15T07:00:00.000Z', '2026-05-15T07:00:00.000Z']],
    // Sydney: AEDT +11 until 2026-04-05 03:00, AEST +10 until 2026-10-04 02:00, then AEDT again.
    ['Sydney, calendar day 1 (autumn)', calendar('month', 'Australia/Sydney', 1), '2026-02-28T13:00:00.000Z',
      ['2026-03-31T13:00:00.000Z', '2026-04-30T14:00:00.000Z']],
    ['Sydney, calendar day 1 (spring)', calendar('month', 'Australia/Sydney', 1), '2026-08-31T14:00:00.000Z',
      ['2026-09-30T14:00:00.000Z', '2026-10-31T13:00:00.000Z']],
    ['Kolkata (+05:30), calendar day 1', calendar('month', 'Asia/Kolkata', 1), '2025-12-31T18:30:00.000Z',
      ['2026-01-31T18:30:00.000Z', '2026-02-28T18:30:00.000Z']],
  ])('%s', (_name, cycle, start, expected) => {
    expect(isBoundary(cycle, at(start))).toBe(true);
    expect(ends(cycle, start, expected.length)).toEqual(expected);
  });

  it('makes the March period one hour shorter and the November period one hour longer in UTC', () => {
    const cycle = calendar('month', 'America/New_York', 1);
    const march = periodContaining(cycle, at('2026-03-15T12:00:00Z'));
    const november = periodContaining(cycle, at('2026-11-15T12:00:00Z'));
    expect(march).toEqual({ start: at('2026-03-01T05:00:00Z'), end: at('2026-04-01T04:00:00Z') });
    expect(march.end.getTime() - march.start.getTime()).toBe(31 * DAY - HOUR);
    expect(november).toEqual({ start: at('2026-11-01T04:00:00Z'), end: at('2026-12-01T05:00:00Z') });
    expect(november.end.getTime() - november.start.getTime()).toBe(30 * DAY + HOUR);
  });
});

describe('wall times that do not exist or exist twice', () => {
  it.each([
    // New York springs forward 2026-03-08 02:00 EST → 03:00 EDT: 02:30 is 03:30 EDT = 07:30Z.
    ['New York gap: 02:30 → 03:30 EDT', anniversary('month', 'America/New_York', '2026-02-08T07:30:00Z'),
      ['2026-03-08T07:30:00.000Z', '2026-04-08T06:30:00.000Z']],
    // Berlin springs forward 2026-03-29 02:00 CET → 03:00 CEST: 02:30 is 03:30 CEST = 01:30Z.
    ['Berlin gap: 02:30 → 03:30 CEST', anniversary('month', 'Europe/Berlin', '2026-01-29T01:30:00Z'),
      ['2026-02-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-04-29T00:30:00.000Z']],
    // New York falls back 2026-11-01 02:00 EDT → 01:00 EST: 01:30 is 05:30Z (EDT), then 06:30Z (EST).
    ['New York overlap: 01:30 takes the first (EDT) occurrence', anniversary('month', 'America/New_York', '2026-10-01T05:30:00Z'),
      ['2026-11-01T05:30:00.000Z', '2026-12-01T06:30:00.000Z']],
    // Sydney falls back 2026-04-05 03:00 AEDT → 02:00 AEST: 02:30 is 15:30Z (AEDT) on the 4th, then 16:30Z.
    ['Sydney overlap: 02:30 takes the first (AEDT) occurrence', anniversary('month', 'Australia/Sydney', '2026-03-04T15:30:00Z'),
      ['2026-04-04T15:30:00.000Z', '2026-05-04T16:30:00.000Z']],
  ])('%s', (_name, cycle, expected) => {
    if (cycle.anchor.kind !== 'anniversary') throw new Error('anniversary cases only');
    expect(ends(cycle, cycle.anchor.at.toISOString(), expected.length)).toEqual(expected);
  });

  it('keeps an anchor on the second occurrence of a repeated hour as a boundary', () => {
    const cycle = anniversary('month', 'America/New_York', '2026-11-01T06:30:00Z'); // 01:30 EST
    expect(isBoundary(cycle, at('2026-11-01T06:30:00Z'))).toBe(true);
    expect(isBoundary(cycle, at('2026-11-01T05:30:00Z'))).toBe(false);
    expect(periodContaining(cycle, at('2026-11-01T06:30:00Z'))).toEqual({
      start: at('2026-11-01T06:30:00Z'),
      end: at('2026-12-01T06:30:00Z'),
    });
    expect(boundaryOnOrBefore(cycle, at('2026-11-01T06:29:59.999Z')).toISOString()).toBe('2026-10-01T05:30:00.000Z');
  });
});

describe('quarterly and yearly', () => {
  it.each([
    ['quarterly calendar day 31 (Jan/Apr/Jul/Oct)', calendar('quarter', 'UTC', 31), '2026-01-31T00:00:00.000Z',
      ['2026-04-30T00:00:00.000Z', '2026-07-31T00:00:00.000Z', '2026-10-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z']],
    ['quarterly calendar day 1 in Sydney', calendar('quarter', 'Australia/Sydney', 1), '2025-12-31T13:00:00.000Z',
      ['2026-03-31T13:00:00.000Z', '2026-06-30T14:00:00.000Z', '2026-09-30T14:00:00.000Z', '2026-12-31T13:00:00.000Z']],
    ['quarterly anniversary from Nov 30', anniversary('quarter', 'UTC', '2023-11-30T12:00:00Z'), '2023-11-30T12:00:00.000Z',
      ['2024-02-29T12:00:00.000Z', '2024-05-30T12:00:00.000Z', '2024-08-30T12:00:00.000Z', '2024-11-30T12:00:00.000Z', '2025-02-28T12:00:00.000Z']],
    ['yearly anniversary on Feb 29', anniversary('year', 'UTC', '2024-02-29T08:00:00Z'), '2024-02-29T08:00:00.000Z',
      ['2025-02-28T08:00:00.000Z', '2026-02-28T08:00:00.000Z', '2027-02-28T08:00:00.000Z', '2028-02-29T08:00:00.000Z', '2029-02-28T08:00:00.000Z']],
    ['yearly calendar day 15 in Kolkata', calendar('year', 'Asia/Kolkata', 15), '2026-01-14T18:30:00.000Z',
      ['2027-01-14T18:30:00.000Z', '2028-01-14T18:30:00.000Z']],
  ])('%s', (_name, cycle, start, expected) => {
    expect(isBoundary(cycle, at(start))).toBe(true);
    expect(ends(cycle, start, expected.length)).toEqual(expected);
  });

  it('aligns quarters and years to January whatever the instant', () => {
    expect(periodContaining(calendar('quarter', 'UTC', 31), at('2026-05-15T00:00:00Z'))).toEqual({
      start: at('2026-04-30T00:00:00Z'),
      end: at('2026-07-31T00:00:00Z'),
    });
    expect(periodContaining(calendar('year', 'UTC', 1), at('2026-07-04T00:00:00Z'))).toEqual({
      start: at('2026-01-01T00:00:00Z'),
      end: at('2027-01-01T00:00:00Z'),
    });
    expect(periodContaining(calendar('year', 'UTC', 31), at('2026-01-30T00:00:00Z'))).toEqual({
      start: at('2025-01-31T00:00:00Z'),
      end: at('2026-01-31T00:00:00Z'),
    });
  });
});

describe('before the anchor and at boundaries', () => {
  const cycle = anniversary('month', 'UTC', '2024-01-31T00:00:00Z');

  it('extends anniversary boundaries backwards from the anchor', () => {
    expect(periodContaining(cycle, at('2023-12-15T00:00:00Z'))).toEqual({
      start: at('2023-11-30T00:00:00Z'),
      end: at('2023-12-31T00:00:00Z'),
    });
    const yearly = anniversary('year', 'UTC', '2024-02-29T08:00:00Z');
    expect(boundaryOnOrBefore(yearly, at('2023-06-01T00:00:00Z')).toISOString()).toBe('2023-02-28T08:00:00.000Z');
    expect(boundaryOnOrBefore(yearly, at('2020-03-01T00:00:00Z')).toISOString()).toBe('2020-02-29T08:00:00.000Z');
  });

  it('treats a boundary as the start of its period', () => {
    const boundary = at('2024-02-29T00:00:00Z');
    expect(boundaryOnOrBefore(cycle, boundary)).toEqual(boundary);
    expect(boundaryAfter(cycle, boundary).toISOString()).toBe('2024-03-31T00:00:00.000Z');
    expect(boundaryAfter(cycle, new Date(boundary.getTime() - 1))).toEqual(boundary);
    expect(isBoundary(cycle, new Date(boundary.getTime() + 1))).toBe(false);
  });

  it('gives a stub first period when calendar billing starts between boundaries', () => {
    const monthly = calendar('month', 'UTC', 1);
    const first = firstPeriod(monthly, at('2026-06-16T09:30:00Z'));
    expect(first).toEqual({ start: at('2026-06-16T09:30:00Z'), end: at('2026-07-01T00:00:00Z') });
    expect(nextPeriod(monthly, first)).toEqual({ start: at('2026-07-01T00:00:00Z'), end: at('2026-08-01T00:00:00Z') });
  });
});

describe('bad input', () => {
  const good = calendar('month', 'UTC', 1);
  it.each(['Mars/Olympus', 'not a zone', '+02:00', ''])('refuses the time zone %p', (timeZone) => {
    expect(() => boundaryAfter({ ...good, timeZone }, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });

  it.each([0, 32, 1.5, -1, Number.NaN])('refuses calendar day %p', (day) => {
    expect(() => boundaryAfter(calendar('month', 'UTC', day), at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('refuses invalid dates and unknown intervals', () => {
    expect(() => boundaryAfter(good, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isBoundary(anniversary('month', 'UTC', 'nonsense'), at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => periodContaining({ ...good, interval: 'week' as BillingInterval }, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => nextPeriod(good, { start: at('2026-01-01T00:00:00Z'), end: new Date(Number.NaN) })).toThrow(RangeError);
  });
});
