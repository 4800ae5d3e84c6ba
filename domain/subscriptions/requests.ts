import type { AppliedCoupon, SubscriptionItem, SubscriptionTerms } from './subscription-terms';

/**
 * What the API asks a subscription's workflow to do. Catalogue lookups and
 * pricing happen before a request is sent (services/subscriptions), so a
 * request carries fully priced items; the workflow only decides when and how
 * they take effect.
 */
export interface TermsChange {
  /** The plan item after the change (a new plan, or the same plan at a new quantity). */
  plan?: SubscriptionItem | undefined;
  /** Add-ons added or replaced (matched by code). */
  setAddons?: SubscriptionItem[] | undefined;
  removeAddons?: string[] | undefined;
  /** A coupon to apply (null removes the current one). */
  coupon?: AppliedCoupon | null | undefined;
}

export type ChangeEffective = { type: 'now' } | { type: 'period_end' } | { type: 'at'; at: string };

export interface ScheduledChange {
  id: string;
  change: TermsChange;
  effective: ChangeEffective;
  description: string;
  requestedAt: string;
}

export type SubscriptionRequest =
  | { type: 'activate'; requestId: string; activatedAt: string }
  | { type: 'change'; requestId: string; change: TermsChange; effective: ChangeEffective; description: string }
  | { type: 'cancel'; requestId: string; effective: 'now' | 'period_end'; proration: 'credit' | 'none'; reason: string | null }
  | { type: 'pause'; requestId: string; resumeAt: string | null }
  | { type: 'resume'; requestId: string }
  | { type: 'suspend'; requestId: string; reason: string | null }
  | { type: 'reinstate'; requestId: string }
  | { type: 'payment_failed'; requestId: string }
  | { type: 'payment_succeeded'; requestId: string };

export function applyTermsChange(terms: SubscriptionTerms, change: TermsChange): SubscriptionTerms {
  let items = terms.items;
  if (change.plan) items = items.map((i) => (i.kind === 'plan' ? change.plan! : i));
  if (change.removeAddons) items = items.filter((i) => i.kind === 'plan' || !change.removeAddons!.includes(i.code));
  for (const addon of change.setAddons ?? []) {
    items = items.some((i) => i.kind === 'addon' && i.code === addon.code)
      ? items.map((i) => (i.kind === 'addon' && i.code === addon.code ? addon : i))
      : [...items, addon];
  }
  return { items, coupon: change.coupon === undefined ? terms.coupon : change.coupon };
}
