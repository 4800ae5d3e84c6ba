import type { Period } from './period';
import { assertInstant, assertTimeZone, daysInMonth, fromLocal, type LocalDateTime, toLocal } from './zoned-time';

export type { Period } from './period';

/**
 * Where a subscription's billing periods start and end. A cycle is an
 * infinite, strictly increasing sequence of boundaries b(k), k ∈ ℤ, each
 * computed directly from its index on the customer's wall clock, never by
 * stepping from the previous boundary: stepping would let one clamped month
 * (Jan 31 → Feb 28) shift every later boundary to the 28th.
 */
export const BILLING_INTERVALS = ['month', 'quarter', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export const INTERVAL_MONTHS: Readonly<Record<BillingInterval, number>> = Object.freeze({
  month: 1,
  quarter: 3,
  year: 12,
});

export type CycleAnchor =
  /**
   * Every interval from `at`: the same local day of month as `at` (clamped to the month's length,
   * always from the original day: Jan 31 → Feb 28/29 → Mar 31) at the same local wall-clock time.
   * `at` itself is always a boundary.
   */
  | { kind: 'anniversary'; at: Date }
  /**
   * Local midnight on `day` (1–31, clamped to the month's length) of months aligned to January:
   * every month, quarterly in Jan/Apr/Jul/Oct, yearly in January.
   */
  | { kind: 'calendar'; day: number };

export interface BillingCycle {
  interval: BillingInterval;
  /** IANA zone whose wall clock the boundaries follow (the customer's). */
  timeZone: string;
  anchor: CycleAnchor;
}

interface Boundaries {
  /** b(k) in epoch ms. */
  at(k: number): number;
  /** An index within one or two of the boundary on or before this wall time. */
  guess(local: LocalDateTime): number;
}

const monthIndex = (local: { year: number; month: number }): number => local.year * 12 + local.month - 1;

/** The wall time `time` on `day` (clamped) of the month with the given index, as an instant. */
function onMonth(index: number, day: number, time: LocalDateTime, timeZone: string): number {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return fromLocal({ ...time, year, month, day: Math.min(day, daysInMonth(year, month)) }, timeZone).getTime();
}

function boundariesOf(cycle: BillingCycle): Boundaries {
  if (!(BILLING_INTERVALS as readonly string[]).includes(cycle.interval)) {
    throw new RangeError(`unknown billing interval ${JSON.stringify(cycle.interval)}`);
  }
  const months = INTERVAL_MONTHS[cycle.interval];
  const { timeZone, anchor } = cycle;
  assertTimeZone(timeZone);
  switch (anchor.kind) {
    case 'anniversary': {
      assertInstant(anchor.at, 'anniversary anchor');
      const anchorMs = anchor.at.getTime();
      const local = toLocal(anchorMs, timeZone);
      const base = monthIndex(local);
      return {
        // b(0) is the anchor itself even when its wall time is the second occurrence of a repeated
        // hour, which the earlier-instant rule would otherwise move an hour back.
        at: (k) => (k === 0 ? anchorMs : onMonth(base + k * months, local.day, local, timeZone)),
        guess: (wall) => Math.floor((monthIndex(wall) - base) / months),
      };
    }
    case 'calendar': {
      const { day } = anchor;
      if (!Number.isInteger(day) || day < 1 || day > 31) {
        throw new RangeError(`calendar anchor day must be an integer from 1 to 31, got ${day}`);
      }
      // Month index 0 is January of year 0, so multiples of `months` are aligned to January.
      const midnight: LocalDateTime = { year: 0, month: 1, day, hour: 0, minute: 0, second: 0, millisecond: 0 };
      return {
        at: (k) => onMonth(k * months, day, midnight, timeZone),
        guess: (wall) => Math.floor(monthIndex(wall) / months),
      };
    }
    default:
      return unknownAnchor(anchor);
  }
}

function unknownAnchor(anchor: never): never {
  throw new RangeError(`unknown cycle anchor ${JSON.stringify(anchor)}`);
}

/** The boundaries around `instant`: start <= instant < end. */
function bracket(cycle: BillingCycle, instant: Date): { start: number; end: number } {
  const boundaries = boundariesOf(cycle);
  assertInstant(instant, 'instant');
  const t = instant.getTime();
  let k = boundaries.guess(toLocal(t, cycle.timeZone));
  let start = boundaries.at(k);
  while (start > t) start = boundaries.at(--k);
  let end = boundaries.at(k + 1);
  while (end <= t) {
    start = end;
    end = boundaries.at(++k + 1);
  }
  return { start, end };
}

/** The first boundary strictly after `instant`. */
export function boundaryAfter(cycle: BillingCycle, instant: Date): Date {
  return new Date(bracket(cycle, instant).end);
}

/** The last boundary at or before `instant`. */
export function boundaryOnOrBefore(cycle: BillingCycle, instant: Date): Date {
  return new Date(bracket(cycle, instant).start);
}

/** The full cycle period [boundaryOnOrBefore, boundaryAfter) holding `instant`. */
export function periodContaining(cycle: BillingCycle, instant: Date): Period {
  const { start, end } = bracket(cycle, instant);
  return { start: new Date(start), end: new Date(end) };
}

/**
 * The first period of a subscription starting at `start`: up to the next boundary. With calendar
 * billing and a start between boundaries this is a shorter "stub" period, prorated against
 * `periodContaining(cycle, start)`.
 */
export function firstPeriod(cycle: BillingCycle, start: Date): Period {
  return { start: new Date(start.getTime()), end: boundaryAfter(cycle, start) };
}

/** The period that follows `period`: from its end to the next boundary. */
export function nextPeriod(cycle: BillingCycle, period: Period): Period {
  return { start: new Date(period.end.getTime()), end: boundaryAfter(cycle, period.end) };
}

export function isBoundary(cycle: BillingCycle, instant: Date): boolean {
  return bracket(cycle, instant).start === instant.getTime();
}
