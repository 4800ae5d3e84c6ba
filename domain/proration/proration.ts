import { Decimal } from '../money/decimal';
import { roundMoney } from '../money/money';
import { assertPeriod, type Period, periodWithin } from '../periods/period';
import { assertInstant, assertTimeZone, localDayNumber } from '../periods/zoned-time';

/**
 * How much of a period's price a part of it is worth. Fractions stay as
 * numerator/denominator so callers multiply before they divide
 * (`300 × 10 / 30` is exactly 100; `300 × (1/3)` is not), and nothing here is
 * rounded except the three amounts of `immediateChangeProration`.
 */
export const PRORATION_UNITS = ['second', 'day'] as const;
/**
 * - `second`: elapsed time (counted in milliseconds), as Stripe prorates. A DST day is 23 or 25 hours.
 * - `day`: local calendar days in the customer's zone, as Kill Bill prorates. The day of a change
 *   belongs entirely to the new state; every local day weighs the same whatever its length.
 */
export type ProrationUnit = (typeof PRORATION_UNITS)[number];

export interface Fraction {
  numerator: Decimal;
  denominator: Decimal;
}

/** Length of `period` in `unit`: ms, or local calendar dates crossed (end's date − start's date). */
function measure(period: Period, unit: ProrationUnit, timeZone: string): number {
  switch (unit) {
    case 'second':
      return period.end.getTime() - period.start.getTime();
    case 'day':
      return localDayNumber(period.end.getTime(), timeZone) - localDayNumber(period.start.getTime(), timeZone);
    default:
      return unknownUnit(unit);
  }
}

function unknownUnit(unit: never): never {
  throw new RangeError(`unknown proration unit ${JSON.stringify(unit)}`);
}

/**
 * The exact share of `whole` that `part` covers. `part` must lie within `whole`; `whole` must not be
 * empty in `unit` (by day: it must cross at least one local midnight). The time zone is checked for
 * both units so a bad zone fails the same way whichever unit a plan uses.
 */
export function prorationFraction(part: Period, whole: Period, unit: ProrationUnit, timeZone: string): Fraction {
  assertPeriod(whole, 'whole');
  assertPeriod(part, 'part');
  assertTimeZone(timeZone);
  if (!periodWithin(part, whole)) throw new RangeError('part must lie within whole');
  const denominator = measure(whole, unit, timeZone);
  if (denominator <= 0) throw new RangeError(`whole period is empty when measured in ${unit}s`);
  return { numerator: new Decimal(measure(part, unit, timeZone)), denominator: new Decimal(denominator) };
}

/** amount × part / whole, multiplied before divided, not rounded. */
export function prorate(amount: Decimal, part: Period, whole: Period, unit: ProrationUnit, timeZone: string): Decimal {
  const { numerator, denominator } = prorationFraction(part, whole, unit, timeZone);
  return amount.times(numerator).dividedBy(denominator);
}

export interface ChangeProration {
  /** [at, period.end): the time the change affects. */
  remaining: Period;
  /** The unused part of the old price, rounded; ≤ 0 for a non-negative old price. */
  credit: Decimal;
  /** The new price for the remaining time, adjusted so that credit + charge = net exactly. */
  charge: Decimal;
  /** The price difference for the remaining time, rounded: what the customer pays (or gets back). */
  net: Decimal;
}

export interface ImmediateChangeInput {
  /** Price per full period before the change. */
  oldAmount: Decimal;
  /** Price per full period after the change. */
  newAmount: Decimal;
  /** The full billing period the change falls in. */
  period: Period;
  /** When the change takes effect; period.start <= at <= period.end. */
  at: Date;
  unit: ProrationUnit;
  timeZone: string;
  currency: string;
}

// decimal.js keeps the sign of zero; a credit of "-0" would print and store oddly.
const withoutNegativeZero = (value: Decimal): Decimal => (value.isZero() ? new Decimal(0) : value);

/**
 * An immediate change inside a paid period: credit the unused old price, charge the new price for the
 * same remaining time. The net is rounded once, from the exact difference, and the charge is derived
 * from it, so the two lines always add up to the rounded price difference. Rounding credit and charge
 * independently (as Stripe does) can leave the net a minor unit off that difference; here the charge
 * instead may differ by at most one minor unit from the independently rounded new price
 * (|round(a) + round(b − a) − round(b)| < 1.5 minor units and is a whole number).
 */
export function immediateChangeProration(input: ImmediateChangeInput): ChangeProration {
  const { oldAmount, newAmount, period, at, unit, timeZone, currency } = input;
  assertInstant(at, 'at');
  const remaining: Period = { start: new Date(at.getTime()), end: new Date(period.end.getTime()) };
  const credit = roundMoney(prorate(oldAmount, remaining, period, unit, timeZone), currency).negated();
  const net = roundMoney(prorate(newAmount.minus(oldAmount), remaining, period, unit, timeZone), currency);
  return {
    remaining,
    credit: withoutNegativeZero(credit),
    charge: withoutNegativeZero(net.minus(credit)),
    net: withoutNegativeZero(net),
  };
}
