import { Decimal, ZERO, sum } from '../money/decimal';
import { minorUnitsOf, roundMoney } from '../money/money';
import { periodContaining, type BillingCycle, type Period } from '../periods/billing-cycle';
import { immediateChangeProration, prorate, type ProrationUnit } from '../proration/proration';
import type { ChargeDetails } from '../invoicing/charge-details';
import type { AppliedCoupon, ChargeTiming, SubscriptionItem } from './subscription-terms';

/**
 * The charges a subscription records, computed from its terms and a moment
 * in its life: a period starting (fixed fees in advance), a period closing
 * (fixed fees in arrears), an immediate change (credit for the unused part of
 * the old price, charge for the rest of the period at the new one), one-time
 * fees and coupon discounts. Pure: the workflow calls these and an activity
 * stores the result.
 *
 * Every line has a deterministic key built from the subscription, the kind,
 * the period or change it belongs to and the charge, so recording the same
 * line twice (a retried activity, a replayed workflow) is a no-op. Amounts
 * are rounded per line (docs/money.md, rounding point 1).
 */
export const CHARGE_KINDS = ['recurring', 'proration_credit', 'proration_charge', 'one_time', 'discount', 'usage', 'usage_adjustment'] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

export interface ChargeLine {
  key: string;
  kind: ChargeKind;
  itemCode: string | null;
  chargeKey: string | null;
  product: string | null;
  description: string;
  periodStart: string;
  periodEnd: string;
  quantity: string;
  /** Rounded to the currency; negative for credits and discounts. */
  amount: string;
  /** The rating behind a usage line, for the invoice; not part of the step's fingerprint. */
  details?: ChargeDetails;
}

export interface BillingContext {
  subscriptionId: string;
  currency: string;
  cycle: BillingCycle;
  prorationUnit: ProrationUnit;
}

/** Rounded to the currency and written with its minor digits ("10.00", "1000" for JPY). */
export function money(amount: Decimal, currency: string): string {
  return roundMoney(amount, currency).toFixed(minorUnitsOf(currency));
}

function iso(d: Date): string {
  return d.toISOString();
}

function chargeName(item: SubscriptionItem, description: string): string {
  return item.quantity === '1' ? `${item.name}: ${description}` : `${item.name}: ${description} × ${item.quantity}`;
}

function partNote(part: Period, whole: Period): string {
  if (part.start.getTime() === whole.start.getTime() && part.end.getTime() === whole.end.getTime()) return '';
  return ` (${iso(part.start).slice(0, 10)} to ${iso(part.end).slice(0, 10)}, prorated)`;
}

function recurringOf(items: readonly SubscriptionItem[], timing: ChargeTiming) {
  return items.flatMap((item) => item.recurring.filter((c) => c.timing === timing).map((charge) => ({ item, charge })));
}

/** Fixed fees charged in advance for `period` (prorated when it is a stub of its cycle period). */
export function advanceLines(ctx: BillingContext, items: readonly SubscriptionItem[], period: Period): ChargeLine[] {
  const whole = periodContaining(ctx.cycle, period.start);
  return recurringOf(items, 'in_advance').map(({ item, charge }) => ({
    key: `${ctx.subscriptionId}/recurring/${iso(period.start)}/${item.code}/${charge.key}`,
    kind: 'recurring' as const,
    itemCode: item.code,
    chargeKey: charge.key,
    product: charge.product,
    description: chargeName(item, charge.description) + partNote(period, whole),
    periodStart: iso(period.start),
    periodEnd: iso(period.end),
    quantity: item.quantity,
    amount: money(prorate(new Decimal(charge.periodAmount), period, whole, ctx.prorationUnit, ctx.cycle.timeZone), ctx.currency),
  }));
}

/** A stretch of a period during which the terms did not change. */
export interface TermsSegment {
  start: string;
  end: string;
  items: SubscriptionItem[];
}

/** Fixed fees charged in arrears when a period closes: each segment's share of the period. */
export function arrearsLines(ctx: BillingContext, segments: readonly TermsSegment[]): ChargeLine[] {
  return segments.flatMap((segment) => {
    const part = { start: new Date(segment.start), end: new Date(segment.end) };
    if (part.end <= part.start) return [];
    const whole = periodContaining(ctx.cycle, part.start);
    return recurringOf(segment.items, 'in_arrears').map(({ item, charge }) => ({
      key: `${ctx.subscriptionId}/recurring/${segment.start}/${item.code}/${charge.key}`,
      kind: 'recurring' as const,
      itemCode: item.code,
      chargeKey: charge.key,
      product: charge.product,
      description: chargeName(item, charge.description) + partNote(part, whole),
      periodStart: segment.start,
      periodEnd: segment.end,
      quantity: item.quantity,
      amount: money(prorate(new Decimal(charge.periodAmount), part, whole, ctx.prorationUnit, ctx.cycle.timeZone), ctx.currency),
    }));
  });
}

/**
 * An immediate change at `at` of in-advance fees already charged for the
 * current period: per charge, a credit for the rest of the period at the old
 * price and a charge at the new one. Their sum is exactly the rounded price
 * difference (domain/proration). `changeId` makes the keys unique per change.
 */
