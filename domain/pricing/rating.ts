import { Decimal, sum, ZERO } from '../money/decimal';

/**
 * What the rating engine returns: the exact (unrounded) amount, the unit
 * price where one applies, and lines a customer can read on an invoice.
 * Invariant, checked by property tests for every model: `amount` is exactly
 * the sum of the lines' amounts. Rounding to the currency happens later, at
 * the charge (domain/pricing/charge.ts).
 */
export interface TierRef {
  /** 0-based position in the tier list. */
  index: number;
  /** Exclusive lower bound (0 for the first tier). */
  from: Decimal;
  /** Inclusive upper bound; null for the last, open tier. */
  to: Decimal | null;
}

export interface BreakdownLine {
  description: string;
  quantity: Decimal | null;
  unitPrice: Decimal | null;
  amount: Decimal;
  tier?: TierRef;
}

export interface Rating {
  /** The quantity the price applied to (billed Mbps for the 95th, kWh for energy...), when there is one. */
  quantity: Decimal | null;
  unitPrice: Decimal | null;
  amount: Decimal;
  lines: BreakdownLine[];
  /** Facts a model adds for the invoice and for support (sample counts for the 95th, bundle hours used...). */
  details?: Record<string, string | number | boolean | null>;
}

export function line(
  description: string,
  quantity: Decimal | null,
  unitPrice: Decimal | null,
  amount: Decimal,
  tier?: TierRef,
): BreakdownLine {
  return tier ? { description, quantity, unitPrice, amount, tier } : { description, quantity, unitPrice, amount };
}

/** A rating whose amount is the sum of its lines, so the invariant holds by construction. */
export function ratingOf(
  lines: BreakdownLine[],
  fields: { quantity: Decimal | null; unitPrice: Decimal | null; details?: Rating['details'] },
): Rating {
  const rating: Rating = { quantity: fields.quantity, unitPrice: fields.unitPrice, amount: sum(lines.map((l) => l.amount)), lines };
  if (fields.details) rating.details = fields.details;
  return rating;
}

export const NO_CHARGE = ZERO;

/** Formats a quantity for a breakdown line without exponent notation: 1500, 0.25. */
export function qty(value: Decimal): string {
  return value.toFixed();
}

export { Decimal };

/** A price as an invoice line shows it: at least two decimals (2.50, 0.045, 1200.00), never an exponent. */
export function priceText(value: Decimal): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}
