import type { EntityManager } from 'typeorm';
import { problem, type CatalogProblem } from '../../domain/catalog/catalog-problem';
import { ALLOWANCE_MODELS, allowedModels } from '../../domain/catalog/charge-compatibility';
import { normalize } from '../../domain/catalog/normalize';
import type { PlanDefinitionInput } from '../../domain/catalog/plan-definition';
import { Account } from '../../db/entities/account';
import { Plan } from '../../db/entities/catalog/plan';
import { PriceOverride } from '../../db/entities/catalog/price-override';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { loadCatalogContext } from './catalog-context';
import { getPlanVersion } from './plans';
import type { CreatePriceOverrideInput } from './price-override-schemas';
import { invalidCatalog, loadForUpdate, saveChange } from './store';

export function priceOverrideRepresentation(o: PriceOverride) {
  return {
    id: o.id,
    object: 'price_override' as const,
    account_id: o.accountId,
    plan_id: o.planId,
    currency: o.currency,
    charges: o.charges,
    minimum_commitment: o.minimumCommitment,
    starts_at: o.startsAt.toISOString(),
    ends_at: o.endsAt?.toISOString() ?? null,
    description: o.description,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
    version: o.version,
  };
}

/** The override must fit the plan's current version: known charge keys, models each charge can use. */
async function checkAgainstPlan(
  tx: EntityManager,
  tenantId: string,
  definition: PlanDefinitionInput,
  input: CreatePriceOverrideInput,
): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = [];
  if (!definition.currencies.includes(input.currency)) {
    problems.push(problem(['currency'], 'currency_not_in_plan', `the plan is not priced in ${input.currency}`));
  }
  const { metrics } = await loadCatalogContext(tx, tenantId);
  for (const [key, override] of Object.entries(input.charges)) {
    const charge = definition.charges.find((c) => c.key === key);
    if (!charge) {
      problems.push(problem(['charges', key], 'unknown_charge', `the plan has no charge "${key}"`));
      continue;
    }
    const aggregation = charge.metric ? (metrics.get(charge.metric)?.aggregation ?? null) : null;
    const allowed = allowedModels(charge.type, aggregation);
    if (override.price && !allowed.includes(override.price.model)) {
      problems.push(problem(['charges', key, 'price', 'model'], 'model_not_allowed', `${override.price.model} cannot price this ${charge.type} charge; use one of: ${allowed.join(', ')}`));
    }
    const model = override.price?.model ?? charge.prices[input.currency]?.model;
    if (override.included_quantity !== undefined && model !== undefined && !ALLOWANCE_MODELS.includes(model)) {
      problems.push(problem(['charges', key, 'included_quantity'], 'allowance_not_allowed', 'an included quantity needs a quantity-priced model'));
    }
  }
  return problems;
}

export async function createPriceOverride(tx: EntityManager, ctx: ChangeContext, input: CreatePriceOverrideInput): Promise<PriceOverride> {
  const account = await tx.findOneBy(Account, { tenantId: ctx.tenantId, id: input.account_id });
  const plan = await tx.findOneBy(Plan, { tenantId: ctx.tenantId, code: input.plan });
  const problems: CatalogProblem[] = [];
  if (!account) problems.push(problem(['account_id'], 'unknown_account', `no account with id ${input.account_id}`));
  else if (account.status === 'archived') problems.push(problem(['account_id'], 'archived_account', 'the account is archived'));
  else if (account.currency !== input.currency) problems.push(problem(['currency'], 'not_account_currency', `the account is billed in ${account.currency}`));
  if (!plan) problems.push(problem(['plan'], 'unknown_plan', `no plan or add-on with code "${input.plan}"`));
  else problems.push(...(await checkAgainstPlan(tx, ctx.tenantId, (await getPlanVersion(tx, ctx.tenantId, plan, plan.currentVersion)).definition, input)));
  if (problems.length > 0 || !plan) throw invalidCatalog(problems);

  // One override per account, plan and currency at any time: serialise creations for that triple.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`rackrate.price_override:${ctx.tenantId}:${input.account_id}:${plan.id}:${input.currency}`]);
  const overlapping: Array<{ id: string }> = await tx.query(
    `SELECT id FROM price_overrides
      WHERE tenant_id = $1 AND account_id = $2 AND plan_id = $3 AND currency = $4
        AND starts_at < coalesce($6::timestamptz, 'infinity') AND coalesce(ends_at, 'infinity') > $5`,
    [ctx.tenantId, input.account_id, plan.id, input.currency, input.starts_at, input.ends_at ?? null],
  );
  if (overlapping.length > 0) {
    throw new RackrateError('price_override_overlap', `Price override ${overlapping[0]!.id} already covers part of that time.`);
  }
  const override = tx.create(PriceOverride, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    accountId: input.account_id,
    planId: plan.id,
    currency: input.currency,
    charges: normalize(input.charges),
    minimumCommitment: input.minimum_commitment?.toFixed() ?? null,
    startsAt: new Date(input.starts_at),
    endsAt: input.ends_at ? new Date(input.ends_at) : null,
    description: input.description ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await tx.insert(PriceOverride, override);
  await recordChange(tx, ctx, { action: 'price_override.created', resourceType: 'price_override', resourceId: override.id, before: null, after: priceOverrideRepresentation(override) });
  return override;
}

export async function getPriceOverride(tx: EntityManager, tenantId: string, id: string): Promise<PriceOverride> {
  const override = await tx.findOneBy(PriceOverride, { tenantId, id });
  if (!override) throw notFound('price override', id);
  return override;
}

export async function listPriceOverrides(
  tx: EntityManager,
  tenantId: string,
  filter: { accountId?: string | undefined },
  page: PageRequest,
): Promise<Page<PriceOverride>> {
  const query = tx.createQueryBuilder(PriceOverride, 'o').where('o.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('o.account_id = :accountId', { accountId: filter.accountId });
  return paginate(query, 'o', page);
}

/** Ends an override at `endsAt` (not before it started); already-billed periods are unaffected. */
export async function endPriceOverride(tx: EntityManager, ctx: ChangeContext, id: string, endsAt: Date): Promise<PriceOverride> {
  const override = await loadForUpdate(tx, PriceOverride, ctx.tenantId, id, 'price override');
  if (endsAt <= override.startsAt) {
    throw new RackrateError('validation_failed', 'ends_at must be after the override starts.', {
      errors: [{ in: 'body', field: 'ends_at', code: 'before_start', message: `must be after ${override.startsAt.toISOString()}` }],
    });
  }
  if (override.endsAt !== null && endsAt > override.endsAt) {
    throw new RackrateError('validation_failed', 'An override can be ended earlier, not extended.', {
      errors: [{ in: 'body', field: 'ends_at', code: 'extends', message: `must not be after ${override.endsAt.toISOString()}` }],
    });
  }
  return saveChange(tx, ctx, PriceOverride, override, {
    action: 'price_override.ended',
    resourceType: 'price_override',
    represent: priceOverrideRepresentation,
    mutate: (o) => {
      o.endsAt = endsAt;
    },
  });
}
