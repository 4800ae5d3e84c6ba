import DecimalJs from 'decimal.js';

/**
 * The one decimal type for money and quantities. 40 significant digits keep
 * every sum and product of catalogue prices and metered quantities exact
 * (a 20-digit default would round a year of bytes times a per-byte price).
 * Import it from here, never from decimal.js, so no value is computed with
 * another precision. ROUND_HALF_UP is the rounding mode at the few points
 * where rounding happens (docs/money.md).
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

export function min(a: Decimal, b: Decimal): Decimal {
  return a.lessThanOrEqualTo(b) ? a : b;
}
