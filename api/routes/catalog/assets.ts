import { z } from 'zod';
import { ASSET_STATES } from '../../../domain/catalog/asset-type';
import { text, uuid } from '../../../lib/schema-primitives';
import {
  assetSchema,
  assetTransitionSchema,
  assetTypeSchema,
  createAssetSchema,
  createAssetTypeSchema,
  updateAssetTypeSchema,
} from '../../../services/catalog/asset-schemas';
import {
  archiveAssetType,
  assetTypeRepresentation,
  createAssetType,
  getAssetType,
  listAssetTypes,
  updateAssetType,
} from '../../../services/catalog/asset-types';
import { assetRepresentation, createAsset, getAsset, listAssets, transitionAsset } from '../../../services/catalog/assets';
import { listBody, listQueryFields, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const typeTags = ['Catalog: asset types'];
const assetTags = ['Assets'];

const transitionRoute = (transition: 'activate' | 'disconnect', summary: string, description: string) =>
  tenantRoute({
    method: 'post', path: `/v1/assets/{id}/${transition}`, operationId: `${transition}Asset`, summary, description, tags: assetTags,
    auth: 'tenant', permission: 'write', params: idParams, body: assetTransitionSchema,
    success: { status: 200, description: 'The asset', schema: assetSchema }, errors: ['invalid_asset_transition'],
    async handler({ tx, change, params, body }) {
      const asset = await transitionAsset(tx, change, params.id, transition, body?.at ? new Date(body.at) : undefined);
      return { status: 200, body: assetRepresentation(asset) };
    },
  });

export const assetRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/asset_types', operationId: 'createAssetType', summary: 'Create an asset type', tags: typeTags,
    description: 'A cabinet, cage, cross-connect, IP block or port type with one-time (NRC) and monthly (MRC) prices per currency.',
    auth: 'tenant', permission: 'write', body: createAssetTypeSchema,
    success: { status: 201, description: 'The asset type', schema: assetTypeSchema }, errors: ['code_taken', 'invalid_catalog'],
    async handler({ tx, change, body }) {
      const assetType = await createAssetType(tx, change, body);
      return created('/v1/asset_types', assetType.id, assetTypeRepresentation(assetType));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/asset_types', operationId: 'listAssetTypes', summary: 'List asset types', tags: typeTags,
    auth: 'tenant', permission: 'read', query: catalogListQuery,
    success: { status: 200, description: 'A page of asset types', schema: listSchema(assetTypeSchema, 'AssetTypeList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listAssetTypes(tx, tenantId, query.status, pageRequest(query)), assetTypeRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/asset_types/{id}', operationId: 'getAssetType', summary: 'Retrieve an asset type', tags: typeTags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The asset type', schema: assetTypeSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: assetTypeRepresentation(await getAssetType(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/asset_types/{id}', operationId: 'updateAssetType', summary: 'Update an asset type', tags: typeTags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateAssetTypeSchema,
    success: { status: 200, description: 'The asset type', schema: assetTypeSchema }, errors: ['catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: assetTypeRepresentation(await updateAssetType(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/asset_types/{id}/archive', operationId: 'archiveAssetType', summary: 'Archive an asset type', tags: typeTags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The asset type', schema: assetTypeSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: assetTypeRepresentation(await archiveAssetType(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/assets', operationId: 'createAsset', summary: 'Order an asset for an account', tags: assetTags,
    description: 'Records the asset (state `ordered`) with its prices; billing starts when it is activated.',
    auth: 'tenant', permission: 'write', body: createAssetSchema,
    success: { status: 201, description: 'The asset', schema: assetSchema }, errors: ['invalid_catalog', 'provider_asset_id_taken'],
    async handler({ tx, change, body }) {
      const asset = await createAsset(tx, change, body);
      return created('/v1/assets', asset.id, assetRepresentation(asset));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/assets', operationId: 'listAssets', summary: 'List assets', tags: assetTags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, account_id: uuid.optional(), state: z.enum(ASSET_STATES).optional(), provider_asset_id: text(200).optional() }),
    success: { status: 200, description: 'A page of assets', schema: listSchema(assetSchema, 'AssetList') },
    async handler({ tx, tenantId, query }) {
      const page = await listAssets(tx, tenantId, { accountId: query.account_id, state: query.state, providerAssetId: query.provider_asset_id }, pageRequest(query));
      return { status: 200, body: listBody(page, assetRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/assets/{id}', operationId: 'getAsset', summary: 'Retrieve an asset', tags: assetTags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The asset', schema: assetSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: assetRepresentation(await getAsset(tx, tenantId, params.id)) };
    },
  }),
  transitionRoute(
    'activate',
    'Activate an asset',
    'Reported by provisioning: billing (NRC, then MRC) starts at `at` (not before the order). Repeated without `at` or with the first time, it returns the asset unchanged.',
  ),
  transitionRoute(
    'disconnect',
    'Disconnect an asset',
    'Billing of the MRC stops at `at`. Repeated without `at` or with the first time, it returns the asset unchanged.',
  ),
  tenantRoute({
    method: 'post', path: '/v1/assets/{id}/cancel', operationId: 'cancelAsset', summary: 'Cancel an ordered asset', tags: assetTags,
    description: 'An asset that was never activated is cancelled and never billed. Repeating it returns the asset unchanged.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The asset', schema: assetSchema }, errors: ['invalid_asset_transition'],
    async handler({ tx, change, params }) {
      return { status: 200, body: assetRepresentation(await transitionAsset(tx, change, params.id, 'cancel', undefined)) };
    },
  }),
];
