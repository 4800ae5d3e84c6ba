import type { PoolClient } from 'pg';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { Decimal } from '../../domain/money/decimal';
import { aggregateUsage, aggregateUsageForAccounts, loadMetric, type MetricDefinition, type UsageAggregate } from '../../services/metering/usage-aggregation';
import type { MeteringDatabase } from './database';
import { aggregationMonth, generateEventMonth } from './datasets';
import type { MeteringOptions } from './options';
import { METRICS, type MeteringFixture } from './seed';
import { summarise, timed, type CpuUse, type LatencySummary } from './stats';

/**
 * Benchmark 2: a month of events for many customers (10,000,000 for 10,000
 * by default), then
 * (a) every customer's period totals for the three metrics at once, as a
 *     bill run asks for them: `aggregateUsageForAccounts` per metric, in one
 *     tenant transaction; baseline: one bare GROUP BY account_id, code
 *     computing count, sum and max in a single scan;
 * (b) one customer's period total (the sum metric) through `aggregateUsage`
 *     in its own tenant transaction, for `lookups` random customers;
 *     baseline: the bare SUM/COUNT for another `lookups` random customers
 *     (separate samples, so neither warms the other's pages), one query.
 * Baselines run on a superuser connection: no row-level security, so
 * PostgreSQL may run them in parallel (it cannot for the application's
 * role, whose policy function is not marked PARALLEL SAFE; bench/README.md).
 * Without parallelism the planner also chose a full index scan for the
 * bare GROUP BY under the application's role: 47 s instead of 4 s.
 * The results are checked against each other: every customer's count, sum
 * and max from Rackrate equal the bare query's.
 */
export const AGGREGATION_GOALS = { bulkSeconds: 10, singleCustomerMs: 20 } as const;

export interface AggregationResult {
  events: number;
  customers: number;
  event_codes: string[];
  period: { from: string; to: string };
  generation: { seconds: number; steps: Record<string, number>; partition_megabytes: number };
  bulk: {
    rackrate: { seconds: number; per_metric: Array<{ metric: string; aggregation: string; seconds: number; accounts: number }>; cpu: CpuUse };
    baseline: { what: string; seconds: number; rows: number; cpu: CpuUse };
    /** Rackrate seconds over baseline seconds. */
    time_ratio: number;
    goal_seconds: number;
    meets_goal: boolean;
  };
  single_customer: {
    metric: string;
    rackrate: LatencySummary;
    baseline: LatencySummary & { what: string };
    goal_ms: number;
    /** p99 under the goal. */
    meets_goal: boolean;
  };
  checks: { accounts_compared: number; mismatches: number; examples: string[]; ok: boolean };
}

interface BareRow {
  account_id: string;
  code: string;
  events: string;
  total: string | null;
  highest: string | null;
}

const BULK_SQL = `
  SELECT account_id, code, count(*) AS events, sum(value)::text AS total, max(value)::text AS highest
    FROM usage_events
   WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3
   GROUP BY account_id, code`;

const SINGLE_SQL = `
  SELECT sum(value)::text AS total, count(*) AS events
    FROM usage_events
   WHERE tenant_id = $1 AND account_id = $2 AND code = $3 AND occurred_at >= $4 AND occurred_at < $5`;

/** `count` distinct random picks from `pool`, avoiding `avoid` while it can. */
function sample<T>(pool: readonly T[], count: number, avoid: ReadonlySet<T> = new Set()): T[] {
  const candidates = pool.filter((x) => !avoid.has(x));
  const from = candidates.length >= count ? candidates : [...pool];
  for (let i = from.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [from[i], from[j]] = [from[j]!, from[i]!];
  }
  return from.slice(0, count);
}

const quantityOf = (list: UsageAggregate[] | undefined) => list?.[0]?.quantity ?? new Decimal(0);

function compare(bare: BareRow[], rackrate: Map<string, Map<string, UsageAggregate[]>>, accountIds: readonly string[]): AggregationResult['checks'] {
  const expected = new Map<string, { calls: Decimal; storage: Decimal; power: Decimal }>();
  for (const id of accountIds) expected.set(id, { calls: new Decimal(0), storage: new Decimal(0), power: new Decimal(0) });
  for (const row of bare) {
    const entry = expected.get(row.account_id);
    if (!entry) continue;
    if (row.code === METRICS.calls.eventName) entry.calls = new Decimal(row.events);
    if (row.code === METRICS.storage.eventName) entry.storage = new Decimal(row.total ?? 0);
    if (row.code === METRICS.power.eventName) entry.power = new Decimal(row.highest ?? 0);
  }
  const examples: string[] = [];
  let mismatches = 0;
  for (const [accountId, want] of expected) {
    const got = {
      calls: quantityOf(rackrate.get(METRICS.calls.code)?.get(accountId)),
      storage: quantityOf(rackrate.get(METRICS.storage.code)?.get(accountId)),
      power: quantityOf(rackrate.get(METRICS.power.code)?.get(accountId)),
    };
    for (const key of ['calls', 'storage', 'power'] as const) {
      if (!got[key].equals(want[key])) {
        mismatches++;
        if (examples.length < 5) examples.push(`${accountId} ${key}: rackrate ${got[key].toFixed()} vs bare SQL ${want[key].toFixed()}`);
      }
    }
  }
  return { accounts_compared: expected.size, mismatches, examples, ok: mismatches === 0 };
}

async function lookups(ids: readonly string[], one: (accountId: string) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (const id of ids) {
    const started = performance.now();
    await one(id);
    times.push(performance.now() - started);
  }
  return times;
}

