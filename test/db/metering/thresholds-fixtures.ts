import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Decimal } from '../../../domain/money/decimal';
import type { SubscriptionStatus } from '../../../domain/subscriptions/status';
import { Account } from '../../../db/entities/account';
import { Subscription } from '../../../db/entities/subscriptions/subscription';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import { uuidv7 } from '../../../lib/ids';
import { priceItem } from '../../../services/subscriptions/subscription-items';
import { expectCreated } from '../../support/catalog-fixtures';
import type { TestApi } from '../../support/http';

/**
 * Usage fixtures for the usage API and threshold tests: a metered
 * catalogue built through the API, subscriptions written straight to the
 * table (their workflows are not what these tests are about; the
 * subscription tests cover them), events and bandwidth samples written as
 * the ingest transaction writes them.
 */
export const SLOTS_PER_DAY = 288;

export async function seedUsageCatalog(api: TestApi, key: string): Promise<void> {
  const post = (path: string, body: unknown) => expectCreated(api.request('POST', path, { key, body }));
  for (const code of ['cabinet', 'transit', 'bandwidth', 'power']) await post('/v1/products', { code, name: code });
  await post('/v1/billable_metrics', { code: 'transit-gb', name: 'Transit', event_name: 'interface.bytes', aggregation: { type: 'sum', property: 'gb' }, unit_label: 'GB' });
  await post('/v1/billable_metrics', {
    code: 'port-bps', name: 'Port traffic', event_name: 'interface.rate', aggregation: { type: 'percentile', property: 'traffic', percentile: '95' },
  });
  await post('/v1/billable_metrics', { code: 'api-calls', name: 'API calls', event_name: 'api.call', aggregation: { type: 'count' } });
  const transit = (included?: string) => ({
    key: 'transit', product: 'transit', type: 'usage', metric: 'transit-gb', ...(included ? { included_quantity: included } : {}),
    prices: { USD: { model: 'graduated', tiers: [{ up_to: '10000', unit_price: '0.05' }, { up_to: null, unit_price: '0.03' }] } },
  });
  await post('/v1/plans', {
    code: 'metered', name: 'Metered colocation', definition: {
      billing_interval: 'month', currencies: ['USD'],
      charges: [{ key: 'cabinet', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '1200.00' } } }, transit('1000')],
    },
  });
  // Burstable: 100 Mbps committed at 2.00, burst at 3.00, by rrdtool's rule on inbound traffic only.
  await post('/v1/plans', {
    code: 'burstable', name: 'Burstable transit', definition: {
      billing_interval: 'month', currencies: ['USD'],
      charges: [{
        key: 'port', product: 'bandwidth', type: 'usage', metric: 'port-bps',
        prices: { USD: { model: 'percentile', commit_mbps: '100', commit_price: '2.00', burst_price: '3.00', method: 'rrdtool', direction: 'in' } },
      }],
    },
  });
  // Usage with nothing committed: a commit threshold on it is refused.
  await post('/v1/plans', { code: 'uncommitted', name: 'Uncommitted', definition: { billing_interval: 'month', currencies: ['USD'], charges: [transit()] } });
}

export async function createAccount(api: TestApi, key: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await expectCreated(api.request('POST', '/v1/accounts', { key, body: { name: 'Customer', currency: 'USD', timezone: 'UTC', ...body } }))).id;
}

export interface SubscriptionFixture {
  accountId: string;
  plan: string;
  period: { start: string; end: string } | null;
  status?: SubscriptionStatus;
}

