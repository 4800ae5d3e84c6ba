import { bundleSchema, createBundleSchema, updateBundleSchema } from '../../../services/catalog/bundle-schemas';
import { archiveBundle, bundleRepresentation, createBundle, getBundle, listBundles, updateBundle } from '../../../services/catalog/bundles';
import { listBody, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const tags = ['Catalog: bundles'];

export const bundleRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/bundles', operationId: 'createBundle', summary: 'Create a bundle', tags,
    description: 'A plan sold with add-ons, optionally at a percent discount.',
    auth: 'tenant', permission: 'write', body: createBundleSchema,
    success: { status: 201, description: 'The bundle', schema: bundleSchema }, errors: ['code_taken', 'invalid_catalog'],
    async handler({ tx, change, body }) {
      const bundle = await createBundle(tx, change, body);
      return created('/v1/bundles', bundle.id, bundleRepresentation(bundle));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/bundles', operationId: 'listBundles', summary: 'List bundles', tags,
    auth: 'tenant', permission: 'read', query: catalogListQuery,
    success: { status: 200, description: 'A page of bundles', schema: listSchema(bundleSchema, 'BundleList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listBundles(tx, tenantId, query.status, pageRequest(query)), bundleRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/bundles/{id}', operationId: 'getBundle', summary: 'Retrieve a bundle', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The bundle', schema: bundleSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: bundleRepresentation(await getBundle(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/bundles/{id}', operationId: 'updateBundle', summary: 'Update a bundle', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateBundleSchema,
    success: { status: 200, description: 'The bundle', schema: bundleSchema }, errors: ['invalid_catalog', 'catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: bundleRepresentation(await updateBundle(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/bundles/{id}/archive', operationId: 'archiveBundle', summary: 'Archive a bundle', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The bundle', schema: bundleSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: bundleRepresentation(await archiveBundle(tx, change, params.id)) };
    },
  }),
];