export async function runAggregation(db: MeteringDatabase, fixture: MeteringFixture, options: MeteringOptions, log: (line: string) => void): Promise<AggregationResult> {
  const { tenantId } = fixture;
  const month = aggregationMonth(new Date());
  const accountIds = fixture.accountIds.slice(0, options.aggCustomers);
  log(`metering: aggregation, generating ${options.aggEvents} events for ${accountIds.length} customers in ${month.from.toISOString().slice(0, 7)}…`);
  const genStarted = performance.now();
  const steps = await generateEventMonth(db, { tenantId, accountIds, events: options.aggEvents, month });
  const generationSeconds = Number(((performance.now() - genStarted) / 1000).toFixed(2));
  const size = (await db.superuser.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(inhrelid))::text AS bytes FROM pg_inherits WHERE inhparent = 'usage_events'::regclass`)).rows[0]!;
  log(`  ${generationSeconds} s (${JSON.stringify(steps)})`);

  const metrics: MetricDefinition[] = await inTenantTransaction(db.dataSource, tenantId, async (tx) => [
    await loadMetric(tx, tenantId, METRICS.calls.code),
    await loadMetric(tx, tenantId, METRICS.storage.code),
    await loadMetric(tx, tenantId, METRICS.power.code),
  ]);
  const storage = metrics[1]!;
  const bare: PoolClient = await db.superuser.connect();
  try {
    log('metering: baseline, one bare GROUP BY account_id, code (count, sum, max) over the month (superuser)…');
    const baseline = await timed(() => db.postmasterPid(), () => bare.query<BareRow>(BULK_SQL, [tenantId, month.from, month.to]));
    log(`  ${baseline.seconds} s, ${baseline.value.rowCount} rows`);

    log('metering: rackrate, aggregateUsageForAccounts for each of the three metrics…');
    const perMetric: AggregationResult['bulk']['rackrate']['per_metric'] = [];
    const byMetric = new Map<string, Map<string, UsageAggregate[]>>();
    const bulk = await timed(
      () => db.postmasterPid(),
      () =>
        inTenantTransaction(db.dataSource, tenantId, async (tx) => {
          for (const metric of metrics) {
            const started = performance.now();
            const result = await aggregateUsageForAccounts(tx, { tenantId, metric, from: month.from, to: month.to });
            perMetric.push({ metric: metric.code, aggregation: metric.aggregation.type, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), accounts: result.size });
            byMetric.set(metric.code, result);
          }
        }),
    );
    log(`  ${bulk.seconds} s (${perMetric.map((m) => `${m.metric} ${m.seconds} s`).join(', ')})`);
    const checks = compare(baseline.value.rows, byMetric, accountIds);
    if (!checks.ok) log(`metering: WARNING aggregation results differ from the bare SQL: ${checks.examples.join('; ')}`);

    // (b) one customer at a time: a few unmeasured first, then disjoint random samples for each side.
    const warm = sample(accountIds, Math.min(20, accountIds.length));
    const rackrateIds = sample(accountIds, options.lookups, new Set(warm));
    const baselineIds = sample(accountIds, options.lookups, new Set([...warm, ...rackrateIds]));
    const rackrateOne = (accountId: string) =>
      inTenantTransaction(db.dataSource, tenantId, (tx) => aggregateUsage(tx, { tenantId, accountId, metric: storage, from: month.from, to: month.to })).then(() => undefined);
    const bareOne = (accountId: string) => bare.query(SINGLE_SQL, [tenantId, accountId, storage.eventName, month.from, month.to]).then(() => undefined);
    await lookups(warm, rackrateOne);
    await lookups(warm, bareOne);
    log(`metering: one customer's period total, ${options.lookups} customers each way…`);
    const baselineTimes = summarise(await lookups(baselineIds, bareOne));
    const rackrateTimes = summarise(await lookups(rackrateIds, rackrateOne));
    log(`  rackrate p50 ${rackrateTimes.p50_ms} ms, p99 ${rackrateTimes.p99_ms} ms, max ${rackrateTimes.max_ms} ms; bare SQL p50 ${baselineTimes.p50_ms} ms, p99 ${baselineTimes.p99_ms} ms`);

    return {
      events: options.aggEvents,
      customers: accountIds.length,
      event_codes: metrics.map((m) => m.eventName),
      period: { from: month.from.toISOString(), to: month.to.toISOString() },
      generation: { seconds: generationSeconds, steps, partition_megabytes: Math.round(Number(size.bytes) / 1e6) },
      bulk: {
        rackrate: { seconds: bulk.seconds, per_metric: perMetric, cpu: bulk.cpu },
        baseline: { what: 'SELECT account_id, code, count(*), sum(value), max(value) … GROUP BY account_id, code: one statement, superuser (no row-level security)', seconds: baseline.seconds, rows: baseline.value.rowCount ?? 0, cpu: baseline.cpu },
        time_ratio: Number((bulk.seconds / baseline.seconds).toFixed(2)),
        goal_seconds: AGGREGATION_GOALS.bulkSeconds,
        meets_goal: bulk.seconds < AGGREGATION_GOALS.bulkSeconds,
      },
      single_customer: {
        metric: `${storage.code} (${storage.aggregation.type} of value)`,
        rackrate: rackrateTimes,
        baseline: { ...baselineTimes, what: 'SELECT sum(value), count(*) … WHERE tenant_id, account_id, code, period: one query, superuser (no row-level security, no transaction)' },
        goal_ms: AGGREGATION_GOALS.singleCustomerMs,
        meets_goal: rackrateTimes.p99_ms < AGGREGATION_GOALS.singleCustomerMs,
      },
      checks,
    };
  } finally {
    bare.release();
  }
}
