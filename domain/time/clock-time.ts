import { z } from 'zod';

/**
 * Wall-clock times of day in price plans ("08:00", "24:00"), as minutes since
 * local midnight. 24:00 exists only as the end of a day, so a window can run
 * to midnight without a "23:59" that would drop the last minute.
 */
const HH_MM = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

export const MINUTES_PER_DAY = 1440;

/** "HH:MM" from 00:00 to 24:00 inclusive → minutes since midnight, or null when the text is not one. */
export function parseClockTime(text: string): number | null {
  const match = HH_MM.exec(text);
  if (!match) return null;
  if (match[1] === undefined || match[2] === undefined) return MINUTES_PER_DAY;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since midnight (0–1440) → "HH:MM". */
export function formatClockTime(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MINUTES_PER_DAY) {
    throw new Error(`not a time of day in minutes: ${minutes}`);
  }
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}

/** Catalogue field for a time of day; stays text so the plan reads back as written. */
export const clockTimeText = z
  .string()
  .refine((text) => parseClockTime(text) !== null, 'must be HH:MM between 00:00 and 24:00')
  .meta({ example: '08:00' });

/** For values already validated by `clockTimeText`; throws rather than guess. */
export function clockMinutes(text: string): number {
  const minutes = parseClockTime(text);
  if (minutes === null) throw new Error(`not a time of day: ${JSON.stringify(text)}`);
  return minutes;
}
