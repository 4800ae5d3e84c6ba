import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import type { Subscription } from '../../db/entities/subscriptions/subscription';
import { Decimal } from '../../domain/money/decimal';
import { ACTIVATION_SKEW_MS } from '../../domain/subscriptions/lifecycle';
import type { ChangeEffective, SubscriptionRequest, TermsChange } from '../../domain/subscriptions/requests';
import { operationRefusal, type SubscriptionOperation } from '../../domain/subscriptions/status';
import { planItem } from '../../domain/subscriptions/subscription-terms';
import { RackrateError } from '../../lib/errors';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import type { RequestOutcome } from '../../workflows/subscription/definitions';
import { redeemPromotion, resolvePromotion } from './promotions';
import { priceItem } from './subscription-items';
import type { ChangeSubscriptionInput } from './subscription-schemas';
import { getSubscription, priceAddons } from './subscriptions';
import { sendSubscriptionRequest } from './subscription-workflows';

/**
 * Requests on a running subscription: each is checked against the stored
 * state and the catalogue first (a clear problem+json without touching
 * Temporal), then sent to the workflow as an update, whose validator
 * checks the state again because the workflow is the authority.
 */
export interface RequestContext {
  tx: EntityManager;
  tenantId: string;
  now: Date;
  temporal: TemporalClientProvider;
  updateId: string;
}

function invalid(field: string, code: string, message: string): RackrateError {
  return new RackrateError('validation_failed', `${field}: ${message}`, { errors: [{ in: 'body', field, code, message }] });
}

function assertAllowed(subscription: Subscription, operation: SubscriptionOperation): void {
  const refusal = operationRefusal(subscription.status, operation);
  if (refusal) throw new RackrateError('subscription_state_conflict', refusal);
}

async function send(ctx: RequestContext, subscription: Subscription, request: SubscriptionRequest): Promise<RequestOutcome> {
  return sendSubscriptionRequest(ctx.temporal, ctx.tenantId, subscription.id, request, ctx.updateId);
}

export async function activateSubscription(ctx: RequestContext, id: string, activatedAt: string | undefined) {
  const subscription = await getSubscription(ctx.tx, ctx.tenantId, id);
  assertAllowed(subscription, 'activate');
  const at = activatedAt ? new Date(activatedAt) : ctx.now;
  if (at < subscription.orderedAt) throw invalid('activated_at', 'before_order', `must not be before the order (${subscription.orderedAt.toISOString()})`);
  if (at.getTime() > ctx.now.getTime() + ACTIVATION_SKEW_MS) throw invalid('activated_at', 'future', 'must not be in the future');
  return { subscription, outcome: await send(ctx, subscription, { type: 'activate', requestId: ctx.updateId, activatedAt: at.toISOString() }) };
}

function effectiveOf(value: string, now: Date): ChangeEffective {
  if (value === 'now' || value === 'period_end') return { type: value };
  const at = new Date(value);
  if (at <= now) throw invalid('effective', 'not_future', 'must be "now", "period_end" or a future time');
  return { type: 'at', at: at.toISOString() };
}

