import { z } from 'zod';
import { nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, qty, ratingOf, type Rating } from '../rating';

/**
 * Package pricing: blocks of `package_size` units at `package_price`, a
 * partial block rounded UP to a whole one. Bandwidth sold in 1 TB packages
 * at 50.00: 2.3 TB used is 3 packages, 150.00; exactly 2 TB is 2, 100.00.
 *
 * No `free_units` here: included usage is the allowance modifier
 * (modifiers/allowance.ts), applied to the quantity before this model, so
 * 0.5 TB included and 2.3 TB used leaves 1.8 TB, 2 packages, 100.00. One
 * mechanism means an allowance cannot be deducted twice.
 */
export const packageConfig = z.strictObject({
  model: z.literal('package'),
  package_size: nonNegativeDecimal.refine((size) => !size.isZero(), 'must be greater than zero'),
  package_price: nonNegativeDecimal,
  /** Word for the unit on the invoice line, e.g. "TB". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type PackageConfig = z.output<typeof packageConfig>;

export function ratePackage(config: PackageConfig, input: QuantityInput): Rating {
  const quantity = input.quantity;
  if (quantity.isNegative()) throw new RangeError(`the package model cannot rate a negative quantity (${qty(quantity)})`);
  // Exact whole blocks plus one for any remainder: no division result is rounded.
  const whole = quantity.dividedToIntegerBy(config.package_size);
  const packages = quantity.mod(config.package_size).isZero() ? whole : whole.plus(1);
  const unit = config.unit_label ?? 'units';
  const description = `${qty(packages)} × package of ${qty(config.package_size)} ${unit} at ${config.package_price.toFixed()} (${qty(quantity)} ${unit} used)`;
  return ratingOf([line(description, packages, config.package_price, packages.times(config.package_price))], {
    quantity,
    unitPrice: null,
    details: { packages: qty(packages) },
  });
}
