import { z } from 'zod';
import { percent } from '../pricing/decimal-input';
import type { Normalized } from './normalize';
import { catalogCode } from './status';

/**
 * A bundle sells a plan with add-ons in one step ("Starter cage: quarter
 * cabinet + 2 cross-connects + 2 h remote hands"), optionally at a percent
 * discount on the bundle's charges.
 */
export const bundleAddonSchema = z.strictObject({
  addon: catalogCode,
  quantity: z.int().min(1).max(10_000).default(1),
});
export type BundleAddon = z.output<typeof bundleAddonSchema>;

export const bundleItemsSchema = z.strictObject({
  plan: catalogCode,
  addons: z
    .array(bundleAddonSchema)
    .max(50)
    .default([])
    .refine((a) => new Set(a.map((x) => x.addon)).size === a.length, 'must not repeat an add-on'),
});

export const bundleDiscountSchema = z.strictObject({ percent_off: percent.refine((p) => p.greaterThan(0), 'must be greater than 0') });
export type BundleDiscount = Normalized<z.output<typeof bundleDiscountSchema>>;