export async function changeSubscription(ctx: RequestContext, id: string, input: ChangeSubscriptionInput) {
  const { tx, tenantId } = ctx;
  const subscription = await getSubscription(tx, tenantId, id);
  assertAllowed(subscription, 'change');
  const nothing =
    input.plan === undefined && input.quantity === undefined && input.plan_version === undefined && !input.add_addons?.length &&
    !input.remove_addons?.length && input.coupon === undefined && input.promotion_code === undefined;
  if (nothing) throw invalid('plan', 'nothing_to_change', 'give at least one of plan, plan_version, quantity, add_addons, remove_addons, coupon, promotion_code');
  const effective = effectiveOf(input.effective, ctx.now);
  const account = await tx.findOneByOrFail(Account, { tenantId, id: subscription.accountId });
  const current = planItem(subscription.terms);
  const change: TermsChange = {};
  const parts: string[] = [];
  let planCode = current.code;
  let interval = subscription.billingInterval as string;
  if (input.plan !== undefined || input.quantity !== undefined || input.plan_version !== undefined) {
    planCode = input.plan ?? current.code;
    const priced = await priceItem(tx, tenantId, account, {
      code: planCode, kind: 'plan', quantity: input.quantity ?? new Decimal(current.quantity),
      version: input.plan_version ?? (planCode === current.code ? current.version : undefined), field: 'plan',
    }, ctx.now);
    if (priced.definition.billing_interval !== subscription.billingInterval) {
      throw invalid('plan', 'interval_mismatch', `${planCode} bills every ${priced.definition.billing_interval}; this subscription bills every ${subscription.billingInterval}`);
    }
    interval = priced.definition.billing_interval;
    change.plan = priced.item;
    if (planCode !== current.code) parts.push(`plan ${current.code} → ${planCode}`);
    if (priced.item.quantity !== current.quantity) parts.push(`quantity ${current.quantity} → ${priced.item.quantity}`);
    if (planCode === current.code && priced.item.version !== current.version) parts.push(`version ${current.version} → ${priced.item.version}`);
  }
  if (input.add_addons?.length) {
    change.setAddons = await priceAddons(tx, tenantId, account, planCode, interval, input.add_addons, ctx.now, 'add_addons');
    parts.push(`add-ons ${change.setAddons.map((a) => `${a.code} × ${a.quantity}`).join(', ')}`);
  }
  if (input.remove_addons?.length) {
    for (const [index, code] of input.remove_addons.entries()) {
      if (!subscription.terms.items.some((i) => i.kind === 'addon' && i.code === code)) {
        throw invalid(`remove_addons[${index}]`, 'not_on_subscription', `add-on ${code} is not on this subscription`);
      }
    }
    change.removeAddons = input.remove_addons;
    parts.push(`remove ${input.remove_addons.join(', ')}`);
  }
  const promotion = await resolvePromotion(tx, tenantId, input, {
    accountId: account.id, currency: account.currency, planCodes: [planCode, ...subscription.terms.items.filter((i) => i.kind === 'addon').map((i) => i.code)], now: ctx.now,
  });
  if (promotion) {
    // Applies from the next period start; periods_remaining counts from there.
    change.coupon = promotion.applied;
    parts.push(`coupon ${promotion.applied.code}`);
    await redeemPromotion(tx, tenantId, promotion, account.id, subscription.id, ctx.now);
  }
  const description = parts.length > 0 ? parts.join('; ') : 'no change in terms';
  const outcome = await send(ctx, subscription, { type: 'change', requestId: ctx.updateId, change, effective, description });
  return { subscription, outcome };
}

export async function cancelSubscription(ctx: RequestContext, id: string, input: { effective: 'now' | 'period_end'; proration: 'credit' | 'none'; reason?: string | undefined }) {
  const subscription = await getSubscription(ctx.tx, ctx.tenantId, id);
  assertAllowed(subscription, 'cancel');
  if (input.effective === 'period_end' && subscription.cancelAtPeriodEnd) {
    throw new RackrateError('subscription_state_conflict', 'The subscription is already set to cancel at the end of its period.');
  }
  const request: SubscriptionRequest = { type: 'cancel', requestId: ctx.updateId, effective: input.effective, proration: input.proration, reason: input.reason ?? null };
  return { subscription, outcome: await send(ctx, subscription, request) };
}

export async function simpleRequest(ctx: RequestContext, id: string, request: SubscriptionRequest & { type: 'pause' | 'resume' | 'suspend' | 'reinstate' }) {
  const subscription = await getSubscription(ctx.tx, ctx.tenantId, id);
  assertAllowed(subscription, request.type);
  if (request.type === 'pause' && request.resumeAt && new Date(request.resumeAt) <= ctx.now) {
    throw invalid('resume_at', 'not_future', 'must be in the future');
  }
  return { subscription, outcome: await send(ctx, subscription, request) };
}