/** A subscription row as its workflow would have recorded it in `period`, priced from the plan's current version. */
export async function insertSubscription(dataSource: DataSource, tenantId: string, f: SubscriptionFixture): Promise<string> {
  return inTenantTransaction(dataSource, tenantId, async (tx) => {
    const account = await tx.findOneByOrFail(Account, { tenantId, id: f.accountId });
    const at = new Date(f.period?.start ?? '2026-01-01T00:00:00Z');
    const priced = await priceItem(tx, tenantId, account, { code: f.plan, kind: 'plan', quantity: new Decimal(1), field: 'plan' }, at);
    const id = uuidv7(at.getTime());
    const billingAccountId = account.billToParent && account.parentId ? account.parentId : account.id;
    await tx.insert(Subscription, {
      tenantId, id, accountId: account.id, billingAccountId, externalId: null, planId: priced.plan.id, planVersion: priced.item.version,
      currency: account.currency, quantity: '1', status: f.status ?? 'active', billingInterval: 'month', billingAnchor: 'calendar', billingAnchorDay: 1,
      timezone: account.timezone, prorationUnit: 'second', requiresProvisioning: false, trialDays: 0, trialEndBehavior: 'convert',
      orderedAt: at, startAt: at, endsAt: null, activatedAt: at, trialEnd: null,
      currentPeriodStart: f.period ? new Date(f.period.start) : null, currentPeriodEnd: f.period ? new Date(f.period.end) : null,
      cancelAtPeriodEnd: false, canceledAt: null, endedAt: null, pausedAt: null, terms: { items: [priced.item], coupon: null }, pendingChanges: [],
      couponId: null, promotionCodeId: null, paymentMethodId: null, workflowId: `fixture-${id}`, revision: 1, metadata: {}, createdAt: at, updatedAt: at,
    });
    return id;
  });
}

/** Moves a subscription to its next period, as a renewal would. */
export async function setPeriod(dataSource: DataSource, tenantId: string, subscriptionId: string, period: { start: string; end: string }): Promise<void> {
  await inTenantTransaction(dataSource, tenantId, (tx) =>
    tx.update(Subscription, { tenantId, id: subscriptionId }, { currentPeriodStart: new Date(period.start), currentPeriodEnd: new Date(period.end) }),
  );
}

export interface EventFixture {
  accountId: string;
  subscriptionId?: string | null;
  code: string;
  at: string;
  value?: string;
  properties?: Record<string, unknown>;
}

/** Events as the ingest transaction stores them (the month's partition made first, outside the transaction). */
export async function insertEvents(dataSource: DataSource, tenantId: string, events: readonly EventFixture[]): Promise<void> {
  const months = new Set(events.map((e) => `${e.at.slice(0, 7)}-01`));
  for (const month of months) await dataSource.query(`SELECT rackrate_ensure_usage_partition($1::date)`, [month]);
  await inTenantTransaction(dataSource, tenantId, async (tx) => {
    for (const e of events) {
      await tx.query(
        `INSERT INTO usage_events (tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, statement_timestamp())`,
        [tenantId, randomUUID(), e.accountId, e.subscriptionId ?? null, e.code, e.at, e.value ?? null, JSON.stringify(e.properties ?? {})],
      );
    }
  });
}

export interface SampleDayFixture {
  accountId: string;
  subscriptionId: string | null;
  code: string;
  property: string;
  series: Record<string, string>;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** 288 five-minute rates in bit/s; null = no sample in the slot. */
  in: ReadonlyArray<number | null>;
  out: ReadonlyArray<number | null>;
}

/** One port-day of the bandwidth rollup, one sample per known slot (sum = the rate, count = 1). */
export async function insertSampleDay(dataSource: DataSource, tenantId: string, f: SampleDayFixture): Promise<void> {
  const sums = (rates: ReadonlyArray<number | null>) => rates.map((r) => r ?? 0);
  const counts = (rates: ReadonlyArray<number | null>) => rates.map((r) => (r === null ? 0 : 1));
  await inTenantTransaction(dataSource, tenantId, (tx) =>
    tx.query(
      `INSERT INTO usage_samples (tenant_id, account_id, subscription_id, code, property, series, slot_minutes, day, in_sum, in_count, out_sum, out_count, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 5, $7, $8, $9, $10, $11, statement_timestamp())`,
      [
        tenantId, f.accountId, f.subscriptionId ?? '00000000-0000-0000-0000-000000000000', f.code, f.property, JSON.stringify(f.series), f.day,
        sums(f.in), counts(f.in), sums(f.out), counts(f.out),
      ],
    ),
  );
}
