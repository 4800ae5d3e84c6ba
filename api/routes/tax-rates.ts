import { z } from 'zod';
import { createTaxRateSchema, taxRateListQuery, taxRateSchema, updateTaxRateSchema } from '../../services/invoicing/tax-rate-schemas';
import { createTaxRate, getTaxRate, listTaxRates, taxRateRepresentation, updateTaxRate } from '../../services/invoicing/tax-rates';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { created, idParams } from './catalog/shared';

const tags = ['Tax rates'];

/** The built-in tax provider's rate table (docs/taxes.md): rates by country, region and product tax code, with validity periods. */
export const taxRateRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/tax_rates', operationId: 'createTaxRate', summary: 'Create a tax rate', tags,
    description:
      'A rate for a country or one of its regions, optionally for one product tax code, inclusive or exclusive, from valid_from (default now) ' +
      'to valid_to (exclusive). Another rate of the same country, region and tax code in overlapping time is refused.',
    auth: 'tenant', permission: 'write', body: createTaxRateSchema,
    success: { status: 201, description: 'The tax rate', schema: taxRateSchema }, errors: ['tax_rate_overlap'],
    async handler({ tx, change, body }) {
      const rate = await createTaxRate(tx, change, body);
      return created('/v1/tax_rates', rate.id, taxRateRepresentation(rate));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/tax_rates', operationId: 'listTaxRates', summary: 'List tax rates', tags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, ...taxRateListQuery }),
    success: { status: 200, description: 'A page of tax rates, newest first', schema: listSchema(taxRateSchema, 'TaxRateList') },
    async handler({ tx, tenantId, query }) {
      const filter = { country: query.country, activeAt: query.active_at === undefined ? undefined : new Date(query.active_at) };
      const page = await listTaxRates(tx, tenantId, filter, pageRequest(query));
      return { status: 200, body: listBody(page, taxRateRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/tax_rates/{id}', operationId: 'getTaxRate', summary: 'Retrieve a tax rate', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The tax rate', schema: taxRateSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: taxRateRepresentation(await getTaxRate(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/tax_rates/{id}', operationId: 'updateTaxRate', summary: 'Rename, describe or end a tax rate', tags,
    description: 'Percentage, inclusiveness, place, tax code and start never change (invoices refer to rate ids): end the rate with valid_to and create a new one.',
    auth: 'tenant', permission: 'write', params: idParams, body: updateTaxRateSchema,
    success: { status: 200, description: 'The tax rate', schema: taxRateSchema }, errors: ['tax_rate_overlap'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: taxRateRepresentation(await updateTaxRate(tx, change, params.id, body)) };
    },
  }),
];
