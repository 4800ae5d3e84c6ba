import { inTenantTransaction } from '../../../db/tenant-transaction';
import { createLogger } from '../../../lib/logger';
import { drainThresholdQueue, WATCHER_ACTOR, type DrainResult } from '../../../services/metering/threshold-evaluation';
import { enqueueThresholdChecks } from '../../../services/metering/threshold-queue';
import { thresholdCrossingSchema } from '../../../services/metering/threshold-schemas';
import { requester } from '../../support/catalog-fixtures';
import { useApiTest } from '../../support/http';
import { createAccount, insertEvents, insertSampleDay, insertSubscription, seedUsageCatalog, setPeriod, SLOTS_PER_DAY } from './thresholds-fixtures';

/**
 * Threshold evaluation on real PostgreSQL: levels announced once per
 * threshold, level and period (replays, racing drains, a new period), for
 * units, amounts, commits and bandwidth, with master billing.
 */
const ctx = useApiTest('threshold-evaluation');
const req = requester(ctx);
const logger = createLogger('silent', 'test');
const NOVEMBER = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
const DECEMBER = { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' };

function drain(now: string, limit = 100): Promise<DrainResult> {
  const change = { tenantId: ctx.tenant.id, actor: WATCHER_ACTOR, requestId: null, now: new Date(now) };
  return inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => drainThresholdQueue(tx, change, limit, logger));
}

function enqueue(...accountIds: string[]): Promise<void> {
  return inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => enqueueThresholdChecks(tx, ctx.tenant.id, accountIds));
}

interface Crossing {
  percent: number;
  observed: string;
  reference_value: string;
  period: { start: string; end: string };
  currency: string | null;
}

/** The usage.threshold_crossed events of a threshold, oldest first. */
async function announced(thresholdId: string): Promise<Crossing[]> {
  const rows = await ctx.db.asSuperuser((c) =>
    c.query(`SELECT payload FROM outbox_events WHERE type = 'usage.threshold_crossed' AND resource_id = $1 ORDER BY id`, [thresholdId]),
  );
  // Every payload in the documented shape.
  return rows.rows.map((r: { payload: unknown }) => thresholdCrossingSchema.parse(r.payload));
}

const levels = async (thresholdId: string) => (await announced(thresholdId)).map((c) => `${c.period.start.slice(0, 7)} ${c.percent}`);

async function queued(): Promise<string[]> {
  const rows = await ctx.db.asSuperuser((c) => c.query(`SELECT account_id FROM usage_threshold_queue WHERE tenant_id = $1 ORDER BY 1`, [ctx.tenant.id]));
  return rows.rows.map((r: { account_id: string }) => r.account_id);
}

async function threshold(body: Record<string, unknown>): Promise<string> {
  const res = await req('POST', '/v1/usage_thresholds', body);
  if (res.status !== 201) throw new Error(`threshold: ${res.status} ${res.text}`);
  return res.body.id;
}

const transit = (accountId: string, subscriptionId: string | null, at: string, gb: number) => ({ accountId, subscriptionId, code: 'interface.bytes', at, properties: { gb } });

beforeAll(async () => {
  await seedUsageCatalog(ctx.api, ctx.tenant.adminKey);
});

