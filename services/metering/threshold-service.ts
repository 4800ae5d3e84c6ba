import type { EntityManager } from 'typeorm';
import { Decimal } from '../../domain/money/decimal';
import { Account } from '../../db/entities/account';
import { BillableMetric } from '../../db/entities/catalog/billable-metric';
import { UsageThreshold } from '../../db/entities/metering/usage-threshold';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { RackrateError, notFound, type FieldError } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import { loadForUpdate, saveChange } from '../catalog/store';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { commitReference } from './threshold-reference';
import type { CreateThresholdInput, UpdateThresholdInput } from './threshold-schemas';

/**
 * Bill-shock thresholds: create, read, list, change levels or budget,
 * archive. Every write is audited and announced (usage_threshold.*) like
 * any other resource; crossings are announced by the evaluator.
 */
const RESOURCE = 'usage_threshold';

export function thresholdRepresentation(t: UsageThreshold) {
  return {
    id: t.id,
    object: 'usage_threshold' as const,
    account_id: t.accountId,
    subscription_id: t.subscriptionId,
    basis: t.basis,
    metric_code: t.metricCode,
    reference: t.reference,
    reference_value: t.referenceValue === null ? null : new Decimal(t.referenceValue).toFixed(),
    percents: t.percents.map(Number),
    status: t.status,
    metadata: t.metadata,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    version: t.version,
  };
}

/** Ascending decimal strings: the order levels are announced in. */
function storedPercents(percents: readonly number[]): string[] {
  return percents.map((p) => new Decimal(p)).sort((a, b) => a.comparedTo(b)).map((p) => p.toFixed());
}

function invalid(errors: FieldError[]): RackrateError {
  return new RackrateError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

/** Checks every reference of a new threshold (account, subscription, metric) and reports all problems at once. */
async function loadTargets(tx: EntityManager, tenantId: string, input: CreateThresholdInput) {
  const errors: FieldError[] = [];
  const account = await tx.findOneBy(Account, { tenantId, id: input.account_id });
  if (!account) errors.push({ in: 'body', field: 'account_id', code: 'unknown', message: `there is no account ${input.account_id}` });
  let subscription: Subscription | null = null;
  if (input.subscription_id !== undefined) {
    subscription = await tx.findOneBy(Subscription, { tenantId, id: input.subscription_id });
    if (!subscription) {
      errors.push({ in: 'body', field: 'subscription_id', code: 'unknown', message: `there is no subscription ${input.subscription_id}` });
    } else if (account && subscription.accountId !== account.id && subscription.billingAccountId !== account.id) {
      errors.push({ in: 'body', field: 'subscription_id', code: 'not_of_account', message: 'belongs to another account: account_id must be its account or billing account' });
    }
  }
  if (input.metric_code !== undefined) {
    const metric = await tx.findOneBy(BillableMetric, { tenantId, code: input.metric_code });
    if (!metric) errors.push({ in: 'body', field: 'metric_code', code: 'unknown', message: `there is no billable metric "${input.metric_code}"` });
    else if (metric.status === 'archived') errors.push({ in: 'body', field: 'metric_code', code: 'archived', message: 'is archived' });
  }
  if (errors.length > 0) throw invalid(errors);
  if (account!.status === 'archived') throw new RackrateError('account_archived', `Account ${account!.id} is archived; it cannot take new thresholds.`);
  return { account: account!, subscription };
}

export async function createThreshold(tx: EntityManager, ctx: ChangeContext, input: CreateThresholdInput): Promise<UsageThreshold> {
  const { account, subscription } = await loadTargets(tx, ctx.tenantId, input);
  if (input.reference === 'commit') {
    // Checked now so a threshold that could never fire is refused; evaluation re-reads it each time (plans change).
    const commit = await commitReference(tx, ctx.tenantId, { accountId: account.id, subscription, metricCode: input.metric_code! }, ctx.now);
    if (!commit.ok) {
      throw new RackrateError('threshold_reference_unavailable', `There is no commit to measure against: ${commit.reason}.`, {
        errors: [{ in: 'body', field: 'reference', code: 'no_commit', message: commit.reason }],
      });
    }
  }
  const threshold = tx.create(UsageThreshold, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    accountId: account.id,
    subscriptionId: subscription?.id ?? null,
    basis: input.basis,
    metricCode: input.metric_code ?? null,
    reference: input.reference,
    referenceValue: input.reference_value?.toFixed() ?? null,
    percents: storedPercents(input.percents),
    status: 'active',
    metadata: input.metadata ?? {},
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await tx.insert(UsageThreshold, threshold);
  await recordChange(tx, ctx, { action: 'usage_threshold.created', resourceType: RESOURCE, resourceId: threshold.id, before: null, after: thresholdRepresentation(threshold) });
  return threshold;
}

export async function getThreshold(tx: EntityManager, tenantId: string, id: string): Promise<UsageThreshold> {
  const threshold = await tx.findOneBy(UsageThreshold, { tenantId, id });
  if (!threshold) throw notFound('usage threshold', id);
  return threshold;
}

export interface ThresholdFilter {
  accountId?: string | undefined;
  subscriptionId?: string | undefined;
  status: 'active' | 'archived' | 'all';
}

export async function listThresholds(tx: EntityManager, tenantId: string, filter: ThresholdFilter, page: PageRequest): Promise<Page<UsageThreshold>> {
  const query = tx.createQueryBuilder(UsageThreshold, 't').where('t.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('t.account_id = :accountId', { accountId: filter.accountId });
  if (filter.subscriptionId) query.andWhere('t.subscription_id = :subscriptionId', { subscriptionId: filter.subscriptionId });
  if (filter.status !== 'all') query.andWhere('t.status = :status', { status: filter.status });
  return paginate(query, 't', page);
}

export async function updateThreshold(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateThresholdInput): Promise<UsageThreshold> {
  const threshold = await loadForUpdate(tx, UsageThreshold, ctx.tenantId, id, 'usage threshold');
  if (threshold.status === 'archived') throw new RackrateError('usage_threshold_archived', `Usage threshold ${id} is archived.`);
  if (patch.reference_value !== undefined && threshold.reference !== 'value') {
    throw invalid([{ in: 'body', field: 'reference_value', code: 'not_applicable', message: 'this threshold measures against the commit; it has no reference_value' }]);
  }
  return saveChange(tx, ctx, UsageThreshold, threshold, {
    action: 'usage_threshold.updated',
    resourceType: RESOURCE,
    represent: thresholdRepresentation,
    mutate: (t) => {
      if (patch.percents !== undefined) t.percents = storedPercents(patch.percents);
      if (patch.reference_value !== undefined) t.referenceValue = patch.reference_value.toFixed();
      if (patch.metadata !== undefined) t.metadata = patch.metadata;
    },
  });
}

/** Stops evaluation; the threshold and its crossings stay readable. Archiving an archived threshold changes nothing. */
export async function archiveThreshold(tx: EntityManager, ctx: ChangeContext, id: string): Promise<UsageThreshold> {
  const threshold = await loadForUpdate(tx, UsageThreshold, ctx.tenantId, id, 'usage threshold');
  return saveChange(tx, ctx, UsageThreshold, threshold, {
    action: 'usage_threshold.archived',
    resourceType: RESOURCE,
    represent: thresholdRepresentation,
    mutate: (t) => {
      t.status = 'archived';
    },
  });
}
