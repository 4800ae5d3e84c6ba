import { isTimeZone } from '../time/time-zones';

/**
 * Conversions between instants and a customer's wall clock in an IANA zone,
 * through the runtime's Intl time-zone data only: no clock, no I/O, so the
 * same code runs in Temporal workflows. Wall times that do not exist or
 * exist twice are resolved by one rule (`fromLocal`, docs/periods-and-proration.md).
 */
export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;

// Building a formatter costs far more than using one; a cycle computation uses a handful per call.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    // Gregorian calendar, Latin digits and h23 (never "24" at midnight), whatever the default locale;
    // the era tells years before 1 CE apart (Intl prints them as positive years).
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws RangeError unless the runtime knows the IANA zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Throws RangeError for anything that is not a valid Date (checked by tag, so Dates from another realm pass). */
export function assertInstant(value: Date, what: string): void {
  if (Object.prototype.toString.call(value) !== '[object Date]' || Number.isNaN(value.getTime())) {
    throw new RangeError(`${what} is not a valid date`);
  }
}

/** The wall-clock reading of `epochMs` in `timeZone`. */
export function toLocal(epochMs: number, timeZone: string): LocalDateTime {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  const { era, year, month, day, hour, minute, second } = parts;
  if (!era || !year || !month || !day || !hour || !minute || !second) {
    throw new RangeError(`cannot read local time in ${timeZone} for ${epochMs}`);
  }
  const ceYear = Number(year);
  return {
    year: era === 'BC' ? 1 - ceYear : ceYear,
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    // Zone offsets are whole seconds, so the milliseconds are the instant's own.
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The wall time read as if it were UTC; differences of these are wall-clock durations. */
export function wallMs(local: LocalDateTime): number {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which maps years 0–99 to 1900–1999.
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, local.millisecond);
  return date.getTime();
}

function offsetAt(epochMs: number, timeZone: string): number {
  return wallMs(toLocal(epochMs, timeZone)) - epochMs;
}

/**
 * The instant at which `timeZone`'s clock reads `local`.
 * - Ambiguous (the hour repeated when clocks fall back): the earlier instant, the first occurrence.
 * - Inside a gap (the hour skipped when clocks spring forward): moved forward by the gap's length,
 *   so 02:30 on a day that jumps from 02:00 to 03:00 is 03:30 local.
 * This is Temporal's and java.time's "compatible" disambiguation. The offsets one day either side
 * bracket every candidate because no zone is more than a day from UTC.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = wallMs(local);
  if (Number.isNaN(wall)) throw new RangeError('local date-time is out of range');
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  // In a gap neither offset fits; the offset before the gap lands after it, `gap` later on the clock.
  const instant = candidates.length > 0 ? Math.min(...candidates) : wall - before;
  const result = new Date(instant);
  if (Number.isNaN(result.getTime())) throw new RangeError('local date-time is out of range');
  return result;
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(wallMs({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 })).getUTCDate();
}

/** The local calendar date of `epochMs` as a day count from 1970-01-01 (time of day dropped). */
export function localDayNumber(epochMs: number, timeZone: string): number {
  const local = toLocal(epochMs, timeZone);
  return Math.round(wallMs({ ...local, hour: 0, minute: 0, second: 0, millisecond: 0 }) / DAY_MS);
}
