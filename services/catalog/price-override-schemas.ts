import { z } from 'zod';
import { overrideChargesSchema } from '../../domain/catalog/price-override';
import { catalogCode } from '../../domain/catalog/status';
import { nonNegativeDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, text, timestamp, uuid } from '../../lib/schema-primitives';

export const createPriceOverrideSchema = z
  .strictObject({
    account_id: uuid,
    plan: catalogCode.meta({ description: 'Code of the plan or add-on whose charges this overrides.' }),
    currency: currencyCode.meta({ description: "The account's currency." }),
    charges: overrideChargesSchema.default({}).meta({ description: 'By charge key: price, included_quantity and/or minimum_amount.' }),
    minimum_commitment: nonNegativeDecimal.optional().meta({ description: 'Minimum across all charges per period (true-up).' }),
    starts_at: timestamp,
    ends_at: timestamp.optional().meta({ description: 'Exclusive; absent means until ended.' }),
    description: text(500).optional().meta({ example: 'MSA 2027-014, 3-year term' }),
  })
  .superRefine((o, ctx) => {
    if (o.ends_at !== undefined && new Date(o.ends_at) <= new Date(o.starts_at)) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
    }
    if (Object.keys(o.charges).length === 0 && o.minimum_commitment === undefined) {
      ctx.addIssue({ code: 'custom', path: ['charges'], message: 'must override at least one charge, or set minimum_commitment' });
    }
  })
  .meta({ id: 'CreatePriceOverride' });
export type CreatePriceOverrideInput = z.output<typeof createPriceOverrideSchema>;

export const endPriceOverrideSchema = z
  .strictObject({ ends_at: timestamp.meta({ description: 'When the override stops applying (exclusive).' }) })
  .meta({ id: 'EndPriceOverride' });

export const priceOverrideSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('price_override'),
    account_id: uuid,
    plan_id: uuid,
    currency: z.string(),
    charges: z.record(z.string(), z.record(z.string(), z.unknown())),
    minimum_commitment: z.string().nullable(),
    starts_at: timestamp,
    ends_at: timestamp.nullable(),
    description: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'PriceOverride' });
