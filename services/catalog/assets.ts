import type { EntityManager } from 'typeorm';
import { problem, type CatalogProblem } from '../../domain/catalog/catalog-problem';
import type { AssetState } from '../../domain/catalog/asset-type';
import { Account } from '../../db/entities/account';
import { Asset } from '../../db/entities/catalog/asset';
import { AssetType } from '../../db/entities/catalog/asset-type';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateAssetInput } from './asset-schemas';
import { insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

/**
 * A customer's physical asset. Its prices are copied from the asset type
 * (or set by contract) when ordered; billing starts at the activation time
 * the provisioning system reports and stops at disconnection.
 */
export function assetRepresentation(a: Asset) {
  return {
    id: a.id,
    object: 'asset' as const,
    account_id: a.accountId,
    asset_type_id: a.assetTypeId,
    provider_asset_id: a.providerAssetId,
    state: a.state,
    currency: a.currency,
    nrc: a.nrc,
    mrc: a.mrc,
    ordered_at: a.orderedAt.toISOString(),
    activated_at: a.activatedAt?.toISOString() ?? null,
    disconnected_at: a.disconnectedAt?.toISOString() ?? null,
    description: a.description,
    metadata: a.metadata,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
    version: a.version,
  };
}

export async function createAsset(tx: EntityManager, ctx: ChangeContext, input: CreateAssetInput): Promise<Asset> {
  const account = await tx.findOneBy(Account, { tenantId: ctx.tenantId, id: input.account_id });
  const assetType = await tx.findOneBy(AssetType, { tenantId: ctx.tenantId, code: input.asset_type });
  const problems: CatalogProblem[] = [];
  if (!account) problems.push(problem(['account_id'], 'unknown_account', `no account with id ${input.account_id}`));
  else if (account.status === 'archived') problems.push(problem(['account_id'], 'archived_account', 'the account is archived'));
  if (!assetType) problems.push(problem(['asset_type'], 'unknown_asset_type', `no asset type with code "${input.asset_type}"`));
  else if (assetType.status === 'archived') problems.push(problem(['asset_type'], 'archived_asset_type', `asset type "${input.asset_type}" is archived`));
  const currency = input.currency ?? account?.currency;
  if (account && currency !== account.currency) problems.push(problem(['currency'], 'not_account_currency', `the account is billed in ${account.currency}`));
  const listPrice = currency && assetType ? assetType.prices[currency] : undefined;
  if (assetType && currency && !listPrice && (input.nrc === undefined || input.mrc === undefined)) {
    problems.push(problem(['currency'], 'not_priced', `asset type "${assetType.code}" has no ${currency} price; give nrc and mrc`));
  }
  if (problems.length > 0 || !account || !assetType || !currency) throw invalidCatalog(problems);

  const asset = tx.create(Asset, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    accountId: account.id,
    assetTypeId: assetType.id,
    providerAssetId: input.provider_asset_id,
    state: 'ordered',
    currency,
    nrc: input.nrc?.toFixed() ?? listPrice!.nrc,
    mrc: input.mrc?.toFixed() ?? listPrice!.mrc,
    orderedAt: input.ordered_at ? new Date(input.ordered_at) : ctx.now,
    activatedAt: null,
    disconnectedAt: null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, Asset, asset, () =>
    new RackrateError('provider_asset_id_taken', `Another asset already has provider_asset_id ${input.provider_asset_id}.`, {
      errors: [{ in: 'body', field: 'provider_asset_id', code: 'taken', message: 'is already used by another asset' }],
    }),
  );
  await recordChange(tx, ctx, { action: 'asset.ordered', resourceType: 'asset', resourceId: asset.id, before: null, after: assetRepresentation(asset) });
  return asset;
}

export async function getAsset(tx: EntityManager, tenantId: string, id: string): Promise<Asset> {
  const asset = await tx.findOneBy(Asset, { tenantId, id });
  if (!asset) throw notFound('asset', id);
  return asset;
}

export async function listAssets(
  tx: EntityManager,
  tenantId: string,
  filter: { accountId?: string | undefined; state?: AssetState | undefined; providerAssetId?: string | undefined },
  page: PageRequest,
): Promise<Page<Asset>> {
  const query = tx.createQueryBuilder(Asset, 'a').where('a.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('a.account_id = :accountId', { accountId: filter.accountId });
  if (filter.state) query.andWhere('a.state = :state', { state: filter.state });
  if (filter.providerAssetId) query.andWhere('a.provider_asset_id = :pid', { pid: filter.providerAssetId });
  return paginate(query, 'a', page);
}

/** Provisioning clocks drift; a report a little ahead of ours is accepted, further is an error. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

type Transition = 'activate' | 'disconnect' | 'cancel';
const FROM: Record<Transition, AssetState> = { activate: 'ordered', disconnect: 'active', cancel: 'ordered' };
const TO: Record<Transition, AssetState> = { activate: 'active', disconnect: 'disconnected', cancel: 'cancelled' };

/**
 * Moves an asset along ordered → active → disconnected (or ordered →
 * cancelled). Provisioning callbacks are retried, so a transition already
 * made answers with the asset unchanged when it is repeated without a time
 * or with the time first reported, even after the asset moved on (a late
 * activation retry after disconnection). Times may be back-dated, but not
 * before the order, nor more than 5 minutes ahead of now.
 */
export async function transitionAsset(tx: EntityManager, ctx: ChangeContext, id: string, transition: Transition, at: Date | undefined): Promise<Asset> {
  const asset = await loadForUpdate(tx, Asset, ctx.tenantId, id, 'asset');
  if (alreadyDone(asset, transition, at)) return asset;
  if (asset.state !== FROM[transition]) {
    throw new RackrateError('invalid_asset_transition', `Cannot ${transition} an asset that is ${asset.state}; it must be ${FROM[transition]}.`);
  }
  const when = at ?? ctx.now;
  if (when.getTime() > ctx.now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RackrateError('validation_failed', 'The time is in the future.', {
      errors: [{ in: 'body', field: 'at', code: 'in_future', message: 'must not be more than 5 minutes ahead of now' }],
    });
  }
  if (transition === 'activate' && when < asset.orderedAt) {
    throw new RackrateError('invalid_asset_transition', `Cannot activate before the order at ${asset.orderedAt.toISOString()}; give ordered_at when recording an older asset.`);
  }
  if (transition === 'disconnect' && asset.activatedAt && when < asset.activatedAt) {
    throw new RackrateError('invalid_asset_transition', `Cannot disconnect before the activation at ${asset.activatedAt.toISOString()}.`);
  }
  const action = { activate: 'asset.activated', disconnect: 'asset.disconnected', cancel: 'asset.cancelled' }[transition];
  return saveChange(tx, ctx, Asset, asset, {
    action,
    resourceType: 'asset',
    represent: assetRepresentation,
    mutate: (a) => {
      a.state = TO[transition];
      if (transition === 'activate') a.activatedAt = when;
      if (transition === 'disconnect') a.disconnectedAt = when;
    },
  });
}

/** Whether this transition already happened (at this time, if one is given). */
function alreadyDone(asset: Asset, transition: Transition, at: Date | undefined): boolean {
  const same = (recorded: Date | null) => recorded !== null && (at === undefined || recorded.getTime() === at.getTime());
  switch (transition) {
    case 'activate':
      return same(asset.activatedAt);
    case 'disconnect':
      return same(asset.disconnectedAt);
    case 'cancel':
      return asset.state === 'cancelled';
  }
}
