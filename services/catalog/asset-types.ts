import type { EntityManager } from 'typeorm';
import { checkAssetTypeReferences } from '../../domain/catalog/catalog-references';
import { normalize } from '../../domain/catalog/normalize';
import { AssetType } from '../../db/entities/catalog/asset-type';
import { Product } from '../../db/entities/catalog/product';
import { notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateAssetTypeInput, UpdateAssetTypeInput } from './asset-schemas';
import { loadCatalogContext } from './catalog-context';
import { archived, codeTaken, insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

export function assetTypeRepresentation(t: AssetType) {
  return {
    id: t.id,
    object: 'asset_type' as const,
    code: t.code,
    name: t.name,
    description: t.description,
    product_id: t.productId,
    category: t.category,
    prices: t.prices,
    metadata: t.metadata,
    status: t.status,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    version: t.version,
  };
}

export async function createAssetType(tx: EntityManager, ctx: ChangeContext, input: CreateAssetTypeInput): Promise<AssetType> {
  const problems = checkAssetTypeReferences(input.product, await loadCatalogContext(tx, ctx.tenantId));
  if (problems.length > 0) throw invalidCatalog(problems);
  const product = await tx.findOneByOrFail(Product, { tenantId: ctx.tenantId, code: input.product });
  const assetType = tx.create(AssetType, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    productId: product.id,
    category: input.category,
    prices: normalize(input.prices),
    metadata: input.metadata ?? {},
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, AssetType, assetType, () => codeTaken('asset type', input.code));
  await recordChange(tx, ctx, { action: 'asset_type.created', resourceType: 'asset_type', resourceId: assetType.id, before: null, after: assetTypeRepresentation(assetType) });
  return assetType;
}

export async function getAssetType(tx: EntityManager, tenantId: string, id: string): Promise<AssetType> {
  const assetType = await tx.findOneBy(AssetType, { tenantId, id });
  if (!assetType) throw notFound('asset type', id);
  return assetType;
}

export async function listAssetTypes(tx: EntityManager, tenantId: string, status: 'active' | 'archived' | 'all', page: PageRequest): Promise<Page<AssetType>> {
  const query = tx.createQueryBuilder(AssetType, 't').where('t.tenant_id = :tenantId', { tenantId });
  if (status !== 'all') query.andWhere('t.status = :status', { status });
  return paginate(query, 't', page);
}

export async function updateAssetType(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateAssetTypeInput): Promise<AssetType> {
  const assetType = await loadForUpdate(tx, AssetType, ctx.tenantId, id, 'asset type');
  if (assetType.status === 'archived') throw archived('asset type', assetType.code);
  return saveChange(tx, ctx, AssetType, assetType, {
    action: 'asset_type.updated',
    resourceType: 'asset_type',
    represent: assetTypeRepresentation,
    mutate: (t) => {
      if (patch.name !== undefined) t.name = patch.name;
      if (patch.description !== undefined) t.description = patch.description;
      if (patch.prices !== undefined) t.prices = normalize(patch.prices);
      if (patch.metadata !== undefined) t.metadata = patch.metadata;
    },
  });
}

export async function archiveAssetType(tx: EntityManager, ctx: ChangeContext, id: string): Promise<AssetType> {
  const assetType = await loadForUpdate(tx, AssetType, ctx.tenantId, id, 'asset type');
  return saveChange(tx, ctx, AssetType, assetType, {
    action: 'asset_type.archived',
    resourceType: 'asset_type',
    represent: assetTypeRepresentation,
    mutate: (t) => {
      t.status = 'archived';
    },
  });
}
