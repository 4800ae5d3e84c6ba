import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Tenant } from '../../db/entities/tenant';
import { PaymentMethod } from '../../db/entities/subscriptions/payment-method';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { SubscriptionCharge } from '../../db/entities/subscriptions/subscription-charge';
import { SubscriptionTransition } from '../../db/entities/subscriptions/subscription-transition';
import { Decimal } from '../../domain/money/decimal';
import type { SubscriptionSetup } from '../../domain/subscriptions/lifecycle';
import type { SubscriptionStatus } from '../../domain/subscriptions/status';
import type { SubscriptionItem, SubscriptionTerms } from '../../domain/subscriptions/subscription-terms';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import { subscriptionWorkflowId } from '../../workflows/subscription/definitions';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { isUniqueViolation } from '../catalog/store';
import { redeemPromotion, resolvePromotion } from './promotions';
import { priceItem } from './subscription-items';
import { subscriptionRepresentation } from './subscription-representation';
import type { CreateSubscriptionInput } from './subscription-schemas';
import { startSubscriptionWorkflow } from './subscription-workflows';

/**
 * Creating and reading subscriptions. Creation validates everything it can
 * (account, plan and add-ons in the account's currency, promotion code),
 * prices the items, stores the row and starts the workflow inside the same
 * transaction: if Temporal refuses, nothing is stored; if the commit fails
 * after the start, the workflow finds no row and stops (activities/subscriptions).
 */
const MAX_BACKDATE_DAYS = 366;

function invalid(field: string, code: string, message: string): RackrateError {
  return new RackrateError('validation_failed', `${field}: ${message}`, { errors: [{ in: 'body', field, code, message }] });
}

