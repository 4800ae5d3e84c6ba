import type { EntityManager } from 'typeorm';
import type { MetricFilter } from '../../domain/catalog/metric';
import { unitHoursFromSeconds } from '../../domain/metering/time-weighted';
import { Decimal, ZERO } from '../../domain/money/decimal';
import type { MetricDefinition } from './metric-definition';
import { percentileAggregates, percentileAggregatesByKey } from './usage-percentile';
import {
  aggregatedValue,
  compareGroups,
  groupOf,
  matchedEvents,
  selectionFilters,
  selectionGroupBy,
  selectionSpec,
  scopeKey,
  SqlParams,
  type AggregationSpec,
  type MatchedEvents,
  type UsageAggregate,
  type UsageSelection,
} from './usage-query';

/**
 * Period totals, computed by PostgreSQL in one statement per selection
 * (numeric sums stay exact: they arrive as decimal text). One account reads
 * through the (tenant_id, account_id, code, occurred_at) index; the bulk
 * forms aggregate a whole bill run's accounts or subscriptions in one
 * GROUP BY over the period's partition.
 *
 * - count: events; sum / max: of the property; unique_count: distinct values.
 * - latest: the value of the event with the greatest occurred_at, ties by
 *   the greatest event id (byte order).
 * - time_weighted: Σ value × seconds held, in unit-hours (time-weighted.ts
 *   has the rule); the carry-in is the last reading before `from`.
 * - peak: the highest average of the readings in a window of
 *   window_minutes aligned to UTC midnight; empty windows are skipped.
 * - percentile: from the sample rollup (usage-percentile.ts).
 */
export interface AggregateRow {
  k?: string;
  quantity: string | null;
  /** peak: the winning window as [rounded average, -start, sum, count], null without readings. */
  best?: string[] | null;
  events: string;
  [group: string]: unknown;
}

const C = 'COLLATE "C"';

/**
 * The one statement for an aggregation; every result row has quantity (peak: best) and events. With `spec.buckets`, rows are also per bucket (column b, 1-based): an event counts in the
 * bucket holding its instant, a peak window in the bucket holding its start (or the first bucket,
 * for a window that began before `from`), so the highest bucket peak is the period's peak.
 */
