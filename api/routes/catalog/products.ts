import { createProductSchema, productSchema, updateProductSchema } from '../../../services/catalog/product-schemas';
import { archiveProduct, createProduct, getProduct, listProducts, productRepresentation, updateProduct } from '../../../services/catalog/products';
import { listBody, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const tags = ['Catalog: products'];

export const productRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/products', operationId: 'createProduct', summary: 'Create a product', tags,
    description: 'What the provider sells (a cabinet, power, a cross-connect), with its GL and tax codes.',
    auth: 'tenant', permission: 'write', body: createProductSchema,
    success: { status: 201, description: 'The product', schema: productSchema }, errors: ['code_taken'],
    async handler({ tx, change, body }) {
      const product = await createProduct(tx, change, body);
      return created('/v1/products', product.id, productRepresentation(product));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/products', operationId: 'listProducts', summary: 'List products', tags,
    auth: 'tenant', permission: 'read', query: catalogListQuery,
    success: { status: 200, description: 'A page of products', schema: listSchema(productSchema, 'ProductList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listProducts(tx, tenantId, query.status, pageRequest(query)), productRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/products/{id}', operationId: 'getProduct', summary: 'Retrieve a product', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The product', schema: productSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: productRepresentation(await getProduct(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/products/{id}', operationId: 'updateProduct', summary: 'Update a product', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateProductSchema,
    success: { status: 200, description: 'The product', schema: productSchema }, errors: ['catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: productRepresentation(await updateProduct(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/products/{id}/archive', operationId: 'archiveProduct', summary: 'Archive a product', tags,
    description: 'Existing plan versions keep it; new plan versions and asset types cannot use it.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The product', schema: productSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: productRepresentation(await archiveProduct(tx, change, params.id)) };
    },
  }),
];
