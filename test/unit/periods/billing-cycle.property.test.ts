import fc from 'fast-check';
import {
  BILLING_INTERVALS,
  type BillingCycle,
  type BillingInterval,
  boundaryAfter,
  firstPeriod,
  INTERVAL_MONTHS,
  isBoundary,
  nextPeriod,
  type Period,
  periodContaining,
} from '../../../domain/periods/billing-cycle';
import { localParts } from '../../../domain/time/local-time';

// Zones with DST in both hemispheres, half-hour and 45-minute offsets, a 30-minute DST shift
// (Lord Howe) and DST starting at midnight (São Paulo until 2019).
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const MINUTE = 60_000;
// Shortest and longest span of each interval in days, with an hour or two of DST either way.
const DAYS_PER_INTERVAL: Record<BillingInterval, readonly [number, number]> = { month: [27.9, 31.1], quarter: [88.9, 92.1], year: [364.9, 366.1] };
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((t) => new Date(t));
const cycleArb: fc.Arbitrary<BillingCycle> = fc.record({
  interval: fc.constantFrom(...BILLING_INTERVALS),
  timeZone: fc.constantFrom(...ZONES),
  anchor: fc.oneof(
    fc.record({ kind: fc.constant('anniversary' as const), at: instant }),
    fc.record({ kind: fc.constant('calendar' as const), day: fc.integer({ min: 1, max: 31 }) }),
  ),
});

/**
 * The wall clock read by domain/time/local-time (a separate Intl reading), as minutes since
 * 1970-01-01 local, plus the calendar fields.
 */
function wallOf(t: number, zone: string) {
  const { date, minutesOfDay } = localParts(new Date(t), zone);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day, minutes: Date.UTC(year, month - 1, day) / MINUTE + minutesOfDay };
}
const offsetMinutes = (t: number, zone: string) => wallOf(t, zone).minutes - Math.floor(t / MINUTE);
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Checks that boundary `b` is where the anchor's rule puts it on the wall clock; returns its month index. */
function checkWallClock(cycle: BillingCycle, b: number): number {
  const zone = cycle.timeZone;
  const actual = wallOf(b, zone);
  const months = INTERVAL_MONTHS[cycle.interval];
  const { anchor } = cycle;
  const ref = anchor.kind === 'anniversary' ? wallOf(anchor.at.getTime(), zone) : undefined;
  const day = ref ? ref.day : anchor.kind === 'calendar' ? anchor.day : 0;
  const minuteOfDay = ref ? ((ref.minutes % 1440) + 1440) % 1440 : 0;
  const expectedMinutes = Date.UTC(actual.year, actual.month - 1, Math.min(day, daysIn(actual.year, actual.month))) / MINUTE + minuteOfDay;
  if (actual.minutes !== expectedMinutes) {
    // Only a wall time skipped by the clock may move, and then by exactly the jump.
    const jump = offsetMinutes(b, zone) - offsetMinutes(b - 3 * 3_600_000, zone);
    expect(jump).toBeGreaterThan(0);
    expect(actual.minutes - expectedMinutes).toBe(jump);
  } else if (!(anchor.kind === 'anniversary' && anchor.at.getTime() === b)) {
    // A repeated wall time resolves to its first occurrence.
    for (const back of [30, 60]) expect(wallOf(b - back * MINUTE, zone).minutes).not.toBe(actual.minutes);
  }
  const secondsAndMs = (t: number) => ((t % MINUTE) + MINUTE) % MINUTE;
  expect(secondsAndMs(b)).toBe(anchor.kind === 'anniversary' ? secondsAndMs(anchor.at.getTime()) : 0);
  const monthIndex = actual.year * 12 + actual.month - 1;
  const base = ref ? ref.year * 12 + ref.month - 1 : 0;
  expect((((monthIndex - base) % months) + months) % months).toBe(0);
  return monthIndex;
}

describe('billing cycles (properties)', () => {
  it('tile time from any start: no gap, no overlap, every boundary on the wall-clock rule', () => {
    fc.assert(
      fc.property(cycleArb, instant, (cycle, start) => {
        const months = INTERVAL_MONTHS[cycle.interval];
        let period: Period = firstPeriod(cycle, start);
        expect(period.start.getTime()).toBe(start.getTime());
        let previousMonth: number | undefined;
        for (let i = 0; i < 60; i++) {
          expect(period.end.getTime()).toBeGreaterThan(period.start.getTime());
          expect(isBoundary(cycle, period.end)).toBe(true);
          if (i > 0) expect(periodContaining(cycle, period.start)).toEqual(period);
          const month = checkWallClock(cycle, period.end.getTime());
          if (previousMonth !== undefined) expect(month - previousMonth).toBe(months);
          previousMonth = month;
          const next = nextPeriod(cycle, period);
          expect(next.start.getTime()).toBe(period.end.getTime());
          period = next;
        }
      }),
      { numRuns: 80 },
    );
  });

  it('places every instant in the period that contains it, between consecutive boundaries', () => {
    fc.assert(
      fc.property(cycleArb, instant, (cycle, t) => {
        const { start, end } = periodContaining(cycle, t);
        expect(start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(end.getTime());
        expect(isBoundary(cycle, start)).toBe(true);
        expect(boundaryAfter(cycle, start)).toEqual(end);
        expect(boundaryAfter(cycle, t)).toEqual(end);
        expect(isBoundary(cycle, t)).toBe(t.getTime() === start.getTime());
        checkWallClock(cycle, start.getTime());
        // A period spans one interval: never shorter than its shortest months, never longer than its longest.
        const days = (end.getTime() - start.getTime()) / 86_400_000;
        const [shortest, longest] = DAYS_PER_INTERVAL[cycle.interval];
        expect(days).toBeGreaterThan(shortest);
        expect(days).toBeLessThan(longest);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the anniversary anchor itself a boundary', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BILLING_INTERVALS), fc.constantFrom(...ZONES), instant, (interval, timeZone, at) => {
        expect(isBoundary({ interval, timeZone, anchor: { kind: 'anniversary', at } }, at)).toBe(true);
      }),
    );
  });
});