export function aggregationSql(spec: AggregationSpec): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const a = spec.metric.aggregation;
  const value = aggregatedValue(spec.metric);
  // Built only where used: an unused parameter has no type and PostgreSQL refuses the statement.
  const matched = () => matchedEvents(params, spec, { value });
  let groups = [...(scopeKey(spec.scope) ? ['k'] : []), ...spec.groupBy.map((_, i) => `g${i}`)];
  if (spec.buckets) groups = [...groups, 'b'];
  const g = groups.join(', ');
  const lead = groups.length > 0 ? `${g}, ` : '';
  const groupBy = groups.length > 0 ? `GROUP BY ${g}` : '';
  const partition = groups.length > 0 ? `PARTITION BY ${g}` : '';
  // Without group columns, DISTINCT ON () is not SQL: the first row by the order is the answer.
  const firstPerGroup = (select: string, from: string, order: string) =>
    groups.length > 0 ? `SELECT DISTINCT ON (${g}) ${g}, ${select} FROM ${from} ORDER BY ${g}, ${order}` : `SELECT ${select} FROM ${from} ORDER BY ${order} LIMIT 1`;
  let sql: string;
  switch (a.type) {
    case 'count':
      sql = `SELECT ${lead}count(*)::text AS quantity, count(*) AS events FROM (${matched().sql}) m ${groupBy}`;
      break;
    case 'sum':
      sql = `SELECT ${lead}sum(v)::text AS quantity, count(*) AS events FROM (${matched().sql}) m WHERE v IS NOT NULL ${groupBy}`;
      break;
    case 'max':
      sql = `SELECT ${lead}max(v)::text AS quantity, count(*) AS events FROM (${matched().sql}) m WHERE v IS NOT NULL ${groupBy}`;
      break;
    case 'unique_count':
      sql = `SELECT ${lead}count(DISTINCT v)::text AS quantity, count(*) AS events FROM (${matched().sql}) m WHERE v IS NOT NULL ${groupBy}`;
      break;
    case 'latest': {
      // The greatest instant per group by hashing, then its events looked up again (through the
      // index for a keyed read); sorting every event by time instead took a minute for 10 M events.
      const last = `SELECT ${lead}max(occurred_at) AS t, count(*) AS events FROM (${matched().sql}) m WHERE v IS NOT NULL ${groupBy}`;
      const key = scopeKey(spec.scope);
      // The key compared as its uuid column, so each lookup can use the index.
      const same = groups.filter((c) => c !== 'b').map((c) => (c === 'k' ? `m.key_id = last.k::uuid` : `m.${c} IS NOT DISTINCT FROM last.${c}`));
      if (spec.buckets) same.push('m.b = last.b');
      const qualified = groups.map((c) => `last.${c}`).join(', ');
      const on = ['m.occurred_at = last.t', ...same].join(' AND ');
      const select = `${groups.length > 0 ? `${qualified}, ` : ''}m.v::text AS quantity, last.events`;
      const again = matchedEvents(params, spec, { value, extra: key ? [`e.${key} AS key_id`] : [] });
      const from = `last JOIN (${again.sql}) m ON ${on} AND m.v IS NOT NULL`;
      sql = `WITH last AS (${last}) ${
        groups.length > 0 ? `SELECT DISTINCT ON (${qualified}) ${select} FROM ${from} ORDER BY ${qualified}, m.event_id ${C} DESC` : `SELECT ${select} FROM ${from} ORDER BY m.event_id ${C} DESC LIMIT 1`
      }`;
      break;
    }
    case 'time_weighted': {
      if (spec.buckets) throw new Error('time-weighted buckets are integrated in JavaScript (usage-series.ts)');
      const m = matched();
      const before = matchedEvents(params, spec, { value, period: 'before' });
      const carry = firstPerGroup('v', `(${before.sql}) c WHERE v IS NOT NULL`, `occurred_at DESC, event_id ${C} DESC`);
      const from = `${params.add(spec.from)}::timestamptz`;
      const to = `${params.add(spec.to)}::timestamptz`;
      // The carry-in holds from `from`, ordered before a reading at exactly `from` (which then replaces it).
      sql = `
        WITH r AS (
          SELECT ${lead}occurred_at, 0 AS carried, event_id, v FROM (${m.sql}) m WHERE v IS NOT NULL
          UNION ALL
          SELECT ${lead}${from}, 1, '', v FROM (${carry}) c
        ), held AS (
          SELECT ${lead}carried, v, extract(epoch FROM occurred_at) AS t0,
                 extract(epoch FROM coalesce(lead(occurred_at) OVER (${partition} ORDER BY occurred_at, carried DESC, event_id ${C}), ${to})) AS t1
            FROM r
        )
        SELECT ${lead}sum(v * (t1 - t0))::text AS quantity, count(*) FILTER (WHERE carried = 0) AS events FROM held ${groupBy}`;
      break;
    }
    case 'peak': {
      const m = matchedEvents(params, { ...spec, buckets: undefined }, { value });
      const windowGroups = groups.filter((c) => c !== 'b');
      let bucket = '';
      if (spec.buckets) bucket = `, width_bucket(greatest(win, ${params.add(spec.from)}::timestamptz), ${params.add(spec.buckets)}::timestamptz[]) AS b`;
      // The best window by one hashed max over [average, earliest first, sum, count] (as text: the
      // driver would read numeric[] as floats); the exact average is sum ÷ count in Decimal
      // (toAggregate), the rounded one only ranks.
      sql = `WITH ${peakWindows(params, m, a.window_minutes)}
        SELECT ${lead}max(ARRAY[round(s, 40) / c, -extract(epoch FROM win), s, c])::text[] AS best, sum(c) AS events
          FROM (SELECT ${windowGroups.length > 0 ? `${windowGroups.join(', ')}, ` : ''}win, s, c${bucket} FROM w) w ${groupBy}`;
      break;
    }
    case 'percentile':
      throw new Error('percentile metrics are aggregated from the sample rollup');
  }
  return { sql, params: params.values };
}

/**
 * CTE `w`: per group and window (`win`, its start), the sum s and count c of the readings of each
 * window of `windowMinutes` that has any. Windows restart at each UTC midnight (date_bin from the
 * day's start), which for a divisor of a day is the same as aligning them to the epoch.
 */