/** The account that pays: walk up while an account bills to its parent (master billing). */
export async function billingAccountOf(tx: EntityManager, tenantId: string, account: Account): Promise<string> {
  const rows: Array<{ id: string }> = await tx.query(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, bill_to_parent, 0 AS depth FROM accounts WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT a.id, a.parent_id, a.bill_to_parent, up.depth + 1 FROM accounts a JOIN up ON a.tenant_id = $1 AND a.id = up.parent_id
        WHERE up.bill_to_parent AND up.depth < 10)
     SELECT id FROM up ORDER BY depth DESC LIMIT 1`,
    [tenantId, account.id],
  );
  return rows[0]?.id ?? account.id;
}

export async function loadActiveAccount(tx: EntityManager, tenantId: string, accountId: string, field = 'account_id'): Promise<Account> {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw invalid(field, 'unknown', `there is no account ${accountId}`);
  if (account.status === 'archived') throw new RackrateError('account_archived', `Account ${accountId} is archived; it cannot take new subscriptions.`);
  return account;
}

export async function priceAddons(
  tx: EntityManager,
  tenantId: string,
  account: Account,
  planCode: string,
  planInterval: string,
  addons: ReadonlyArray<{ code: string; quantity?: Decimal | undefined }>,
  at: Date,
  field: string,
): Promise<SubscriptionItem[]> {
  const items: SubscriptionItem[] = [];
  for (const [index, addon] of addons.entries()) {
    const where = `${field}[${index}].code`;
    if (addons.findIndex((a) => a.code === addon.code) !== index) throw invalid(where, 'duplicate', `add-on ${addon.code} is listed twice`);
    const priced = await priceItem(tx, tenantId, account, { code: addon.code, kind: 'addon', quantity: addon.quantity ?? new Decimal(1), field: where }, at);
    const allowed = priced.definition.applies_to_plans;
    if (allowed && !allowed.includes(planCode)) throw invalid(where, 'not_for_plan', `add-on ${addon.code} can only be added to ${allowed.join(', ')}`);
    if (priced.definition.billing_interval !== planInterval) {
      throw invalid(where, 'interval_mismatch', `add-on ${addon.code} bills every ${priced.definition.billing_interval}; the plan bills every ${planInterval}`);
    }
    items.push(priced.item);
  }
  return items;
}

export async function createSubscription(
  tx: EntityManager,
  ctx: ChangeContext,
  temporal: TemporalClientProvider,
  input: CreateSubscriptionInput,
): Promise<Subscription> {
  const account = await loadActiveAccount(tx, ctx.tenantId, input.account_id);
  const startAt = input.start_at ? new Date(input.start_at) : ctx.now;
  if (startAt.getTime() > ctx.now.getTime() + 60_000) {
    throw invalid('start_at', 'future', 'must not be in the future; for a service not live yet use requires_provisioning and activate it');
  }
  if (startAt.getTime() < ctx.now.getTime() - MAX_BACKDATE_DAYS * 86_400_000) {
    throw invalid('start_at', 'too_old', `must be within ${MAX_BACKDATE_DAYS} days before now`);
  }
  if (input.ends_at && new Date(input.ends_at) <= startAt) throw invalid('ends_at', 'before_start', 'must be after start_at');
  if (input.payment_method_id) {
    const method = await tx.findOneBy(PaymentMethod, { tenantId: ctx.tenantId, id: input.payment_method_id });
    if (!method || method.accountId !== account.id || method.status !== 'active') {
      throw invalid('payment_method_id', 'unknown', "is not an active payment method of the subscription's account");
    }
  }
  const plan = await priceItem(tx, ctx.tenantId, account, { code: input.plan, kind: 'plan', quantity: input.quantity ?? new Decimal(1), version: input.plan_version, field: 'plan' }, startAt);
  const addons = await priceAddons(tx, ctx.tenantId, account, plan.plan.code, plan.definition.billing_interval, input.addons ?? [], startAt, 'addons');
  const promotion = await resolvePromotion(tx, ctx.tenantId, input, {
    accountId: account.id, currency: account.currency, planCodes: [plan.plan.code, ...addons.map((a) => a.code)], now: ctx.now,
  });
  const tenant = await tx.findOneByOrFail(Tenant, { id: ctx.tenantId });
  const terms: SubscriptionTerms = { items: [plan.item, ...addons], coupon: promotion?.applied ?? null };
  const id = uuidv7(ctx.now.getTime());
  const anchor = input.billing_anchor ?? 'calendar';
  const subscription = tx.create(Subscription, {
    tenantId: ctx.tenantId, id, accountId: account.id, billingAccountId: await billingAccountOf(tx, ctx.tenantId, account),
    externalId: input.external_id ?? null, planId: plan.plan.id, planVersion: plan.item.version, currency: account.currency,
    quantity: plan.item.quantity, status: 'pending_provisioning' as SubscriptionStatus,
    billingInterval: plan.definition.billing_interval, billingAnchor: anchor, billingAnchorDay: anchor === 'calendar' ? account.billingAnchorDay : null,
    timezone: account.timezone, prorationUnit: tenant.prorationUnit, requiresProvisioning: input.requires_provisioning ?? false,
    trialDays: input.trial_days ?? plan.definition.trial_days, trialEndBehavior: input.trial_end_behavior ?? 'convert',
    orderedAt: ctx.now, startAt, endsAt: input.ends_at ? new Date(input.ends_at) : null,
    activatedAt: null, trialEnd: null, currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false,
    canceledAt: null, endedAt: null, pausedAt: null, terms, pendingChanges: [],
    couponId: promotion?.coupon.id ?? null, promotionCodeId: promotion?.promotion?.id ?? null, paymentMethodId: input.payment_method_id ?? null,
    workflowId: subscriptionWorkflowId(ctx.tenantId, id), revision: 0, metadata: input.metadata ?? {}, createdAt: ctx.now, updatedAt: ctx.now,
  });
  try {
    await tx.query('SAVEPOINT subscription_insert');
    await tx.insert(Subscription, subscription);
    await tx.query('RELEASE SAVEPOINT subscription_insert');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT subscription_insert');
    if (isUniqueViolation(error, 'subscriptions_external_id_key')) {
      throw new RackrateError('external_id_taken', `Another subscription already has external_id ${input.external_id}.`, {
        errors: [{ in: 'body', field: 'external_id', code: 'taken', message: 'is already used by another subscription' }],
      });
    }
    throw error;
  }
  if (promotion) await redeemPromotion(tx, ctx.tenantId, promotion, account.id, id, ctx.now);
  await recordChange(tx, ctx, { action: 'subscription.created', resourceType: 'subscription', resourceId: id, before: null, after: subscriptionRepresentation(subscription) });
  await startSubscriptionWorkflow(temporal, { setup: setupOf(subscription, tenant.trialEndingNoticeDays), terms });
  return subscription;
}

export function setupOf(s: Subscription, trialEndingNoticeDays: number): SubscriptionSetup {
  return {
    tenantId: s.tenantId, subscriptionId: s.id, accountId: s.accountId, billingAccountId: s.billingAccountId, currency: s.currency,
    timeZone: s.timezone, interval: s.billingInterval,
    anchor: s.billingAnchor === 'calendar' ? { kind: 'calendar', day: s.billingAnchorDay ?? 1 } : { kind: 'anniversary' },
    prorationUnit: s.prorationUnit, trialDays: s.trialDays, trialEndingNoticeDays, trialEndBehavior: s.trialEndBehavior,
    requiresProvisioning: s.requiresProvisioning, orderedAt: s.orderedAt.toISOString(), startAt: s.startAt.toISOString(),
    endsAt: s.endsAt?.toISOString() ?? null,
  };
}

export async function getSubscription(tx: EntityManager, tenantId: string, id: string): Promise<Subscription> {
  const subscription = await tx.findOneBy(Subscription, { tenantId, id });
  if (!subscription) throw notFound('subscription', id);
  return subscription;
}

export async function listSubscriptions(
  tx: EntityManager,
  tenantId: string,
  filter: { accountId?: string | undefined; status?: SubscriptionStatus | undefined },
  page: PageRequest,
): Promise<Page<Subscription>> {
  const query = tx.createQueryBuilder(Subscription, 's').where('s.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('s.account_id = :accountId', { accountId: filter.accountId });
  if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
  return paginate(query, 's', page);
}

export async function listSubscriptionCharges(tx: EntityManager, tenantId: string, subscriptionId: string, page: PageRequest): Promise<Page<SubscriptionCharge>> {
  const query = tx.createQueryBuilder(SubscriptionCharge, 'c').where('c.tenant_id = :tenantId AND c.subscription_id = :subscriptionId', { tenantId, subscriptionId });
  return paginate(query, 'c', page);
}

export async function listSubscriptionTransitions(tx: EntityManager, tenantId: string, subscriptionId: string): Promise<SubscriptionTransition[]> {
  return tx.find(SubscriptionTransition, { where: { tenantId, subscriptionId }, order: { revision: 'ASC' } });
}
