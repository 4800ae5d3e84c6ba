import { CURRENCY_MINOR_UNITS } from './currencies';
import { Decimal } from './decimal';

/**
 * Rounding and splitting of money. Amounts are Decimal in major units
 * (12.34 USD); gateways and the database exchange minor units (1234) as
 * integers. Rounding is ROUND_HALF_UP to the currency's minor units and
 * happens only at the points docs/money.md names.
 */
export function minorUnitsOf(currency: string): number {
  const units = CURRENCY_MINOR_UNITS[currency];
  if (units === undefined) throw new RangeError(`unknown currency ${currency}`);
  return units;
}

export function roundMoney(amount: Decimal, currency: string): Decimal {
  return amount.toDecimalPlaces(minorUnitsOf(currency), Decimal.ROUND_HALF_UP);
}

/** The amount in minor units; it must already be rounded to them. */
export function toMinorUnits(amount: Decimal, currency: string): bigint {
  const scaled = amount.times(new Decimal(10).pow(minorUnitsOf(currency)));
  if (!scaled.isInteger()) throw new RangeError(`${amount.toString()} ${currency} is not a whole number of minor units`);
  return BigInt(scaled.toFixed(0));
}

export function fromMinorUnits(minor: bigint, currency: string): Decimal {
  return new Decimal(minor.toString()).dividedBy(new Decimal(10).pow(minorUnitsOf(currency)));
}

/**
 * Splits `total` (rounded to the currency) in proportion to `weights`
 * without losing or inventing a minor unit: each share is rounded down,
 * then the leftover units go one each to the largest remainders (earlier
 * shares first on ties). Negative totals (credits) split the same way.
 */
export function allocate(total: Decimal, weights: readonly Decimal[], currency: string): Decimal[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => w.isNegative())) throw new RangeError('allocation weights must not be negative');
  const weightSum = weights.reduce((a, w) => a.plus(w), new Decimal(0));
  if (weightSum.isZero()) throw new RangeError('allocation weights must not all be zero');
  const minor = toMinorUnits(total, currency);
  const sign = minor < 0n ? -1n : 1n;
  const units = new Decimal((minor * sign).toString());

  const shares = weights.map((w, index) => {
    const exact = units.times(w).dividedBy(weightSum);
    const floor = exact.floor();
    return { index, floor: BigInt(floor.toFixed(0)), remainder: exact.minus(floor) };
  });
  let leftover = minor * sign - shares.reduce((a, s) => a + s.floor, 0n);
  const byRemainder = [...shares].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.floor += 1n;
    leftover -= 1n;
  }
  return shares.map((s) => fromMinorUnits(s.floor * sign, currency));
}

/** `total` in `parts` shares that differ by at most one minor unit. */
export function splitEvenly(total: Decimal, parts: number, currency: string): Decimal[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('parts must be a positive integer');
  return allocate(total, Array.from({ length: parts }, () => new Decimal(1)), currency);
}
