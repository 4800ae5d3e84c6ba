import { Decimal } from '../money/decimal';
import type { ChargePrice } from '../pricing/charge';
import { priceModelSchema } from '../pricing/price-model';
import type { PlanDefinitionInput } from './plan-definition';
import type { OverrideCharges } from './price-override';

/**
 * The price a charge is rated at for one account: the contract override's
 * price, allowance or minimum where it gives one, else the plan version's
 * price book for the currency. Stored documents hold decimal strings; they
 * are parsed back into models here.
 */
export type StoredCharge = PlanDefinitionInput['charges'][number];

export interface EffectivePrice {
  price: ChargePrice;
  /** Where the price model came from. */
  source: 'plan' | 'override';
}

export function effectiveChargePrice(charge: StoredCharge, currency: string, override?: OverrideCharges[string]): EffectivePrice | null {
  const stored = override?.price ?? charge.prices[currency];
  if (!stored) return null;
  const included = override?.included_quantity ?? charge.included_quantity;
  const minimum = override?.minimum_amount ?? charge.minimum_amount?.[currency];
  return {
    price: {
      model: priceModelSchema.parse(stored),
      includedQuantity: included === undefined ? undefined : new Decimal(included),
      minimumAmount: minimum === undefined ? undefined : new Decimal(minimum),
    },
    source: override?.price ? 'override' : 'plan',
  };
}
