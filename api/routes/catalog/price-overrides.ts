import { z } from 'zod';
import { uuid } from '../../../lib/schema-primitives';
import { createPriceOverrideSchema, endPriceOverrideSchema, priceOverrideSchema } from '../../../services/catalog/price-override-schemas';
import {
  createPriceOverride,
  endPriceOverride,
  getPriceOverride,
  listPriceOverrides,
  priceOverrideRepresentation,
} from '../../../services/catalog/price-overrides';
import { listBody, listQueryFields, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { created, idParams } from './shared';

const tags = ['Catalog: price overrides (contracts)'];

export const priceOverrideRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/price_overrides', operationId: 'createPriceOverride', summary: 'Create a price override', tags,
    description:
      "Contract pricing: an account's own price models, included quantities or minimums for a plan's charges, " +
      'and a minimum commitment, in the account currency, from starts_at until ends_at.',
    auth: 'tenant', permission: 'write', body: createPriceOverrideSchema,
    success: { status: 201, description: 'The override', schema: priceOverrideSchema }, errors: ['invalid_catalog', 'price_override_overlap'],
    async handler({ tx, change, body }) {
      const override = await createPriceOverride(tx, change, body);
      return created('/v1/price_overrides', override.id, priceOverrideRepresentation(override));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/price_overrides', operationId: 'listPriceOverrides', summary: 'List price overrides', tags,
    auth: 'tenant', permission: 'read', query: z.strictObject({ ...listQueryFields, account_id: uuid.optional() }),
    success: { status: 200, description: 'A page of overrides', schema: listSchema(priceOverrideSchema, 'PriceOverrideList') },
    async handler({ tx, tenantId, query }) {
      const page = await listPriceOverrides(tx, tenantId, { accountId: query.account_id }, pageRequest(query));
      return { status: 200, body: listBody(page, priceOverrideRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/price_overrides/{id}', operationId: 'getPriceOverride', summary: 'Retrieve a price override', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The override', schema: priceOverrideSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: priceOverrideRepresentation(await getPriceOverride(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/price_overrides/{id}/end', operationId: 'endPriceOverride', summary: 'End a price override', tags,
    description: 'Sets or brings forward its end; it cannot be extended.',
    auth: 'tenant', permission: 'write', params: idParams, body: endPriceOverrideSchema,
    success: { status: 200, description: 'The override', schema: priceOverrideSchema },
    async handler({ tx, change, params, body }) {
      return { status: 200, body: priceOverrideRepresentation(await endPriceOverride(tx, change, params.id, new Date(body.ends_at))) };
    },
  }),
];
