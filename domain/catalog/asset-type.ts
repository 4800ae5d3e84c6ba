import { z } from 'zod';
import { perCurrency } from '../../lib/schema-primitives';
import { nonNegativeDecimal } from '../pricing/decimal-input';
import type { Normalized } from './normalize';

/** Physical items sold with a one-time and a monthly price, tied to the provider's asset id. */
export const ASSET_CATEGORIES = ['cabinet', 'cage', 'cross_connect', 'ip_block', 'port', 'other'] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

/** ordered → active (billing starts) → disconnected (billing stops); ordered → cancelled. */
export const ASSET_STATES = ['ordered', 'active', 'disconnected', 'cancelled'] as const;
export type AssetState = (typeof ASSET_STATES)[number];

export const assetPriceSchema = z.strictObject({
  nrc: nonNegativeDecimal.meta({ description: 'One-time (non-recurring) charge, billed at activation.' }),
  mrc: nonNegativeDecimal.meta({ description: 'Monthly recurring charge while active.' }),
});

export const assetPricesSchema = perCurrency(assetPriceSchema)
  .refine((m) => Object.keys(m).length > 0, 'must price at least one currency');
export type AssetPrices = Normalized<z.output<typeof assetPricesSchema>>;
