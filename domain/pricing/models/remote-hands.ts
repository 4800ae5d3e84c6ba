import { z } from 'zod';
import { Decimal, min, ZERO } from '../../money/decimal';
import { clockMinutes, clockTimeText, formatClockTime, parseClockTime } from '../../time/clock-time';
import { localParts, weekdayText, type LocalParts } from '../../time/local-time';
import { isTimeZone } from '../../time/time-zones';
import { decimalWhere, nonNegativeDecimal } from '../decimal-input';
import type { SessionsInput } from '../inputs';
import { line, priceText, ratingOf, type BreakdownLine, type Rating } from '../rating';

/**
 * Remote hands: each session bills max(minimum, actual) minutes rounded up to
 * the increment, at the hourly rate, times the after-hours multiplier when it
 * starts outside business hours (customer's wall clock) or is flagged so.
 * Prepaid bundle hours are worth one business-hour each: an after-hours hour
 * draws `after_hours_multiplier` bundle hours. The bundle then covers the
 * same money whenever the work happens, so the total does not depend on
 * which session draws first; sessions draw in start order. The bundle covers
 * labour only, never the expedite fee.
 */
const MINUTES_PER_HOUR = 60;


export const remoteHandsConfig = z
  .strictObject({
    model: z.literal('remote_hands'),
    hourly_rate: nonNegativeDecimal,
    minimum_minutes: z.number().int().min(0, 'must not be negative').max(1440),
    increment_minutes: z.number().int().min(1, 'must be at least 1 minute').max(1440),
    /** Evaluated at the session's start; start inclusive, end exclusive, within one day. */
    business_hours: z.strictObject({ days: z.array(weekdayText).min(1), start: clockTimeText, end: clockTimeText }),
    after_hours_multiplier: decimalWhere((m) => m.greaterThanOrEqualTo(1), 'must be at least 1'),
    /** Per expedited session; none when absent. */
    expedite_fee: nonNegativeDecimal.optional(),
  })
  .superRefine((config, ctx) => {
    const { days, start, end } = config.business_hours;
    const from = parseClockTime(start);
    const to = parseClockTime(end);
    if (from !== null && to !== null && to <= from) {
      ctx.addIssue({ code: 'custom', path: ['business_hours', 'end'], message: 'must be after start (business hours do not cross midnight)' });
    }
    days.forEach((day, d) => {
      if (days.indexOf(day) < d) ctx.addIssue({ code: 'custom', path: ['business_hours', 'days', d], message: `repeats ${day}` });
    });
  });
export type RemoteHandsConfig = z.output<typeof remoteHandsConfig>;

/** max(minimum, actual) rounded up to the increment, in whole minutes. */
export function billedMinutes(config: Pick<RemoteHandsConfig, 'minimum_minutes' | 'increment_minutes'>, minutes: number): number {
  if (!Number.isSafeInteger(minutes) || minutes < 0) {
    throw new Error(`remote_hands: session minutes must be a whole, non-negative number, got ${minutes}`);
  }
  const atLeast = Math.max(config.minimum_minutes, minutes);
  const remainder = atLeast % config.increment_minutes;
  return remainder === 0 ? atLeast : atLeast + config.increment_minutes - remainder;
}

function isBusinessHours(config: RemoteHandsConfig, local: LocalParts): boolean {
  const { days, start, end } = config.business_hours;
  return days.includes(local.weekday) && clockMinutes(start) <= local.minutesOfDay && local.minutesOfDay < clockMinutes(end);
}

const hours = (minutes: Decimal) => minutes.dividedBy(MINUTES_PER_HOUR);

export function rateRemoteHands(config: RemoteHandsConfig, input: SessionsInput): Rating {
  if (!isTimeZone(input.timezone)) throw new Error(`remote_hands: unknown time zone ${JSON.stringify(input.timezone)}`);
  if (input.prepaidHours.isNegative()) throw new Error('remote_hands: prepaid hours must not be negative');
  const multiplier = config.after_hours_multiplier;
  const sessions = input.sessions
    .map((session, order) => ({ session, order, local: localParts(session.startedAt, input.timezone) }))
    .sort((a, b) => a.session.startedAt.getTime() - b.session.startedAt.getTime() || a.order - b.order);

  const lines: BreakdownLine[] = [];
  let bundleLeft = input.prepaidHours.times(MINUTES_PER_HOUR); // in business-rate minutes
  let bundleUsed = ZERO;
  let totalMinutes = 0;
  let afterHoursCount = 0;
  let expedited = 0;
  for (const { session, local } of sessions) {
    const billed = billedMinutes(config, session.minutes);
    const afterHours = session.afterHours ?? !isBusinessHours(config, local);
    const factor = afterHours ? multiplier : new Decimal(1);
    const rate = config.hourly_rate.times(factor);
    const draw = min(bundleLeft, factor.times(billed));
    bundleLeft = bundleLeft.minus(draw);
    bundleUsed = bundleUsed.plus(draw);
    totalMinutes += billed;
    if (afterHours) afterHoursCount += 1;
    if (session.expedited) expedited += 1;
    const band = afterHours ? `after hours ×${multiplier.toFixed()}` : 'business hours';
    const flags = `${session.afterHours === undefined ? '' : ' by agreement'}${session.expedited ? ', expedited' : ''}`;
    const quantity = hours(new Decimal(billed));
    const description =
      `Remote hands ${local.date} ${formatClockTime(local.minutesOfDay)} (${band}${flags}): ` +
      `${session.minutes} min, billed ${billed} min = ${quantity.toFixed()} h × ${priceText(rate)}`;
    lines.push(line(description, quantity, rate, hours(rate.times(billed))));
  }

  const fee = config.expedite_fee ?? ZERO;
  if (expedited > 0) {
    const count = new Decimal(expedited);
    lines.push(line(`Expedite fee: ${expedited} session${expedited === 1 ? '' : 's'} × ${priceText(fee)}`, count, fee, count.times(fee)));
  }
  const usedHours = hours(bundleUsed);
  const leftHours = hours(bundleLeft);
  if (bundleUsed.greaterThan(0)) {
    // A credit line, so each session line shows its full price and the invoice shows what the bundle paid.
    const description = `Prepaid remote-hands hours applied: ${usedHours.toFixed()} h of ${input.prepaidHours.toFixed()} h (${leftHours.toFixed()} h left)`;
    lines.push(line(description, usedHours, config.hourly_rate.negated(), hours(config.hourly_rate.times(bundleUsed)).negated()));
  }
  return ratingOf(lines, {
    quantity: hours(new Decimal(totalMinutes)),
    unitPrice: null,
    details: {
      sessions: sessions.length,
      billed_minutes: totalMinutes,
      after_hours_sessions: afterHoursCount,
      expedited_sessions: expedited,
      prepaid_hours_available: input.prepaidHours.toFixed(),
      prepaid_hours_used: usedHours.toFixed(),
      prepaid_hours_remaining: leftHours.toFixed(),
    },
  });
}
