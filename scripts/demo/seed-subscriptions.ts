import type { DataSource } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { inTenantTransaction } from '../../db/tenant-transaction';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import { createSubscriptionSchema } from '../../services/subscriptions/subscription-schemas';
import { createSubscription } from '../../services/subscriptions/subscriptions';
import { getTenantBySlug } from '../../services/tenants/tenant-service';
import { DEMO_TENANT_SLUG, SEED_ACTOR } from './seed';

/**
 * The demo provider's subscriptions, started once Temporal and the worker
 * are up (each is a workflow): a backdated colocation contract that has
 * already renewed, a trial from a promotion code, a cabinet waiting for
 * provisioning (activate it with the API) and a yen customer on an
 * anniversary cycle. Skipped when the tenant has subscriptions already.
 */
const DAY = 86_400_000;

function demoSubscriptions(now: Date) {
  return [
    // Northwind's Newark cage, billed to the parent: started 75 days ago, so its workflow catches up
    // on the periods since (a prorated stub, then a renewal per month) and the charges are there to see.
    { account: 'CUST-1001-EWR', body: { plan: 'colo-full-cabinet', quantity: '2', addons: [{ code: 'cross-connect', quantity: '4' }], start_at: new Date(now.getTime() - 75 * DAY).toISOString(), external_id: 'NW-EWR-CAGE' } },
    { account: 'CUST-1002', body: { plan: 'colo-full-cabinet', trial_days: 14, promotion_code: 'COLO2027' } },
    { account: 'CUST-2001', body: { plan: 'colo-full-cabinet', requires_provisioning: true, external_id: 'FRA-ORDER-7731' } },
    { account: 'CUST-3001', body: { plan: 'colo-full-cabinet', billing_anchor: 'anniversary', start_at: new Date(now.getTime() - 10 * DAY).toISOString() } },
  ];
}

export async function seedDemoSubscriptions(dataSource: DataSource, temporal: TemporalClientProvider, now: Date): Promise<number> {
  const tenant = await dataSource.transaction((tx) => getTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (!tenant) return 0;
  const ctx = { tenantId: tenant.id, actor: SEED_ACTOR, requestId: null, now };
  if (await inTenantTransaction(dataSource, tenant.id, (tx) => tx.existsBy(Subscription, { tenantId: tenant.id }))) return 0;
  let started = 0;
  for (const item of demoSubscriptions(now)) {
    // One transaction each: the workflow starts inside it, as with the API.
    await inTenantTransaction(dataSource, tenant.id, async (tx) => {
      const account = await tx.findOneBy(Account, { tenantId: tenant.id, externalId: item.account });
      if (!account) return;
      await createSubscription(tx, ctx, temporal, createSubscriptionSchema.parse({ account_id: account.id, ...item.body }));
      started += 1;
    });
  }
  return started;
}