export function peakWindows(params: SqlParams, m: MatchedEvents, windowMinutes: number): string {
  const lead = m.groups.length > 0 ? `${m.groups.join(', ')}, ` : '';
  const stride = `${params.add(`${windowMinutes} minutes`)}::interval`;
  return `w AS (
      SELECT ${lead}date_bin(${stride}, occurred_at, date_trunc('day', occurred_at, 'UTC')) AS win, sum(v) AS s, count(*) AS c
        FROM (${m.sql}) m WHERE v IS NOT NULL GROUP BY ${lead}win
    )`;
}

export function toAggregate(row: AggregateRow, spec: AggregationSpec): UsageAggregate {
  const type = spec.metric.aggregation.type;
  let quantity: Decimal;
  if (type === 'peak') quantity = row.best ? new Decimal(row.best[2]!).dividedBy(row.best[3]!) : ZERO;
  else if (type === 'time_weighted') quantity = unitHoursFromSeconds(new Decimal(row.quantity ?? 0));
  else quantity = row.quantity === null ? ZERO : new Decimal(row.quantity);
  return { group: groupOf(row, spec.groupBy), quantity, events: Number(row.events) };
}

const empty = (): UsageAggregate => ({ group: {}, quantity: ZERO, events: 0 });

/** Sorted by group; without group-by exactly one entry (zero when nothing was used). */
function finish(aggregates: UsageAggregate[], spec: AggregationSpec): UsageAggregate[] {
  if (spec.groupBy.length === 0) return aggregates.length > 0 ? aggregates : [empty()];
  return aggregates.sort((x, y) => compareGroups(x.group, y.group, spec.groupBy));
}

/** The result rows as PostgreSQL gives them (time_weighted: unit-seconds), for callers that need the raw figure. */
export async function aggregateRows(tx: EntityManager, spec: AggregationSpec): Promise<AggregateRow[]> {
  const { sql, params } = aggregationSql(spec);
  return tx.query(sql, params);
}

export async function aggregateUsage(tx: EntityManager, sel: UsageSelection): Promise<UsageAggregate[]> {
  if (sel.metric.aggregation.type === 'percentile') return percentileAggregates(tx, sel);
  const spec = selectionSpec(sel);
  const rows = await aggregateRows(tx, spec);
  return finish(rows.map((r) => toAggregate(r, spec)), spec);
}

export interface BulkUsageRequest {
  tenantId: string;
  metric: MetricDefinition;
  from: Date;
  to: Date;
  filters?: MetricFilter[] | undefined;
  groupBy?: string[] | undefined;
}

async function aggregateByKey(tx: EntityManager, spec: AggregationSpec, ids: readonly string[] | undefined): Promise<Map<string, UsageAggregate[]>> {
  let result: Map<string, UsageAggregate[]>;
  if (spec.metric.aggregation.type === 'percentile') {
    result = await percentileAggregatesByKey(tx, spec);
  } else {
    const rows = await aggregateRows(tx, spec);
    result = new Map();
    for (const row of rows) {
      const key = row.k!;
      let list = result.get(key);
      if (!list) result.set(key, (list = []));
      list.push(toAggregate(row, spec));
    }
  }
  for (const [key, list] of result) result.set(key, finish(list, spec));
  // Asked-for keys with nothing: a zero total (or no groups).
  for (const id of ids ?? []) if (!result.has(id)) result.set(id, finish([], spec));
  return result;
}

/**
 * Every account's totals for one metric and period (all their events, attributed or not), in one
 * statement: `accountIds` limits it, else every account with usage is returned.
 */
export async function aggregateUsageForAccounts(
  tx: EntityManager,
  request: BulkUsageRequest & { accountIds?: readonly string[] | undefined },
): Promise<Map<string, UsageAggregate[]>> {
  const spec: AggregationSpec = {
    ...request,
    scope: { kind: 'accounts', accountIds: request.accountIds },
    filters: selectionFilters(request),
    groupBy: selectionGroupBy(request),
  };
  return aggregateByKey(tx, spec, request.accountIds);
}

/** As `aggregateUsageForAccounts`, keyed by subscription (events attributed to none are left out): a bill run's input. */
export async function aggregateUsageForSubscriptions(
  tx: EntityManager,
  request: BulkUsageRequest & { subscriptionIds?: readonly string[] | undefined },
): Promise<Map<string, UsageAggregate[]>> {
  const spec: AggregationSpec = {
    ...request,
    scope: { kind: 'subscriptions', subscriptionIds: request.subscriptionIds },
    filters: selectionFilters(request),
    groupBy: selectionGroupBy(request),
  };
  return aggregateByKey(tx, spec, request.subscriptionIds);
}
