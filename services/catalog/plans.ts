import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { normalize } from '../../domain/catalog/normalize';
import type { PlanDefinition, PlanKind } from '../../domain/catalog/plan-definition';
import { checkPlanDefinition } from '../../domain/catalog/plan-definition-check';
import { Plan } from '../../db/entities/catalog/plan';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import { canonicalJson } from '../../lib/canonical-json';
import { notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { loadCatalogContext } from './catalog-context';
import type { CreatePlanInput, UpdatePlanInput } from './plan-schemas';
import { archived, codeTaken, insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

/**
 * Plans and add-ons. What a plan charges lives in numbered, immutable
 * versions; publishing a changed definition makes version N+1 the current
 * one for new subscriptions, while running subscriptions keep theirs until
 * migrated. Publishing an identical definition is a no-op.
 */
export function planRepresentation(plan: Plan, current: PlanVersion) {
  return {
    id: plan.id,
    object: 'plan' as const,
    code: plan.code,
    kind: plan.kind,
    name: plan.name,
    description: plan.description,
    metadata: plan.metadata,
    status: plan.status,
    current_version: plan.currentVersion,
    definition: current.definition,
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
  };
}

export function planVersionRepresentation(plan: Plan, version: PlanVersion) {
  return {
    id: version.id,
    object: 'plan_version' as const,
    plan_id: plan.id,
    plan_code: plan.code,
    version: version.version,
    current: version.version === plan.currentVersion,
    definition: version.definition,
    created_at: version.createdAt.toISOString(),
  };
}

async function assertDefinition(tx: EntityManager, tenantId: string, kind: PlanKind, definition: PlanDefinition): Promise<void> {
  const problems = checkPlanDefinition(kind, definition, await loadCatalogContext(tx, tenantId));
  if (problems.length > 0) throw invalidCatalog(problems, ['definition']);
}

function newVersion(ctx: ChangeContext, planId: string, number: number, definition: PlanDefinition): PlanVersion {
  const stored = normalize(definition);
  return Object.assign(new PlanVersion(), {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    planId,
    version: number,
    definition: stored,
    definitionHash: createHash('sha256').update(canonicalJson(stored)).digest('hex'),
    createdAt: ctx.now,
  });
}

export async function createPlan(tx: EntityManager, ctx: ChangeContext, input: CreatePlanInput): Promise<{ plan: Plan; current: PlanVersion }> {
  await assertDefinition(tx, ctx.tenantId, input.kind, input.definition);
  const plan = tx.create(Plan, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    kind: input.kind,
    name: input.name,
    description: input.description ?? null,
    currentVersion: 1,
    metadata: input.metadata ?? {},
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, Plan, plan, () => codeTaken('plan or add-on', input.code));
  const current = newVersion(ctx, plan.id, 1, input.definition);
  await tx.insert(PlanVersion, current);
  await recordChange(tx, ctx, { action: 'plan.created', resourceType: 'plan', resourceId: plan.id, before: null, after: planRepresentation(plan, current) });
  return { plan, current };
}

export async function getPlanVersion(tx: EntityManager, tenantId: string, plan: Plan, version: number): Promise<PlanVersion> {
  const found = await tx.findOneBy(PlanVersion, { tenantId, planId: plan.id, version });
  if (!found) throw notFound(`version of plan ${plan.code}`, String(version));
  return found;
}

export async function getPlan(tx: EntityManager, tenantId: string, id: string): Promise<{ plan: Plan; current: PlanVersion }> {
  const plan = await tx.findOneBy(Plan, { tenantId, id });
  if (!plan) throw notFound('plan', id);
  return { plan, current: await getPlanVersion(tx, tenantId, plan, plan.currentVersion) };
}

export interface PlanWithVersion {
  id: string;
  plan: Plan;
  current: PlanVersion;
}

export async function listPlans(
  tx: EntityManager,
  tenantId: string,
  filter: { kind?: PlanKind | undefined; status: 'active' | 'archived' | 'all' },
  page: PageRequest,
): Promise<Page<PlanWithVersion>> {
  const query = tx.createQueryBuilder(Plan, 'p').where('p.tenant_id = :tenantId', { tenantId });
  if (filter.kind) query.andWhere('p.kind = :kind', { kind: filter.kind });
  if (filter.status !== 'all') query.andWhere('p.status = :status', { status: filter.status });
  const plans = await paginate(query, 'p', page);
  if (plans.items.length === 0) return { hasMore: false, items: [] };
  const versions = await tx
    .createQueryBuilder(PlanVersion, 'v')
    .innerJoin(Plan, 'p', 'p.tenant_id = v.tenant_id AND p.id = v.plan_id AND p.current_version = v.version')
    .where('v.tenant_id = :tenantId AND v.plan_id IN (:...ids)', { tenantId, ids: plans.items.map((p) => p.id) })
    .getMany();
  const byPlan = new Map(versions.map((v) => [v.planId, v]));
  return {
    hasMore: plans.hasMore,
    items: plans.items.map((plan) => ({ id: plan.id, plan, current: byPlan.get(plan.id)! })),
  };
}

export async function listPlanVersions(tx: EntityManager, tenantId: string, plan: Plan, page: PageRequest): Promise<Page<PlanVersion>> {
  const query = tx.createQueryBuilder(PlanVersion, 'v').where('v.tenant_id = :tenantId AND v.plan_id = :planId', { tenantId, planId: plan.id });
  return paginate(query, 'v', page);
}

export async function publishPlanVersion(
  tx: EntityManager,
  ctx: ChangeContext,
  id: string,
  definition: PlanDefinition,
): Promise<{ plan: Plan; version: PlanVersion; published: boolean }> {
  const plan = await loadForUpdate(tx, Plan, ctx.tenantId, id, 'plan');
  if (plan.status === 'archived') throw archived('plan', plan.code);
  const current = await getPlanVersion(tx, ctx.tenantId, plan, plan.currentVersion);
  const candidate = newVersion(ctx, plan.id, plan.currentVersion + 1, definition);
  // Identical to what is published: nothing to do, even if a product it uses was archived since.
  if (candidate.definitionHash === current.definitionHash) return { plan, version: current, published: false };
  await assertDefinition(tx, ctx.tenantId, plan.kind, definition);

  const before = planRepresentation(plan, current);
  await tx.insert(PlanVersion, candidate);
  plan.currentVersion = candidate.version;
  plan.updatedAt = ctx.now;
  plan.version += 1;
  await tx.update(Plan, { tenantId: ctx.tenantId, id }, plan);
  await recordChange(tx, ctx, {
    action: 'plan.version_published',
    resourceType: 'plan',
    resourceId: plan.id,
    before,
    after: planRepresentation(plan, candidate),
  });
  return { plan, version: candidate, published: true };
}

export async function updatePlan(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdatePlanInput): Promise<{ plan: Plan; current: PlanVersion }> {
  const plan = await loadForUpdate(tx, Plan, ctx.tenantId, id, 'plan');
  if (plan.status === 'archived') throw archived('plan', plan.code);
  const current = await getPlanVersion(tx, ctx.tenantId, plan, plan.currentVersion);
  const represent = (p: Plan) => planRepresentation(p, current);
  await saveChange(tx, ctx, Plan, plan, {
    action: 'plan.updated',
    resourceType: 'plan',
    represent,
    mutate: (p) => {
      if (patch.name !== undefined) p.name = patch.name;
      if (patch.description !== undefined) p.description = patch.description;
      if (patch.metadata !== undefined) p.metadata = patch.metadata;
    },
  });
  return { plan, current };
}

/** An archived plan takes no new subscriptions; running ones keep their version. */
export async function archivePlan(tx: EntityManager, ctx: ChangeContext, id: string): Promise<{ plan: Plan; current: PlanVersion }> {
  const plan = await loadForUpdate(tx, Plan, ctx.tenantId, id, 'plan');
  const current = await getPlanVersion(tx, ctx.tenantId, plan, plan.currentVersion);
  await saveChange(tx, ctx, Plan, plan, {
    action: 'plan.archived',
    resourceType: 'plan',
    represent: (p) => planRepresentation(p, current),
    mutate: (p) => {
      p.status = 'archived';
    },
  });
  return { plan, current };
}
