import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { advanceLines } from '../../domain/subscriptions/charge-lines';
import type { SubscriptionTerms } from '../../domain/subscriptions/subscription-terms';
import { Decimal } from '../../domain/money/decimal';
import { uuidv7 } from '../../lib/ids';
import type { Actor, ChangeContext } from '../../services/change-context';
import { createMetricSchema } from '../../services/catalog/metric-schemas';
import { createMetric } from '../../services/catalog/metrics';
import { createPlanSchema } from '../../services/catalog/plan-schemas';
import { createPlan } from '../../services/catalog/plans';
import { createProductSchema } from '../../services/catalog/product-schemas';
import { createProduct } from '../../services/catalog/products';
import { priceItem } from '../../services/subscriptions/subscription-items';
import { createTenant, updateTenantSettings } from '../../services/tenants/tenant-service';
import { insertBulkAccounts } from '../bulk-accounts';

/**
 * What a bill run finds on the first of a month when every subscription
 * workflow is behind schedule: one tenant (tenant service, grace period set
 * to 0 so the same run finalises), a catalogue (catalogue services) with a
 * monthly plan of 3 fixed recurring charges and 5 usage charges on 5
 * metrics, the accounts (bulk insert; a third are children billed to a
 * parent, every tenth of those a grandchild two levels down), one active
 * subscription per account whose current period is the month that just
 * ended (terms priced by the subscription service's own `priceItem`), and
 * the 3 fixed charges per subscription recorded in subscription_charges
 * with the keys, descriptions and amounts the workflow's `advanceLines`
 * gives. No usage_ratings row exists: the bill run rates the usage itself
 * (closeOverdueUsage). Bulk rows skip the audit entries and outbox events
 * the services write one by one: set-up, not what is measured.
 */
const BENCH_ACTOR: Actor = { type: 'system', id: 'bench', label: 'invoicing benchmark' };
export const PLAN_CODE = 'colo-metered';
export const CURRENCY = 'USD';
export const FIXED_CHARGES = 3;
export const USAGE_CHARGES = 5;

/** Event codes and metrics of the usage charges; `transit` is read from the sample rollup. */
export const USAGE = {
  calls: { metric: 'api-calls', event: 'api.call' },
  storage: { metric: 'storage-gb', event: 'storage.gb' },
  power: { metric: 'power-kw-max', event: 'power.kw' },
  addresses: { metric: 'ip-addresses', event: 'ip.seen', property: 'ip' },
  transit: { metric: 'transit-95th', event: 'interface.rate', property: 'bandwidth' },
} as const;

export interface Month {
  from: Date;
  to: Date;
}

export interface InvoicingFixture {
  tenantId: string;
  /** Every account; accounts[i] has subscriptions[i] and is billed on billingOf[i]'s invoice. */
  accountIds: string[];
  subscriptionIds: string[];
  billingOf: string[];
  billingAccountIds: string[];
  month: Month;
}

/** The month that ended at the last UTC midnight of a first of the month on or before `now`. */
export function lastMonth(now: Date): Month {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { from: new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1)), to };
}

const context = (tenantId: string): ChangeContext => ({ tenantId, actor: BENCH_ACTOR, requestId: null, now: new Date() });

