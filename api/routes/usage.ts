import { usageEstimateSchema, usageQuerySchema, usageSamplesQuerySchema, usageSamplesSchema, usageSeriesQuerySchema, usageSeriesSchema, usageTotalsSchema } from '../../services/metering/usage-api-schemas';
import { MAX_SAMPLE_SLOTS, MAX_SAMPLES, MAX_SERIES_BUCKETS, usageSamples, usageTimeSeries, usageTotals } from '../../services/metering/usage-api';
import { accountUsageEstimate, subscriptionUsageEstimate } from '../../services/metering/usage-estimate';
import { tenantRoute } from '../routing/route';
import { idParams } from './catalog/shared';

const tags = ['Usage'];

/** The usage API for the portal and finance (docs/metering.md, "Usage API"). Reads only. */
export const usageRoutes = [
  tenantRoute({
    method: 'get', path: '/v1/usage', operationId: 'getUsage', summary: 'Usage totals', tags,
    description: "A metric's usage per group over [from, to) for an account or a subscription. Percentile metrics report the 95th (their percentile) in bit/s by the default convention.",
    auth: 'tenant', permission: 'read', query: usageQuerySchema,
    success: { status: 200, description: 'Totals per group', schema: usageTotalsSchema },
    async handler({ tx, tenantId, query, now }) {
      return { status: 200, body: await usageTotals(tx, tenantId, query, now) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/usage/series', operationId: 'getUsageSeries', summary: 'Usage time series', tags,
    description: `Hourly or daily buckets per group, on the wall clock of \`timezone\`. At most ${MAX_SERIES_BUCKETS} buckets per request.`,
    auth: 'tenant', permission: 'read', query: usageSeriesQuerySchema,
    success: { status: 200, description: 'Buckets per group', schema: usageSeriesSchema },
    async handler({ tx, tenantId, query, now }) {
      return { status: 200, body: await usageTimeSeries(tx, tenantId, query, now) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/usage/samples', operationId: 'getUsageSamples', summary: 'Bandwidth samples and the percentile line', tags,
    description:
      `Percentile metrics only: the pooled 5-minute rates per group and the percentile by the subscription's charge convention ` +
      `(else the default). At most ${MAX_SAMPLE_SLOTS} slots per group and ${MAX_SAMPLES} samples per response.`,
    auth: 'tenant', permission: 'read', query: usageSamplesQuerySchema,
    success: { status: 200, description: 'Samples and percentile per group', schema: usageSamplesSchema }, errors: ['usage_result_too_large'],
    async handler({ tx, tenantId, query, now }) {
      return { status: 200, body: await usageSamples(tx, tenantId, query, now) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions/{id}/usage/estimate', operationId: 'getSubscriptionUsageEstimate', summary: "The current period's charges to date", tags,
    description: 'Fixed charges recorded for the current period plus usage rated from the period start to now, with totals per currency.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The estimate', schema: usageEstimateSchema },
    async handler({ tx, tenantId, params, now }) {
      return { status: 200, body: await subscriptionUsageEstimate(tx, tenantId, params.id, now) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/usage/estimate', operationId: 'getAccountUsageEstimate', summary: "The account's charges to date", tags,
    description: 'The estimate of every live subscription the account pays for (billing_account_id), each over its current period; lines name their subscription.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The estimate', schema: usageEstimateSchema },
    async handler({ tx, tenantId, params, now }) {
      return { status: 200, body: await accountUsageEstimate(tx, tenantId, params.id, now) };
    },
  }),
];
