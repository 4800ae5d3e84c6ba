/**
 * What a subscription bills, resolved from the catalogue when it is created
 * or changed: its plan and add-ons with each recurring charge's price for one
 * full period at the item's quantity, one-time charges, and the coupon.
 * Plain JSON (decimal strings), because the workflow carries it in its
 * history and across continue-as-new; the catalogue lookups that produce it
 * happen in services, never in the workflow.
 */
export type ChargeTiming = 'in_advance' | 'in_arrears';

export interface RecurringCharge {
  /** The plan charge's key, stable across plan versions. */
  key: string;
  product: string;
  description: string;
  timing: ChargeTiming;
  /** Exact (unrounded) price for one whole billing period at the item's quantity. */
  periodAmount: string;
}

export interface OneTimeCharge {
  key: string;
  product: string;
  description: string;
  /** Rounded to the currency. */
  amount: string;
}

export interface SubscriptionItem {
  kind: 'plan' | 'addon';
  /** The plan's or add-on's code; unique within a subscription. */
  code: string;
  name: string;
  planId: string;
  version: number;
  quantity: string;
  recurring: RecurringCharge[];
  oneTime: OneTimeCharge[];
  /** Keys of usage charges: rated in arrears at period close by the metering hook. */
  usage: string[];
}

export type AppliedDiscount = { type: 'percent'; percentOff: string } | { type: 'amount'; amountOff: string };

export interface AppliedCoupon {
  couponId: string;
  code: string;
  promotionCodeId: string | null;
  discount: AppliedDiscount;
  appliesTo: { plans?: string[] | undefined; products?: string[] | undefined };
  duration: 'once' | 'repeating' | 'forever';
  /** Billing periods it still applies to, counting the current one once it has started; null is forever. */
  periodsRemaining: number | null;
}

export interface SubscriptionTerms {
  items: SubscriptionItem[];
  coupon: AppliedCoupon | null;
}

export function planItem(terms: SubscriptionTerms): SubscriptionItem {
  const plan = terms.items.find((i) => i.kind === 'plan');
  if (!plan) throw new Error('subscription terms have no plan item');
  return plan;
}
