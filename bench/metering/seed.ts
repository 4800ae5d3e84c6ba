import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { insertBulkAccounts } from '../bulk-accounts';
import { createApiKey } from '../../services/auth/api-keys';
import type { Actor, ChangeContext } from '../../services/change-context';
import { createMetricSchema } from '../../services/catalog/metric-schemas';
import { createMetric } from '../../services/catalog/metrics';
import { createTenant } from '../../services/tenants/tenant-service';

/**
 * What the metering benchmark meters: one tenant (tenant service), an
 * ingest-scoped API key (the key an agent would hold), a billable metric per
 * event code (catalogue service, as the API writes them), and the accounts,
 * inserted in bulk with one statement (seeding is set-up, not the measured
 * work; it skips the audit entry and event the account service writes).
 * Accounts get external ids `cust-1` … `cust-N`, which ingested events name.
 */
const BENCH_ACTOR: Actor = { type: 'system', id: 'bench', label: 'metering benchmark' };

/** The event codes and their metrics: a count, a sum and a max of `value`, and the 95th percentile of port rates. */
export const METRICS = {
  calls: { code: 'api-calls', eventName: 'api.call' },
  storage: { code: 'storage-gb', eventName: 'storage.gb' },
  power: { code: 'power-kw-max', eventName: 'power.kw' },
  transit: { code: 'transit-95th', eventName: 'interface.rate', property: 'bandwidth' },
} as const;

/** The event codes of ingestion and aggregation, with how often each occurs (out of 10). */
export const EVENT_MIX = [
  { code: METRICS.calls.eventName, weight: 6 },
  { code: METRICS.storage.eventName, weight: 3 },
  { code: METRICS.power.eventName, weight: 1 },
] as const;

export interface MeteringFixture {
  tenantId: string;
  /** Secret of an API key with only the `ingest` scope. */
  ingestKey: string;
  /** Account ids in external-id order: accountIds[i] is `cust-${i + 1}`. */
  accountIds: string[];
}

const context = (tenantId: string): ChangeContext => ({ tenantId, actor: BENCH_ACTOR, requestId: null, now: new Date() });

export async function seedMeteringFixture(dataSource: DataSource, accounts: number): Promise<MeteringFixture> {
  const { tenant } = await dataSource.transaction((tx) =>
    createTenant(tx, { actor: BENCH_ACTOR, requestId: null, now: new Date() }, { name: 'Metering Benchmark', slug: 'bench-metering' }),
  );
  const tenantId = tenant.id;
  const ingestKey = await inTenantTransaction(dataSource, tenantId, async (tx) => {
    const ctx = context(tenantId);
    const metric = (input: unknown) => createMetric(tx, ctx, createMetricSchema.parse(input));
    await metric({ code: METRICS.calls.code, name: 'API calls', event_name: METRICS.calls.eventName, aggregation: { type: 'count' } });
    await metric({ code: METRICS.storage.code, name: 'Storage', event_name: METRICS.storage.eventName, aggregation: { type: 'sum', property: 'value' }, unit_label: 'GB' });
    await metric({ code: METRICS.power.code, name: 'Peak power', event_name: METRICS.power.eventName, aggregation: { type: 'max', property: 'value' }, unit_label: 'kW' });
    await metric({
      code: METRICS.transit.code,
      name: 'IP transit, 95th percentile',
      event_name: METRICS.transit.eventName,
      aggregation: { type: 'percentile', property: METRICS.transit.property, percentile: '95', window_minutes: 5 },
      group_by: ['port'],
      unit_label: 'bit/s',
    });
    const { secret } = await createApiKey(tx, ctx, { name: 'Metering agent', scopes: ['ingest'] });
    return secret;
  });
  const accountIds = await insertBulkAccounts(dataSource, tenantId, { count: accounts, externalIdPrefix: 'cust', namePrefix: 'Metered customer', currency: 'USD' });
  return { tenantId, ingestKey, accountIds };
}
