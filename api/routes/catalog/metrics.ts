import { createMetricSchema, metricSchema, updateMetricSchema } from '../../../services/catalog/metric-schemas';
import { archiveMetric, createMetric, getMetric, listMetrics, metricRepresentation, updateMetric } from '../../../services/catalog/metrics';
import { listBody, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const tags = ['Catalog: billable metrics'];

export const metricRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/billable_metrics', operationId: 'createBillableMetric', summary: 'Create a billable metric', tags,
    description: 'How usage events become a billable quantity. Aggregation, filters and grouping are fixed once created.',
    auth: 'tenant', permission: 'write', body: createMetricSchema,
    success: { status: 201, description: 'The metric', schema: metricSchema }, errors: ['code_taken'],
    async handler({ tx, change, body }) {
      const metric = await createMetric(tx, change, body);
      return created('/v1/billable_metrics', metric.id, metricRepresentation(metric));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/billable_metrics', operationId: 'listBillableMetrics', summary: 'List billable metrics', tags,
    auth: 'tenant', permission: 'read', query: catalogListQuery,
    success: { status: 200, description: 'A page of metrics', schema: listSchema(metricSchema, 'BillableMetricList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listMetrics(tx, tenantId, query.status, pageRequest(query)), metricRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/billable_metrics/{id}', operationId: 'getBillableMetric', summary: 'Retrieve a billable metric', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The metric', schema: metricSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: metricRepresentation(await getMetric(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/billable_metrics/{id}', operationId: 'updateBillableMetric', summary: 'Rename a billable metric', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateMetricSchema,
    success: { status: 200, description: 'The metric', schema: metricSchema }, errors: ['catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: metricRepresentation(await updateMetric(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/billable_metrics/{id}/archive', operationId: 'archiveBillableMetric', summary: 'Archive a billable metric', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The metric', schema: metricSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: metricRepresentation(await archiveMetric(tx, change, params.id)) };
    },
  }),
];
