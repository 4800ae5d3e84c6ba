import type { EntityManager } from 'typeorm';
import { checkBundleReferences } from '../../domain/catalog/catalog-references';
import { normalize } from '../../domain/catalog/normalize';
import { Bundle } from '../../db/entities/catalog/bundle';
import { notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateBundleInput, UpdateBundleInput } from './bundle-schemas';
import { loadCatalogContext } from './catalog-context';
import { archived, codeTaken, insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

export function bundleRepresentation(b: Bundle) {
  return {
    id: b.id,
    object: 'bundle' as const,
    code: b.code,
    name: b.name,
    description: b.description,
    items: b.items,
    discount: b.discount,
    metadata: b.metadata,
    status: b.status,
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
    version: b.version,
  };
}

async function assertItems(tx: EntityManager, tenantId: string, items: Bundle['items']): Promise<void> {
  const problems = checkBundleReferences(items, await loadCatalogContext(tx, tenantId));
  if (problems.length > 0) throw invalidCatalog(problems);
}

export async function createBundle(tx: EntityManager, ctx: ChangeContext, input: CreateBundleInput): Promise<Bundle> {
  await assertItems(tx, ctx.tenantId, input.items);
  const bundle = tx.create(Bundle, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    items: input.items,
    discount: input.discount ? normalize(input.discount) : null,
    metadata: input.metadata ?? {},
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, Bundle, bundle, () => codeTaken('bundle', input.code));
  await recordChange(tx, ctx, { action: 'bundle.created', resourceType: 'bundle', resourceId: bundle.id, before: null, after: bundleRepresentation(bundle) });
  return bundle;
}

export async function getBundle(tx: EntityManager, tenantId: string, id: string): Promise<Bundle> {
  const bundle = await tx.findOneBy(Bundle, { tenantId, id });
  if (!bundle) throw notFound('bundle', id);
  return bundle;
}

export async function listBundles(tx: EntityManager, tenantId: string, status: 'active' | 'archived' | 'all', page: PageRequest): Promise<Page<Bundle>> {
  const query = tx.createQueryBuilder(Bundle, 'b').where('b.tenant_id = :tenantId', { tenantId });
  if (status !== 'all') query.andWhere('b.status = :status', { status });
  return paginate(query, 'b', page);
}

export async function updateBundle(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateBundleInput): Promise<Bundle> {
  const bundle = await loadForUpdate(tx, Bundle, ctx.tenantId, id, 'bundle');
  if (bundle.status === 'archived') throw archived('bundle', bundle.code);
  if (patch.items !== undefined) await assertItems(tx, ctx.tenantId, patch.items);
  return saveChange(tx, ctx, Bundle, bundle, {
    action: 'bundle.updated',
    resourceType: 'bundle',
    represent: bundleRepresentation,
    mutate: (b) => {
      if (patch.name !== undefined) b.name = patch.name;
      if (patch.description !== undefined) b.description = patch.description;
      if (patch.items !== undefined) b.items = patch.items;
      if (patch.discount !== undefined) b.discount = patch.discount ? normalize(patch.discount) : null;
      if (patch.metadata !== undefined) b.metadata = patch.metadata;
    },
  });
}

export async function archiveBundle(tx: EntityManager, ctx: ChangeContext, id: string): Promise<Bundle> {
  const bundle = await loadForUpdate(tx, Bundle, ctx.tenantId, id, 'bundle');
  return saveChange(tx, ctx, Bundle, bundle, {
    action: 'bundle.archived',
    resourceType: 'bundle',
    represent: bundleRepresentation,
    mutate: (b) => {
      b.status = 'archived';
    },
  });
}