async function seedCatalog(dataSource: DataSource, slug: string, percentile: boolean): Promise<string> {
  const origin = { actor: BENCH_ACTOR, requestId: null, now: new Date() };
  const tenantId = await dataSource.transaction(async (tx) => {
    const { tenant } = await createTenant(tx, origin, { name: 'Invoicing Benchmark', slug });
    // Grace period 0: the drafts are due for finalisation at the bill date, in the same run.
    await updateTenantSettings(tx, origin, tenant.id, { invoice_grace_period_hours: 0 });
    return tenant.id;
  });
  await inTenantTransaction(dataSource, tenantId, async (tx) => {
    const ctx = context(tenantId);
    for (const [code, name] of [['cabinet', 'Full cabinet'], ['power-commit', 'Committed power'], ['cross-connect', 'Cross-connect'], ['api', 'API calls'],
      ['storage', 'Object storage'], ['power-peak', 'Peak power'], ['ipv4', 'IPv4 addresses in use'], ['transit', 'IP transit']] as const) {
      await createProduct(tx, ctx, createProductSchema.parse({ code, name }));
    }
    const metric = (input: unknown) => createMetric(tx, ctx, createMetricSchema.parse(input));
    await metric({ code: USAGE.calls.metric, name: 'API calls', event_name: USAGE.calls.event, aggregation: { type: 'count' } });
    await metric({ code: USAGE.storage.metric, name: 'Storage', event_name: USAGE.storage.event, aggregation: { type: 'sum', property: 'value' }, unit_label: 'GB' });
    await metric({ code: USAGE.power.metric, name: 'Peak power', event_name: USAGE.power.event, aggregation: { type: 'max', property: 'value' }, unit_label: 'kW' });
    await metric({ code: USAGE.addresses.metric, name: 'IPv4 addresses', event_name: USAGE.addresses.event, aggregation: { type: 'unique_count', property: USAGE.addresses.property } });
    await metric({
      code: USAGE.transit.metric, name: 'IP transit, 95th percentile', event_name: USAGE.transit.event,
      aggregation: { type: 'percentile', property: USAGE.transit.property, percentile: '95', window_minutes: 5 }, unit_label: 'bit/s',
    });
    const usd = (model: Record<string, unknown>) => ({ [CURRENCY]: model });
    const transit = percentile
      ? { key: 'transit', product: 'transit', type: 'usage', metric: USAGE.transit.metric, prices: usd({ model: 'percentile', commit_mbps: '100', commit_price: '1.00', burst_price: '2.00' }) }
      // Without samples the fifth usage charge is a second sum (storage billed per GB-month at another price).
      : { key: 'transit', product: 'transit', type: 'usage', metric: USAGE.storage.metric, prices: usd({ model: 'per_unit', unit_price: '0.001' }) };
    await createPlan(tx, ctx, createPlanSchema.parse({
      code: PLAN_CODE, name: 'Colocation, metered',
      definition: {
        billing_interval: 'month', currencies: [CURRENCY], trial_days: 0,
        charges: [
          { key: 'rack', product: 'cabinet', type: 'recurring', prices: usd({ model: 'per_unit', unit_price: '1200.00' }) },
          { key: 'power', product: 'power-commit', type: 'recurring', prices: usd({ model: 'flat', amount: '450.00' }) },
          { key: 'xc', product: 'cross-connect', type: 'recurring', prices: usd({ model: 'flat', amount: '150.00' }) },
          { key: 'api', product: 'api', type: 'usage', metric: USAGE.calls.metric, included_quantity: '100', prices: usd({ model: 'per_unit', unit_price: '0.0125' }) },
          { key: 'storage', product: 'storage', type: 'usage', metric: USAGE.storage.metric,
            prices: usd({ model: 'graduated', tiers: [{ up_to: '1000', unit_price: '0.05' }, { up_to: '10000', unit_price: '0.03' }, { up_to: null, unit_price: '0.02' }] }) },
          { key: 'power-peak', product: 'power-peak', type: 'usage', metric: USAGE.power.metric, prices: usd({ model: 'per_unit', unit_price: '1.80' }) },
          { key: 'ipv4', product: 'ipv4', type: 'usage', metric: USAGE.addresses.metric, prices: usd({ model: 'per_unit', unit_price: '2.00' }) },
          transit,
        ],
      },
    }));
  });
  return tenantId;
}

/** Children: every other billing account gets two; every tenth child is a grandchild under the child before it. */
function accountTree(accountIds: readonly string[]): { parentOf: Array<string | null>; billingOf: string[]; billingCount: number } {
  const billingCount = Math.ceil((accountIds.length * 2) / 3);
  const parentOf: Array<string | null> = accountIds.map(() => null);
  const billingOf = [...accountIds];
  for (let i = billingCount; i < accountIds.length; i++) {
    const j = i - billingCount;
    const parentIndex = j % 10 === 9 ? i - 1 : Math.floor(j / 2) % billingCount;
    parentOf[i] = accountIds[parentIndex]!;
    billingOf[i] = billingOf[parentIndex]!;
  }
  return { parentOf, billingOf, billingCount };
}

