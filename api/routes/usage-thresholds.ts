import { z } from 'zod';
import { uuid } from '../../lib/schema-primitives';
import { createThresholdSchema, thresholdSchema, updateThresholdSchema } from '../../services/metering/threshold-schemas';
import { archiveThreshold, createThreshold, getThreshold, listThresholds, thresholdRepresentation, updateThreshold } from '../../services/metering/threshold-service';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { created, idParams } from './catalog/shared';

const tags = ['Usage thresholds'];

/** Bill-shock thresholds (docs/metering.md): crossing a level emits usage.threshold_crossed once per level and period. */
export const usageThresholdRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/usage_thresholds', operationId: 'createUsageThreshold', summary: 'Create a usage threshold', tags,
    description: 'Levels (percents) of a budget or of the commit, on units of a metric or on the usage amount, for an account or one subscription.',
    auth: 'tenant', permission: 'write', body: createThresholdSchema,
    success: { status: 201, description: 'The threshold', schema: thresholdSchema }, errors: ['account_archived', 'threshold_reference_unavailable'],
    async handler({ tx, change, body }) {
      const threshold = await createThreshold(tx, change, body);
      return created('/v1/usage_thresholds', threshold.id, thresholdRepresentation(threshold));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/usage_thresholds', operationId: 'listUsageThresholds', summary: 'List usage thresholds', tags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({
      ...listQueryFields,
      account_id: uuid.optional(),
      subscription_id: uuid.optional(),
      status: z.enum(['active', 'archived', 'all']).default('active'),
    }),
    success: { status: 200, description: 'A page of thresholds, newest first', schema: listSchema(thresholdSchema, 'UsageThresholdList') },
    async handler({ tx, tenantId, query }) {
      const page = await listThresholds(tx, tenantId, { accountId: query.account_id, subscriptionId: query.subscription_id, status: query.status }, pageRequest(query));
      return { status: 200, body: listBody(page, thresholdRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/usage_thresholds/{id}', operationId: 'getUsageThreshold', summary: 'Retrieve a usage threshold', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The threshold', schema: thresholdSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: thresholdRepresentation(await getThreshold(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/usage_thresholds/{id}', operationId: 'updateUsageThreshold', summary: 'Change levels, budget or metadata', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateThresholdSchema,
    success: { status: 200, description: 'The threshold', schema: thresholdSchema }, errors: ['usage_threshold_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: thresholdRepresentation(await updateThreshold(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'delete', path: '/v1/usage_thresholds/{id}', operationId: 'archiveUsageThreshold', summary: 'Archive a usage threshold', tags,
    description: 'Stops the threshold; it and its announced crossings stay readable. Archiving an archived threshold returns it unchanged.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The archived threshold', schema: thresholdSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: thresholdRepresentation(await archiveThreshold(tx, change, params.id)) };
    },
  }),
];
