import { z } from 'zod';
import { isTimeZone } from './time-zones';

/**
 * Where an instant falls on a customer's wall clock: weekday, minute of day
 * and calendar date in an IANA zone, following its DST rules. Pure: the
 * result depends only on the arguments and the runtime's time-zone data.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}

/** Catalogue field for a weekday. A refine, not an enum, so a typo does not stop the cross-field checks. */
export const weekdayText = z.string().refine(isWeekday, `must be one of ${WEEKDAYS.join(', ')}`);

export interface LocalParts {
  weekday: Weekday;
  /** 0–1439; seconds are dropped (a reading starting 08:00:30 is an 08:00 reading). */
  minutesOfDay: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
}

// Building a formatter costs far more than using one; a month of 15-minute readings uses one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    if (!isTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
    // Gregorian calendar, Latin digits and h23 (never "24" at midnight), whatever the default locale.
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  if (Number.isNaN(instant.getTime())) throw new Error('invalid date');
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const weekday = (parts.weekday ?? '').toLowerCase();
  if (!isWeekday(weekday) || !parts.year || !parts.month || !parts.day || !parts.hour || !parts.minute) {
    throw new Error(`cannot read local time in ${timeZone} for ${instant.toISOString()}`);
  }
  return {
    weekday,
    minutesOfDay: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}`,
  };
}
