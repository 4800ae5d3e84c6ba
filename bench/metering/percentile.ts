import { inTenantTransaction } from '../../db/tenant-transaction';
import { aggregateUsageForAccounts, loadMetric } from '../../services/metering/usage-aggregation';
import type { MeteringDatabase } from './database';
import { generateSampleMonth, percentileMonth, PORTS_PER_ACCOUNT } from './datasets';
import type { MeteringOptions } from './options';
import { METRICS, type MeteringFixture } from './seed';
import { timed, type CpuUse } from './stats';

/**
 * Benchmark 3: the 95th percentile of a 30-day month of 5-minute samples
 * (8,640 slots, in and out) for every port (5,000 by default, 5 per
 * account), read from the rollup (usage_samples).
 *
 * Rackrate: `aggregateUsageForAccounts` on the percentile metric (grouped by
 * `port`), the bulk reader a bill run uses, in one tenant transaction:
 * binary arrays through a cursor, slot rates, then the default convention
 * (nearest rank, max of in and out, unknown slots dropped) per port.
 * Baseline: PostgreSQL alone, `percentile_disc(0.95)` over each port's
 * unnested slot rates, per direction, the higher of the two; the cheapest
 * thing that does the whole job (nothing leaves the server but the answer),
 * on a superuser connection (no row-level security; parallel query allowed).
 * The two answers are compared port by port.
 */
export const PERCENTILE_GOAL_SECONDS = 30;

export interface PercentileResult {
  ports: number;
  ports_per_account: number;
  samples_per_port: number;
  period: { from: string; to: string };
  generation: { seconds: number; steps: Record<string, number>; table_megabytes: number };
  rackrate: { seconds: number; ports: number; ms_per_port: number; cpu: CpuUse };
  baseline: { what: string; seconds: number; ports: number; cpu: CpuUse };
  time_ratio: number;
  goal_seconds: number;
  meets_goal: boolean;
  checks: { ports_compared: number; agree: number; disagree: number; examples: string[]; ok: boolean };
}

const BASELINE_SQL = `
  WITH ports AS (
    SELECT DISTINCT account_id, series FROM usage_samples
     WHERE tenant_id = $1 AND code = $2 AND property = $3 AND slot_minutes = 5 AND day >= $4 AND day < $5
  )
  SELECT p.account_id, p.series ->> 'port' AS port, greatest(x.p_in, x.p_out)::text AS p95
    FROM ports p, LATERAL (
      SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY floor(s.i / nullif(s.ic, 0) + 0.5)) AS p_in,
             percentile_disc(0.95) WITHIN GROUP (ORDER BY floor(s.o / nullif(s.oc, 0) + 0.5)) AS p_out
        FROM usage_samples u, unnest(u.in_sum, u.in_count, u.out_sum, u.out_count) AS s (i, ic, o, oc)
       WHERE u.tenant_id = $1 AND u.account_id = p.account_id AND u.code = $2 AND u.property = $3
         AND u.slot_minutes = 5 AND u.series = p.series AND u.day >= $4 AND u.day < $5
    ) x`;

export async function runPercentile(db: MeteringDatabase, fixture: MeteringFixture, options: MeteringOptions, log: (line: string) => void): Promise<PercentileResult> {
  const { tenantId } = fixture;
  const month = percentileMonth(new Date());
  const days = Math.round((month.to.getTime() - month.from.getTime()) / 86_400_000);
  const accounts = Math.ceil(options.ports / PORTS_PER_ACCOUNT);
  log(`metering: percentile, generating ${options.ports} ports × ${days * 288} samples (in and out) in ${month.from.toISOString().slice(0, 7)}…`);
  const genStarted = performance.now();
  const steps = await generateSampleMonth(db, { tenantId, accountIds: fixture.accountIds.slice(0, accounts), ports: options.ports, month });
  const generationSeconds = Number(((performance.now() - genStarted) / 1000).toFixed(2));
  const size = (await db.superuser.query<{ bytes: string }>(`SELECT pg_total_relation_size('usage_samples')::text AS bytes`)).rows[0]!;
  log(`  ${generationSeconds} s (${JSON.stringify(steps)})`);

  const metric = await inTenantTransaction(db.dataSource, tenantId, (tx) => loadMetric(tx, tenantId, METRICS.transit.code));
  const day = (d: Date) => d.toISOString().slice(0, 10);

  const bare = await db.superuser.connect();
  let baseline;
  try {
    log(`metering: baseline, percentile_disc(0.95) per port and direction in PostgreSQL (superuser)…`);
    baseline = await timed(() => db.postmasterPid(), () =>
      bare.query<{ account_id: string; port: string; p95: string | null }>(BASELINE_SQL, [tenantId, metric.eventName, METRICS.transit.property, day(month.from), day(month.to)]),
    );
    log(`  ${baseline.seconds} s, ${baseline.value.rowCount} ports`);
  } finally {
    bare.release();
  }

  log('metering: rackrate, aggregateUsageForAccounts on the percentile metric (every port of every account)…');
  const rackrate = await timed(() => db.postmasterPid(), () =>
    inTenantTransaction(db.dataSource, tenantId, (tx) => aggregateUsageForAccounts(tx, { tenantId, metric, from: month.from, to: month.to })),
  );
  const got = new Map<string, string>();
  for (const [accountId, groups] of rackrate.value) {
    for (const g of groups) got.set(`${accountId} ${g.group.port}`, g.quantity.toFixed());
  }
  log(`  ${rackrate.seconds} s, ${got.size} ports`);

  const examples: string[] = [];
  let agree = 0;
  for (const row of baseline.value.rows) {
    const key = `${row.account_id} ${row.port}`;
    if (got.get(key) === row.p95) agree++;
    else if (examples.length < 5) examples.push(`${key}: rackrate ${got.get(key) ?? 'missing'} vs percentile_disc ${row.p95}`);
  }
  const compared = baseline.value.rows.length;
  const ok = compared === options.ports && got.size === options.ports && agree === compared;
  if (!ok) log(`metering: WARNING the percentiles differ: ${compared} ports by SQL, ${got.size} by Rackrate, ${agree} agree; ${examples.join('; ')}`);
  return {
    ports: options.ports,
    ports_per_account: PORTS_PER_ACCOUNT,
    samples_per_port: days * 288,
    period: { from: month.from.toISOString(), to: month.to.toISOString() },
    generation: { seconds: generationSeconds, steps, table_megabytes: Math.round(Number(size.bytes) / 1e6) },
    rackrate: { seconds: rackrate.seconds, ports: got.size, ms_per_port: Number(((rackrate.seconds * 1000) / Math.max(1, got.size)).toFixed(2)), cpu: rackrate.cpu },
    baseline: {
      what: "PostgreSQL percentile_disc(0.95) over each port's unnested slot rates (round half up of sum/count, unknown slots as NULL), in and out, the higher; superuser (no row-level security)",
      seconds: baseline.seconds,
      ports: compared,
      cpu: baseline.cpu,
    },
    time_ratio: Number((rackrate.seconds / baseline.seconds).toFixed(2)),
    goal_seconds: PERCENTILE_GOAL_SECONDS,
    meets_goal: rackrate.seconds < PERCENTILE_GOAL_SECONDS,
    checks: { ports_compared: compared, agree, disagree: compared - agree, examples, ok },
  };
}
