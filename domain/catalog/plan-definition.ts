import { z } from 'zod';
import { currencyCode, perCurrency } from '../../lib/schema-primitives';
import { nonNegativeDecimal } from '../pricing/decimal-input';
import { priceModelSchema } from '../pricing/price-model';
import type { Normalized } from './normalize';
import { catalogCode } from './status';

/**
 * What a plan (or add-on) version charges: its billing interval, trial,
 * currencies (each charge has a price book entry per currency) and
 * charges. Published versions are immutable; a change publishes a new one.
 * Schema-level rules (shapes, ranges, tiers) are checked here; rules that
 * need the rest of the catalogue (products, metrics, plans) are in
 * plan-definition-check.ts.
 */
export const PLAN_KINDS = ['plan', 'addon'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const BILLING_INTERVALS = ['month', 'quarter', 'year'] as const;


export const chargeSchema = z
  .strictObject({
    key: catalogCode.meta({ description: 'Identifies the charge within the plan (stable across versions).' }),
    product: catalogCode.meta({ description: 'Code of the product this charge bills (GL and tax codes come from it).' }),
    type: z.enum(['recurring', 'one_time', 'usage']),
    description: z.string().min(1).max(200).optional(),
    metric: catalogCode.optional().meta({ description: 'Billable metric code; required for usage charges.' }),
    timing: z
      .enum(['in_advance', 'in_arrears'])
      .optional()
      .meta({ description: "Recurring charges only: overrides the plan's fixed_fee_timing." }),
    prices: perCurrency(priceModelSchema).meta({ description: 'Price book: one price model per plan currency.' }),
    included_quantity: nonNegativeDecimal.optional().meta({ description: 'Units included before the price applies.' }),
    minimum_amount: perCurrency(nonNegativeDecimal)
      .optional()
      .meta({ description: 'Minimum per period per currency; a true-up line makes up the difference.' }),
  })
  .meta({ id: 'PlanCharge' });

export const planDefinitionSchema = z
  .strictObject({
    billing_interval: z.enum(BILLING_INTERVALS),
    fixed_fee_timing: z.enum(['in_advance', 'in_arrears']).default('in_advance'),
    trial_days: z.int().min(0).max(365).default(0),
    currencies: z
      .array(currencyCode)
      .min(1)
      .max(20)
      .refine((c) => new Set(c).size === c.length, 'must not repeat a currency'),
    charges: z.array(chargeSchema).min(1).max(100),
    minimum_commitment: perCurrency(nonNegativeDecimal)
      .optional()
      .meta({ description: 'Minimum across all charges per period, per currency (true-up).' }),
    applies_to_plans: z
      .array(catalogCode)
      .max(100)
      .optional()
      .meta({ description: 'Add-ons only: the plans it can be added to; absent means any plan.' }),
  })
  .meta({ id: 'PlanDefinition' });

export type PlanDefinition = z.output<typeof planDefinitionSchema>;
export type PlanCharge = PlanDefinition['charges'][number];
/** As stored and returned: defaults filled in, decimals as strings. */
export type PlanDefinitionInput = Normalized<PlanDefinition>;
