import { z } from 'zod';
import { sum, ZERO } from '../../money/decimal';
import { clockMinutes, clockTimeText, MINUTES_PER_DAY, parseClockTime } from '../../time/clock-time';
import { localParts, WEEKDAYS, weekdayText } from '../../time/local-time';
import { isTimeZone } from '../../time/time-zones';
import { nonNegativeDecimal } from '../decimal-input';
import type { ReadingsInput } from '../inputs';
import { line, qty, ratingOf, type Rating } from '../rating';

/**
 * Peak/off-peak pricing of interval readings (15-minute kWh...). A reading
 * belongs to the window that holds its start on the customer's wall clock,
 * so DST needs no special case: the skipped spring hour has no readings and
 * both runs of the repeated autumn hour are priced by their wall time.
 * A window whose end is not after its start crosses midnight and belongs to
 * the day it starts: fri 22:00–06:00 covers Saturday until 06:00.
 */
const WEEK = 7 * MINUTES_PER_DAY;

const windowSchema = z.strictObject({
  name: z.string().min(1).max(50),
  days: z.array(weekdayText).min(1),
  /** Inclusive. */
  start: clockTimeText,
  /** Exclusive; 24:00 is midnight at the end of the day. */
  end: clockTimeText,
  unit_price: nonNegativeDecimal,
});

/** Minutes of the local week from Monday 00:00, [from, to); Sunday's overnight window runs past the week's end. */
interface Span {
  from: number;
  to: number;
}

function spansOf(days: readonly string[], start: number, end: number): Span[] {
  const length = end > start ? end - start : MINUTES_PER_DAY - start + end;
  return days.flatMap((day) => {
    const index = WEEKDAYS.findIndex((d) => d === day);
    return index < 0 ? [] : [{ from: index * MINUTES_PER_DAY + start, to: index * MINUTES_PER_DAY + start + length }];
  });
}

const contains = (span: Span, minute: number) =>
  (span.from <= minute && minute < span.to) || (span.from <= minute + WEEK && minute + WEEK < span.to);

const overlap = (a: Span, b: Span) => [-WEEK, 0, WEEK].some((shift) => a.from < b.to + shift && b.from + shift < a.to);

export const timeOfUseConfig = z
  .strictObject({
    model: z.literal('time_of_use'),
    windows: z.array(windowSchema).max(50),
    /** Price for readings in no window. */
    default_unit_price: nonNegativeDecimal,
    /** Name of the no-window line on the invoice; "off-peak" unless set. */
    default_name: z.string().min(1).max(50).optional(),
    unit_label: z.string().min(1).max(50).optional(),
  })
  .superRefine((config, ctx) => {
    const spans: Span[][] = [];
    config.windows.forEach((window, i) => {
      const at = (...rest: Array<string | number>) => ['windows', i, ...rest];
      const start = parseClockTime(window.start);
      const end = parseClockTime(window.end);
      if (start === MINUTES_PER_DAY) ctx.addIssue({ code: 'custom', path: at('start'), message: 'must be before 24:00' });
      if (start !== null && start === end) ctx.addIssue({ code: 'custom', path: at('end'), message: 'must differ from start' });
      window.days.forEach((day, d) => {
        if (window.days.indexOf(day) < d) ctx.addIssue({ code: 'custom', path: at('days', d), message: `repeats ${day}` });
      });
      const clash = config.windows.findIndex((other, k) => k < i && other.name === window.name);
      if (clash >= 0 || window.name === (config.default_name ?? 'off-peak')) {
        ctx.addIssue({ code: 'custom', path: at('name'), message: 'must be unique among the windows and the default name' });
      }
      // Unparsable or empty windows are reported above; they take no part in the overlap check.
      const own = start === null || end === null || start === end || start === MINUTES_PER_DAY ? [] : spansOf(window.days, start, end);
      const overlapping = spans.flatMap((earlier, k) => (earlier.some((a) => own.some((b) => overlap(a, b))) ? [k] : []));
      if (overlapping.length > 0) {
        const names = overlapping.map((k) => `windows[${k}] "${config.windows[k]?.name ?? ''}"`).join(', ');
        ctx.addIssue({ code: 'custom', path: ['windows', i], message: `overlaps ${names}` });
      }
      spans.push(own);
    });
  });
export type TimeOfUseConfig = z.output<typeof timeOfUseConfig>;

/** "every day", "mon–fri" for a run of three or more days in week order, else "sat, sun". */
function describeDays(days: readonly string[]): string {
  const sorted = WEEKDAYS.filter((d) => days.includes(d));
  if (sorted.length === WEEKDAYS.length) return 'every day';
  const first = WEEKDAYS.indexOf(sorted[0] ?? 'mon');
  const isRun = sorted.length >= 3 && sorted.every((d, k) => d === WEEKDAYS[first + k]);
  return isRun ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

export function rateTimeOfUse(config: TimeOfUseConfig, input: ReadingsInput): Rating {
  if (!isTimeZone(input.timezone)) throw new Error(`time_of_use: unknown time zone ${JSON.stringify(input.timezone)}`);
  const unit = config.unit_label ?? 'kWh';
  const spans = config.windows.map((w) => spansOf(w.days, clockMinutes(w.start), clockMinutes(w.end)));
  const perWindow = config.windows.map(() => ZERO);
  let outside = ZERO;
  for (const reading of input.readings) {
    // A negative reading is a meter reset or a correction: the metering layer must resolve it, not the price.
    if (reading.quantity.isNegative()) throw new Error(`time_of_use: negative reading at ${reading.at.toISOString()}`);
    const local = localParts(reading.at, input.timezone);
    const minute = WEEKDAYS.indexOf(local.weekday) * MINUTES_PER_DAY + local.minutesOfDay;
    const index = spans.findIndex((own) => own.some((span) => contains(span, minute)));
    if (index < 0) outside = outside.plus(reading.quantity);
    else perWindow[index] = (perWindow[index] ?? ZERO).plus(reading.quantity);
  }
  const lines = config.windows.map((w, i) => {
    const quantity = perWindow[i] ?? ZERO;
    const description = `${w.name} (${describeDays(w.days)} ${w.start}–${w.end}): ${qty(quantity)} ${unit} at ${w.unit_price.toFixed()}`;
    return line(description, quantity, w.unit_price, quantity.times(w.unit_price));
  });
  const price = config.default_unit_price;
  const name = config.default_name ?? 'off-peak';
  lines.push(line(`${name} (all other times): ${qty(outside)} ${unit} at ${price.toFixed()}`, outside, price, outside.times(price)));
  return ratingOf(lines, {
    quantity: sum([outside, ...perWindow]),
    unitPrice: null,
    details: { timezone: input.timezone, readings: input.readings.length },
  });
}