export function changeLines(
  ctx: BillingContext,
  before: readonly SubscriptionItem[],
  after: readonly SubscriptionItem[],
  at: Date,
  changeId: string,
): ChargeLine[] {
  const whole = periodContaining(ctx.cycle, at);
  const remaining = { start: at, end: whole.end };
  // The plan's charges pair by charge key across plans, so an upgrade's credit and charge on one key net to the rounded difference.
  const keyOf = (item: SubscriptionItem, chargeKey: string) => (item.kind === 'plan' ? `plan/${chargeKey}` : `${item.code}/${chargeKey}`);
  const old = new Map(recurringOf(before, 'in_advance').map((e) => [keyOf(e.item, e.charge.key), e]));
  const next = new Map(recurringOf(after, 'in_advance').map((e) => [keyOf(e.item, e.charge.key), e]));
  const lines: ChargeLine[] = [];
  for (const key of new Set([...old.keys(), ...next.keys()])) {
    const was = old.get(key);
    const now = next.get(key);
    const oldAmount = new Decimal(was?.charge.periodAmount ?? 0);
    const newAmount = new Decimal(now?.charge.periodAmount ?? 0);
    if (was && now && oldAmount.equals(newAmount) && was.item.code === now.item.code && was.item.quantity === now.item.quantity) continue;
    const split = immediateChangeProration({
      oldAmount, newAmount, period: whole, at, unit: ctx.prorationUnit, timeZone: ctx.cycle.timeZone, currency: ctx.currency,
    });
    const span = { periodStart: iso(remaining.start), periodEnd: iso(remaining.end) };
    if (was && !split.credit.isZero()) {
      lines.push({
        ...span, key: `${ctx.subscriptionId}/proration_credit/${changeId}/${key}`, kind: 'proration_credit',
        itemCode: was.item.code, chargeKey: was.charge.key, product: was.charge.product,
        description: `Unused time on ${chargeName(was.item, was.charge.description)}${partNote(remaining, whole)}`,
        quantity: was.item.quantity, amount: money(split.credit, ctx.currency),
      });
    }
    if (now && !split.charge.isZero()) {
      lines.push({
        ...span, key: `${ctx.subscriptionId}/proration_charge/${changeId}/${key}`, kind: 'proration_charge',
        itemCode: now.item.code, chargeKey: now.charge.key, product: now.charge.product,
        description: `Remaining time on ${chargeName(now.item, now.charge.description)}${partNote(remaining, whole)}`,
        quantity: now.item.quantity, amount: money(split.charge, ctx.currency),
      });
    }
  }
  return lines;
}

/** One-time fees of newly added items, charged once when billing for them starts. */
export function oneTimeLines(ctx: BillingContext, items: readonly SubscriptionItem[], at: Date, batchKey: string): ChargeLine[] {
  return items.flatMap((item) =>
    item.oneTime.map((charge) => ({
      key: `${ctx.subscriptionId}/one_time/${batchKey}/${item.code}/${charge.key}`,
      kind: 'one_time' as const,
      itemCode: item.code,
      chargeKey: charge.key,
      product: charge.product,
      description: chargeName(item, charge.description),
      periodStart: iso(at),
      periodEnd: iso(at),
      quantity: item.quantity,
      amount: money(new Decimal(charge.amount), ctx.currency),
    })),
  );
}

function eligible(coupon: AppliedCoupon, line: ChargeLine, items: readonly SubscriptionItem[]): boolean {
  // Coupons discount fixed fees; usage is billed as rated.
  if (line.kind === 'discount' || line.kind === 'usage' || line.kind === 'usage_adjustment') return false;
  const item = items.find((i) => i.code === line.itemCode);
  if (coupon.appliesTo.plans && !(item && coupon.appliesTo.plans.includes(item.code))) return false;
  if (coupon.appliesTo.products && !(line.product && coupon.appliesTo.products.includes(line.product))) return false;
  return true;
}

/**
 * The coupon's discount on a batch of lines, as one negative line. Percent
 * coupons discount every eligible line, credits included, so a mid-period
 * change keeps the same discount rate; amount coupons take their amount off
 * once per period, at its start (`periodStart`), never more than the
 * eligible total.
 */
export function discountLine(
  ctx: BillingContext,
  coupon: AppliedCoupon | null,
  lines: readonly ChargeLine[],
  items: readonly SubscriptionItem[],
  batchKey: string,
  periodStart: boolean,
): ChargeLine | null {
  if (!coupon) return null;
  const base = sum(lines.filter((l) => eligible(coupon, l, items)).map((l) => new Decimal(l.amount)));
  let discount: Decimal;
  if (coupon.discount.type === 'percent') {
    discount = roundMoney(base.times(coupon.discount.percentOff).dividedBy(100), ctx.currency);
  } else {
    if (!periodStart || base.lessThanOrEqualTo(0)) return null;
    discount = Decimal.min(new Decimal(coupon.discount.amountOff), base);
  }
  if (discount.isZero()) return null;
  const first = lines[0];
  return {
    key: `${ctx.subscriptionId}/discount/${batchKey}/${coupon.code}`,
    kind: 'discount',
    itemCode: null,
    chargeKey: null,
    product: null,
    description:
      coupon.discount.type === 'percent'
        ? `Coupon ${coupon.code} (${coupon.discount.percentOff}% off)`
        : `Coupon ${coupon.code} (${coupon.discount.amountOff} ${ctx.currency} off)`,
    periodStart: first?.periodStart ?? '',
    periodEnd: first?.periodEnd ?? '',
    quantity: '1',
    amount: money(discount.negated(), ctx.currency),
  };
}

export function totalOf(lines: readonly ChargeLine[]): Decimal {
  return lines.reduce((acc, l) => acc.plus(l.amount), ZERO);
}