describe('a units threshold on one subscription', () => {
  let accountId: string;
  let subscriptionId: string;
  let thresholdId: string;

  beforeAll(async () => {
    accountId = await createAccount(ctx.api, ctx.tenant.adminKey);
    subscriptionId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: NOVEMBER });
    thresholdId = await threshold({ account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '1000', percents: [50, 80, 100] });
  });

  it('announces each level once, when usage in the period first reaches it', async () => {
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [
      transit(accountId, subscriptionId, '2026-11-10T10:00:00Z', 300),
      transit(accountId, subscriptionId, '2026-11-10T11:00:00Z', 250),
      // Not this subscription's usage in this period: before it, unattributed, or another metric.
      transit(accountId, subscriptionId, '2026-10-31T23:59:59Z', 10_000),
      transit(accountId, null, '2026-11-10T12:00:00Z', 10_000),
      { accountId, subscriptionId, code: 'api.call', at: '2026-11-10T12:00:00Z', properties: { gb: 10_000 } },
    ]);
    await enqueue(accountId);
    expect(await drain('2026-11-15T00:00:00Z')).toEqual({ claimed: 1, thresholds: 1, crossings: 1, kept: 0 });
    expect(await announced(thresholdId)).toEqual([
      expect.objectContaining({ percent: 50, observed: '550', reference_value: '1000', period: NOVEMBER, currency: null }),
    ]);
    expect(await queued()).toEqual([]);

    // An agent's clock 3 minutes ahead: stored events count at once (ingest allows 5 minutes of skew).
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(accountId, subscriptionId, '2026-11-15T00:03:00Z', 300)]);
    await enqueue(accountId);
    expect((await drain('2026-11-15T00:00:00Z')).crossings).toBe(1);
    expect((await announced(thresholdId))[1]).toMatchObject({ percent: 80, observed: '850' });
    expect(await levels(thresholdId)).toEqual(['2026-11 50', '2026-11 80']);
  });

  it('announces nothing again when the queue is replayed', async () => {
    for (let i = 0; i < 3; i++) {
      await enqueue(accountId, accountId);
      expect(await drain('2026-11-16T00:00:00Z')).toEqual({ claimed: 1, thresholds: 1, crossings: 0, kept: 0 });
    }
    expect(await levels(thresholdId)).toEqual(['2026-11 50', '2026-11 80']);
  });

  it('announces several levels reached at once, lowest first', async () => {
    const second = await threshold({ account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '200', percents: [400, 100, 200, 500] });
    await enqueue(accountId);
    await drain('2026-11-16T00:00:00Z');
    expect((await announced(second)).map((c) => [c.percent, c.observed])).toEqual([[100, '850'], [200, '850'], [400, '850']]);
  });

  it('announces again in the next period', async () => {
    await setPeriod(ctx.db.dataSource, ctx.tenant.id, subscriptionId, DECEMBER);
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(accountId, subscriptionId, '2026-12-02T00:00:00Z', 600)]);
    await enqueue(accountId);
    await drain('2026-12-03T00:00:00Z');
    expect(await levels(thresholdId)).toEqual(['2026-11 50', '2026-11 80', '2026-12 50']);
    expect((await announced(thresholdId))[2]).toMatchObject({ observed: '600', period: DECEMBER });
  });

  it('stops when archived', async () => {
    await req('DELETE', `/v1/usage_thresholds/${thresholdId}`);
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(accountId, subscriptionId, '2026-12-02T01:00:00Z', 5000)]);
    await enqueue(accountId);
    await drain('2026-12-03T00:00:00Z');
    expect(await levels(thresholdId)).toEqual(['2026-11 50', '2026-11 80', '2026-12 50']);
  });
});

describe('an account threshold', () => {
  it("measures the account's own usage in its calendar month against its subscriptions' summed commit", async () => {
    const accountId = await createAccount(ctx.api, ctx.tenant.adminKey, { timezone: 'America/New_York' });
    const first = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: NOVEMBER });
    await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: NOVEMBER });
    // Two subscriptions with 1,000 GB included each: the commit is 2,000 GB.
    const id = await threshold({ account_id: accountId, basis: 'units', metric_code: 'transit-gb', reference: 'commit', percents: [50, 100] });
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [
      transit(accountId, first, '2026-11-05T00:00:00Z', 500),
      transit(accountId, null, '2026-11-06T00:00:00Z', 600),
      // New York's November starts at 04:00 UTC on the 1st.
      transit(accountId, null, '2026-11-01T03:00:00Z', 5000),
    ]);
    await enqueue(accountId);
    await drain('2026-11-10T00:00:00Z');
    const month = { start: '2026-11-01T04:00:00.000Z', end: '2026-12-01T05:00:00.000Z' };
    expect(await announced(id)).toEqual([expect.objectContaining({ percent: 50, observed: '1100', reference_value: '2000', period: month })]);
  });

  it('a threshold that fails to evaluate is skipped; the others on the account still are evaluated', async () => {
    const accountId = await createAccount(ctx.api, ctx.tenant.adminKey);
    const broken = await threshold({ account_id: accountId, basis: 'units', metric_code: 'api-calls', reference: 'value', reference_value: '1', percents: [100] });
    const working = await threshold({ account_id: accountId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '10', percents: [100] });
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(accountId, null, '2026-11-05T00:00:00Z', 20)]);
    // The metric disappears from under the first threshold (only possible behind the API's back).
    await ctx.db.asSuperuser((c) => c.query(`DELETE FROM billable_metrics WHERE tenant_id = $1 AND code = 'api-calls'`, [ctx.tenant.id]));
    await enqueue(accountId);
    expect(await drain('2026-11-10T00:00:00Z')).toMatchObject({ claimed: 1, thresholds: 2, crossings: 1 });
    expect(await levels(broken)).toEqual([]);
    expect(await levels(working)).toEqual(['2026-11 100']);
    expect(await queued()).toEqual([]);
  });
});

describe('a subscription whose period awaits renewal', () => {
  it('keeps its account queued until the workflow records the new period, then evaluates', async () => {
    const accountId = await createAccount(ctx.api, ctx.tenant.adminKey);
    const subscriptionId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: { start: '2026-10-01T00:00:00Z', end: NOVEMBER.start } });
    const id = await threshold({ account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '10', percents: [100] });
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(accountId, subscriptionId, '2026-11-01T00:00:05Z', 20)]);
    await enqueue(accountId);
    expect(await drain('2026-11-01T00:00:10Z')).toMatchObject({ claimed: 1, crossings: 0, kept: 1 });
    expect(await queued()).toEqual([accountId]);
    await setPeriod(ctx.db.dataSource, ctx.tenant.id, subscriptionId, NOVEMBER);
    expect(await drain('2026-11-01T00:00:20Z')).toMatchObject({ claimed: 1, crossings: 1, kept: 0 });
    expect(await levels(id)).toEqual(['2026-11 100']);
    expect(await queued()).toEqual([]);
  });
});