export async function seedInvoicingFixture(
  dataSource: DataSource,
  input: { accounts: number; month: Month; slug: string; percentile: boolean },
): Promise<InvoicingFixture> {
  const { month } = input;
  const tenantId = await seedCatalog(dataSource, input.slug, input.percentile);
  const accountIds = await insertBulkAccounts(dataSource, tenantId, { count: input.accounts, externalIdPrefix: 'acct', namePrefix: 'Customer', currency: CURRENCY });
  const { parentOf, billingOf, billingCount } = accountTree(accountIds);
  const subscriptionIds = accountIds.map(() => uuidv7(Date.now()));
  await inTenantTransaction(dataSource, tenantId, async (tx) => {
    await tx.query(
      `UPDATE accounts a SET parent_id = t.parent, bill_to_parent = true, net_terms_days = 30
         FROM unnest($2::uuid[], $3::uuid[]) AS t (id, parent) WHERE a.tenant_id = $1 AND a.id = t.id`,
      [tenantId, accountIds.slice(billingCount), parentOf.slice(billingCount)],
    );
    const { item } = await priceItem(tx, tenantId, { id: accountIds[0]!, currency: CURRENCY }, { code: PLAN_CODE, kind: 'plan', quantity: new Decimal(1), field: 'plan' }, month.from);
    const terms: SubscriptionTerms = { items: [item], coupon: null };
    await tx.query(
      `INSERT INTO subscriptions (tenant_id, id, account_id, billing_account_id, plan_id, plan_version, currency, quantity, status, billing_interval,
         billing_anchor, billing_anchor_day, timezone, proration_unit, requires_provisioning, trial_days, trial_end_behavior, ordered_at, start_at,
         activated_at, current_period_start, current_period_end, cancel_at_period_end, terms, pending_changes, workflow_id, revision, metadata,
         created_at, updated_at)
       SELECT $1, s.id, s.account, s.billing, $5, $6, $7, 1, 'active', 'month', 'calendar', 1, 'UTC', 'second', false, 0, 'convert', $3, $3,
         $3, $3, $4, false, $8::jsonb, '[]'::jsonb, 'bench-subscription:' || s.id, 1, '{}'::jsonb, $3, $3
         FROM unnest($2::uuid[], $9::uuid[], $10::uuid[]) AS s (id, account, billing)`,
      [tenantId, subscriptionIds, month.from, month.to, item.planId, item.version, CURRENCY, JSON.stringify(terms), accountIds, billingOf],
    );
    // The fixed fees the workflows recorded when these periods started, one line per charge.
    const cycle = { interval: 'month', timeZone: 'UTC', anchor: { kind: 'calendar', day: 1 } } as const;
    const rows = subscriptionIds.flatMap((subscriptionId, i) =>
      advanceLines({ subscriptionId, currency: CURRENCY, cycle, prorationUnit: 'second' }, terms.items, { start: month.from, end: month.to }).map((line) => ({ line, i })),
    );
    await tx.query(
      `INSERT INTO subscription_charges (tenant_id, id, line_key, subscription_id, account_id, billing_account_id, currency, kind, item_code, charge_key,
         product_code, description, period_start, period_end, quantity, amount, revision, created_at)
       SELECT $1, c.id, c.key, c.sub, c.account, c.billing, $2, 'recurring', c.item, c.charge, c.product, c.description, $3, $4, c.quantity::numeric,
              c.amount::numeric, 1, $3
         FROM unnest($5::uuid[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
           AS c (id, key, sub, account, billing, item, charge, product, description, quantity, amount)`,
      [
        tenantId, CURRENCY, month.from, month.to,
        rows.map(() => uuidv7(month.from.getTime())), rows.map((r) => r.line.key), rows.map((r) => subscriptionIds[r.i]), rows.map((r) => accountIds[r.i]),
        rows.map((r) => billingOf[r.i]), rows.map((r) => r.line.itemCode), rows.map((r) => r.line.chargeKey), rows.map((r) => r.line.product),
        rows.map((r) => r.line.description), rows.map((r) => r.line.quantity), rows.map((r) => r.line.amount),
      ],
    );
  });
  return { tenantId, accountIds, subscriptionIds, billingOf, billingAccountIds: accountIds.slice(0, billingCount), month };
}
