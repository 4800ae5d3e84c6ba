import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { insertBulkAccounts } from '../bulk-accounts';
import type { Actor, ChangeContext } from '../../services/change-context';
import { createPlanSchema } from '../../services/catalog/plan-schemas';
import { createPlan } from '../../services/catalog/plans';
import { createProductSchema } from '../../services/catalog/product-schemas';
import { createProduct } from '../../services/catalog/products';
import { createTenant } from '../../services/tenants/tenant-service';

/**
 * What the subscription benchmark bills: one tenant (tenant service), one
 * product and one monthly plan at 1,200.00 USD (catalogue services, as the
 * API would write them), and the accounts, inserted in bulk with one
 * statement. Bulk accounts skip the audit entry and outbox event the
 * account service writes per account: seeding is set-up, not the measured
 * work, and 10,000 service calls would take longer than the benchmark.
 */
export const BENCH_ACTOR: Actor = { type: 'system', id: 'bench', label: 'subscription benchmark' };
export const PLAN_CODE = 'cabinet-full';
export const PLAN_PRICE = '1200.00';
export const CURRENCY = 'USD';

export interface SubscriptionFixture {
  tenantId: string;
  accountIds: string[];
}

export function changeContext(tenantId: string): ChangeContext {
  return { tenantId, actor: BENCH_ACTOR, requestId: null, now: new Date() };
}

export async function seedSubscriptionFixture(dataSource: DataSource, accounts: number): Promise<SubscriptionFixture> {
  const { tenant } = await dataSource.transaction((tx) =>
    createTenant(tx, { actor: BENCH_ACTOR, requestId: null, now: new Date() }, { name: 'Subscription Benchmark', slug: 'bench-subscriptions' }),
  );
  const tenantId = tenant.id;
  await inTenantTransaction(dataSource, tenantId, async (tx) => {
    const ctx = changeContext(tenantId);
    await createProduct(tx, ctx, createProductSchema.parse({ code: 'cabinet', name: 'Full cabinet' }));
    await createPlan(
      tx,
      ctx,
      createPlanSchema.parse({
        code: PLAN_CODE,
        name: 'Full cabinet, monthly',
        definition: {
          billing_interval: 'month',
          currencies: [CURRENCY],
          trial_days: 0,
          charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { [CURRENCY]: { model: 'per_unit', unit_price: PLAN_PRICE } } }],
        },
      }),
    );
  });
  const accountIds = await insertBulkAccounts(dataSource, tenantId, { count: accounts, externalIdPrefix: 'bench', namePrefix: 'Benchmark customer', currency: CURRENCY });
  return { tenantId, accountIds };
}