describe('an amount budget of a parent paying for its child', () => {
  let parentId: string;
  let childId: string;
  let subscriptionId: string;
  let budgetId: string;

  beforeAll(async () => {
    parentId = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Parent' });
    childId = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Child', parent_id: parentId, bill_to_parent: true });
    subscriptionId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId: childId, plan: 'metered', period: NOVEMBER });
    budgetId = await threshold({ account_id: parentId, basis: 'amount', reference: 'value', reference_value: '100.00', percents: [50, 100] });
  });

  it("is moved by the child's events, at the rated amount", async () => {
    // 2,000 GB with 1,000 included at 0.05: 50.00.
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(childId, subscriptionId, '2026-11-05T00:00:00Z', 2000)]);
    await enqueue(childId);
    expect(await drain('2026-11-06T00:00:00Z')).toMatchObject({ claimed: 1, crossings: 1 });
    expect(await announced(budgetId)).toEqual([expect.objectContaining({ percent: 50, observed: '50.00', reference_value: '100', currency: 'USD', period: NOVEMBER })]);
  });

  it('two drains racing over the same threshold announce each level once', async () => {
    // 3,000 GB: 100.00 reaches 100 %. Both queued accounts lead to the parent's budget.
    await insertEvents(ctx.db.dataSource, ctx.tenant.id, [transit(childId, subscriptionId, '2026-11-06T00:00:00Z', 1000)]);
    const tight = await threshold({ account_id: parentId, basis: 'amount', reference: 'value', reference_value: '40', percents: [10, 20, 200] });
    await enqueue(parentId, childId);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const change = (now: string) => ({ tenantId: ctx.tenant.id, actor: WATCHER_ACTOR, requestId: null, now: new Date(now) });
    // The first drain records its crossings and holds its transaction open until the gate opens.
    let firstDone!: () => void;
    const firstDrained = new Promise<void>((resolve) => (firstDone = resolve));
    const first = inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, async (tx) => {
      const result = await drainThresholdQueue(tx, change('2026-11-07T00:00:00Z'), 1, logger);
      firstDone();
      await gate;
      return result;
    });
    await firstDrained;
    let secondFinishedAt = 0;
    const second = inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => drainThresholdQueue(tx, change('2026-11-07T00:00:01Z'), 1, logger)).then((r) => {
      secondFinishedAt = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    const releasedAt = Date.now();
    release();
    const [a, b] = await Promise.all([first, second]);
    // Each claimed its own account (SKIP LOCKED); the second waited on the first's uncommitted crossings.
    expect([a.claimed, b.claimed]).toEqual([1, 1]);
    expect(secondFinishedAt).toBeGreaterThanOrEqual(releasedAt);
    expect(await levels(tight)).toEqual(['2026-11 10', '2026-11 20', '2026-11 200']);
    expect(await levels(budgetId)).toEqual(['2026-11 50', '2026-11 100']);
    expect(a.crossings + b.crossings).toBe(4);
    expect(await queued()).toEqual([]);
  });
});

describe('a bandwidth commit', () => {
  it("measures the billed rate in bit/s by the charge's convention against commit_mbps", async () => {
    const accountId = await createAccount(ctx.api, ctx.tenant.adminKey);
    const period = { start: '2026-11-10T00:00:00.000Z', end: '2026-12-10T00:00:00.000Z' };
    const subscriptionId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'burstable', period });
    const id = await threshold({ account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'port-bps', reference: 'commit', percents: [50, 100] });
    // Inbound 0.25 … 72 Mbps, outbound twice that: the charge bills inbound only.
    const inRates = Array.from({ length: SLOTS_PER_DAY }, (_, i) => (i + 1) * 250_000);
    const outRates = inRates.map((r) => r * 2);
    await insertSampleDay(ctx.db.dataSource, ctx.tenant.id, { accountId, subscriptionId, code: 'interface.rate', property: 'traffic', series: { port: 'xe-0/0/1' }, day: '2026-11-10', in: inRates, out: outRates });
    await enqueue(accountId);
    // Usage so far runs to now + 5 minutes (the ingest's clock-skew allowance): exactly the 288 slots of the 10th.
    await drain('2026-11-10T23:55:00Z');
    // rrdtool: index round(0.95 × (n − 1)) of the ascending inbound rates, n = 288.
    const expected = [...inRates].sort((x, y) => x - y)[Math.round(0.95 * (SLOTS_PER_DAY - 1))]!;
    expect(expected).toBe(68_500_000);
    expect(await announced(id)).toEqual([expect.objectContaining({ percent: 50, observed: String(expected), reference_value: '100000000', period })]);
  });
});
