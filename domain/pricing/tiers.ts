import { z } from 'zod';
import { Decimal, ZERO } from '../money/decimal';
import { nonNegativeDecimal } from './decimal-input';
import { priceText, qty, type TierRef } from './rating';

/**
 * Tiers shared by the graduated, volume and stairstep models.
 *
 * Interval semantics: tier i covers the quantities in (from, to], where
 * `from` is the previous tier's `up_to` (exclusive; 0 for the first tier)
 * and `to` is its own `up_to` (inclusive; null for the last, open tier).
 * With up_to 100 then 500, 100 GB is in tier 1 and 100.000000000001 GB in
 * tier 2. A quantity of 0 lies in no tier; each model says what zero costs.
 */
const upTo = nonNegativeDecimal.refine((value) => !value.isZero(), 'must be greater than zero').nullable();

/** Tiers with a price per unit (graduated, volume) and an optional fee charged once the quantity enters the tier. */
export const unitPriceTier = z.strictObject({
  /** Inclusive upper bound; null only on the last tier. */
  up_to: upTo,
  unit_price: nonNegativeDecimal,
  flat_fee: nonNegativeDecimal.optional(),
});
export type UnitPriceTier = z.output<typeof unitPriceTier>;

/** Tiers with one price for the whole tier (stairstep). */
export const priceTier = z.strictObject({
  /** Inclusive upper bound; null only on the last tier. */
  up_to: upTo,
  price: nonNegativeDecimal,
});
export type PriceTier = z.output<typeof priceTier>;

interface Bounded {
  up_to: Decimal | null;
}

/**
 * A non-empty tier list whose bounds rise strictly and whose last tier
 * alone is open. Every problem is reported with its path, even when some
 * tiers failed their own validation: those are skipped, not trusted.
 */
function tierList<T extends z.ZodType<Bounded>>(tier: T) {
  return z
    .array(tier)
    .min(1, 'must have at least one tier')
    .superRefine((tiers, ctx) => checkBounds(tiers, (path, message) => ctx.addIssue({ code: 'custom', path, message })), {
      when: (payload) => Array.isArray(payload.value),
    });
}

export const unitPriceTiers = tierList(unitPriceTier);
export const priceTiers = tierList(priceTier);

/** The tier's up_to if it parsed: a Decimal, null for open, undefined when its own validation failed. */
function boundOf(tier: unknown): Decimal | null | undefined {
  if (typeof tier !== 'object' || tier === null || !('up_to' in tier)) return undefined;
  const value = tier.up_to;
  if (value === null) return null;
  return Decimal.isDecimal(value) ? value : undefined;
}

function checkBounds(tiers: readonly unknown[], report: (path: Array<string | number>, message: string) => void): void {
  let previous: { index: number; bound: Decimal } | undefined;
  tiers.forEach((tier, index) => {
    const bound = boundOf(tier);
    const last = index === tiers.length - 1;
    if (bound === null && !last) report([index, 'up_to'], 'only the last tier may be open (null)');
    if (bound && last) report([index, 'up_to'], 'the last tier must be open (null) so every quantity has a price');
    if (!bound) return;
    if (previous && !bound.greaterThan(previous.bound)) {
      report([index, 'up_to'], `must be greater than tiers[${previous.index}].up_to (${qty(previous.bound)})`);
    }
    previous = { index, bound };
  });
}

/** Each tier with its interval (from exclusive, to inclusive), for lines and lookups. */
export function withBounds<T extends Bounded>(tiers: readonly T[]): Array<{ tier: T; ref: TierRef }> {
  let from = ZERO;
  return tiers.map((tier, index) => {
    const ref: TierRef = { index, from, to: tier.up_to };
    from = tier.up_to ?? from;
    return { tier, ref };
  });
}

/**
 * "Tier 2: 101–500 GB" for whole-number bounds, the convention on price
 * lists; "Tier 2: over 0.5 up to 2 TB" when a bound has a fraction, where
 * "0.6–2" would misstate the interval; "Tier 3: over 500 GB" when open.
 */
export function tierLabel(ref: TierRef, unitLabel: string | undefined): string {
  const unit = unitLabel ? ` ${unitLabel}` : '';
  const name = `Tier ${ref.index + 1}`;
  if (ref.to === null) return `${name}: over ${qty(ref.from)}${unit}`;
  if (ref.from.isInteger() && ref.to.isInteger()) {
    const first = ref.from.plus(1);
    const range = first.equals(ref.to) ? qty(first) : `${qty(first)}–${qty(ref.to)}`;
    return `${name}: ${range}${unit}`;
  }
  const lower = ref.from.isZero() ? '' : `over ${qty(ref.from)} `;
  return `${name}: ${lower}up to ${qty(ref.to)}${unit}`;
}

export interface DescribedTier<T> {
  tier: T;
  ref: TierRef;
  /** "Tier 2: 101–500 GB". */
  label: string;
  /** "Tier 2: 101–500 GB at 0.08": the tier's price line. */
  priced: string;
}

/**
 * Tiers with their bounds and invoice wording, computed once per parsed
 * config (a WeakMap on the tier list) rather than on every rating: labels
 * and price texts are most of a tiered rating's cost.
 */
const described = new WeakMap<object, Map<string, DescribedTier<Bounded>[]>>();

export function describeTiers<T extends Bounded>(tiers: readonly T[], unitLabel: string | undefined, priceOf: (tier: T) => Decimal): DescribedTier<T>[] {
  let byLabel = described.get(tiers);
  if (!byLabel) described.set(tiers, (byLabel = new Map()));
  const key = unitLabel ?? '';
  let list = byLabel.get(key) as DescribedTier<T>[] | undefined;
  if (!list) {
    list = withBounds(tiers).map(({ tier, ref }) => {
      const label = tierLabel(ref, unitLabel);
      return { tier, ref, label, priced: `${label} at ${priceText(priceOf(tier))}` };
    });
    byLabel.set(key, list as DescribedTier<Bounded>[]);
  }
  return list;
}

/** The described tier a quantity lands in: the first for zero, else the first whose up_to holds it. */
export function landedTier<T extends Bounded>(tiers: readonly DescribedTier<T>[], quantity: Decimal): DescribedTier<T> {
  const found = quantity.isZero() ? tiers[0] : tiers.find(({ ref }) => ref.to === null || quantity.lessThanOrEqualTo(ref.to));
  if (!found) throw new RangeError(`quantity ${qty(quantity)} lies in no tier; the last tier must be open`);
  return found;
}

/** Refuses a negative quantity: tiers price usage, and a correction is a separate credit. */
export function requireNonNegative(quantity: Decimal, model: string): void {
  if (quantity.isNegative()) throw new RangeError(`the ${model} model cannot rate a negative quantity (${qty(quantity)})`);
}
