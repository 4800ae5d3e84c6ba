import type { Subscription } from '../../db/entities/subscriptions/subscription';
import type { SubscriptionCharge } from '../../db/entities/subscriptions/subscription-charge';
import type { SubscriptionItem } from '../../domain/subscriptions/subscription-terms';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function itemRepresentation(i: SubscriptionItem) {
  return {
    code: i.code,
    name: i.name,
    version: i.version,
    quantity: i.quantity,
    recurring: i.recurring.map((c) => ({ key: c.key, product: c.product, description: c.description, timing: c.timing, period_amount: c.periodAmount })),
    one_time: i.oneTime.map((c) => ({ key: c.key, product: c.product, description: c.description, amount: c.amount })),
    usage: i.usage,
  };
}

/** The subscription as the API shows it (and as domain events carry it). */
export function subscriptionRepresentation(s: Subscription) {
  const plan = s.terms.items.find((i) => i.kind === 'plan');
  const coupon = s.terms.coupon;
  return {
    id: s.id,
    object: 'subscription' as const,
    account_id: s.accountId,
    billing_account_id: s.billingAccountId,
    external_id: s.externalId,
    status: s.status,
    plan: plan?.code ?? null,
    plan_version: s.planVersion,
    currency: s.currency,
    quantity: s.quantity,
    addons: s.terms.items.filter((i) => i.kind === 'addon').map((i) => ({ code: i.code, quantity: i.quantity })),
    items: s.terms.items.map(itemRepresentation),
    coupon: coupon
      ? {
          code: coupon.code,
          promotion_code_id: coupon.promotionCodeId,
          discount: coupon.discount.type === 'percent' ? { type: 'percent' as const, percent_off: coupon.discount.percentOff } : { type: 'amount' as const, amount_off: coupon.discount.amountOff },
          duration: coupon.duration,
          periods_remaining: coupon.periodsRemaining,
        }
      : null,
    billing_cycle: {
      interval: s.billingInterval,
      anchor: s.billingAnchor,
      anchor_day: s.billingAnchorDay,
      timezone: s.timezone,
      proration_unit: s.prorationUnit,
    },
    requires_provisioning: s.requiresProvisioning,
    trial_days: s.trialDays,
    trial_end_behavior: s.trialEndBehavior,
    ordered_at: s.orderedAt.toISOString(),
    start_at: s.startAt.toISOString(),
    ends_at: iso(s.endsAt),
    activated_at: iso(s.activatedAt),
    trial_end: iso(s.trialEnd),
    current_period: s.currentPeriodStart && s.currentPeriodEnd ? { start: s.currentPeriodStart.toISOString(), end: s.currentPeriodEnd.toISOString() } : null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    canceled_at: iso(s.canceledAt),
    ended_at: iso(s.endedAt),
    paused_at: iso(s.pausedAt),
    pending_changes: s.pendingChanges.map((c) => ({
      id: c.id,
      description: c.description,
      effective: c.effective.type === 'at' ? { type: 'at' as const, at: c.effective.at } : { type: c.effective.type },
      requested_at: c.requestedAt,
    })),
    workflow_id: s.workflowId,
    revision: s.revision,
    metadata: s.metadata,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

export function chargeRepresentation(c: SubscriptionCharge) {
  return {
    id: c.id,
    object: 'subscription_charge' as const,
    key: c.lineKey,
    subscription_id: c.subscriptionId,
    account_id: c.accountId,
    billing_account_id: c.billingAccountId,
    currency: c.currency,
    kind: c.kind,
    item: c.itemCode,
    charge: c.chargeKey,
    product: c.productCode,
    description: c.description,
    period: { start: c.periodStart.toISOString(), end: c.periodEnd.toISOString() },
    quantity: c.quantity,
    amount: c.amount,
    invoice_id: c.invoiceId,
    created_at: c.createdAt.toISOString(),
  };
}
