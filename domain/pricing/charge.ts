import { Decimal } from '../money/decimal';
import { roundMoney } from '../money/money';
import type { RatingInput } from './inputs';
import { applyAllowance } from './modifiers/allowance';
import { applyChargeMinimum } from './modifiers/charge-minimum';
import { subscriptionMinimumTrueUp } from './modifiers/subscription-minimum';
import { rate, type PriceModel } from './price-model';
import { ratingOf, type BreakdownLine, type Rating } from './rating';

/**
 * Rates one charge of a subscription for one period, in one currency:
 * included allowance → price model → minimum true-up → rounding. This is the
 * first rounding point (docs/money.md): the charge's amount is rounded once,
 * ROUND_HALF_UP to the currency's minor units, and becomes an invoice line;
 * its breakdown lines keep their exact amounts.
 */
export interface ChargePrice {
  model: PriceModel;
  includedQuantity?: Decimal | undefined;
  minimumAmount?: Decimal | undefined;
  unitLabel?: string | undefined;
}

export interface RatedCharge {
  rating: Rating;
  /** Exact: the sum of the rating's lines. */
  rawAmount: Decimal;
  /** Rounded to the currency. */
  amount: Decimal;
}

export function rateCharge(price: ChargePrice, input: RatingInput, currency: string): RatedCharge {
  let rating: Rating;
  if (price.includedQuantity !== undefined && input.kind === 'quantity') {
    const allowance = applyAllowance({ included_quantity: price.includedQuantity, unit_label: price.unitLabel }, input);
    const rated = rate(price.model, allowance.input);
    rating = ratingOf([allowance.line, ...rated.lines], {
      quantity: input.quantity,
      unitPrice: rated.unitPrice,
      ...(rated.details ? { details: rated.details } : {}),
    });
  } else {
    rating = rate(price.model, input);
  }
  if (price.minimumAmount !== undefined) rating = applyChargeMinimum({ minimum: price.minimumAmount }, rating);
  return { rating, rawAmount: rating.amount, amount: roundMoney(rating.amount, currency) };
}

/**
 * The subscription's minimum commitment across its charges' rounded amounts;
 * the true-up line (if any) is rounded too, so invoice lines add up.
 */
export function minimumCommitmentTrueUp(minimum: Decimal, chargeAmounts: readonly Decimal[], currency: string): BreakdownLine | null {
  const trueUp = subscriptionMinimumTrueUp({ minimum }, chargeAmounts);
  return trueUp === null ? null : { ...trueUp, amount: roundMoney(trueUp.amount, currency) };
}
