import type { MetricFilter } from '../../domain/catalog/metric';
import type { Decimal } from '../../domain/money/decimal';
import type { MetricDefinition } from './metric-definition';

/**
 * The shared vocabulary of the usage reads (aggregation, rating inputs,
 * series, samples) and the SQL fragments they are built from: which events
 * (or sample rows) a selection covers, its filters and its group-by keys.
 *
 * Rules (docs/metering.md, "Aggregations"):
 * - Periods are [from, to): an event at `to` belongs to the next period.
 * - With `subscriptionId`, only events attributed to that subscription;
 *   without it, every event of the account (attributed or not).
 * - Metric filters and request filters both apply. They compare the
 *   property's text (`properties #>> path`: a number compares as its JSON
 *   text, "a.b" reaches a nested object). An absent property fails `eq` and
 *   `in` and passes `neq` and `not_in`.
 * - Group-by keys are property texts, null when absent.
 */
export interface UsageSelection {
  tenantId: string;
  accountId: string;
  subscriptionId?: string | undefined;
  metric: MetricDefinition;
  from: Date;
  to: Date;
  filters?: MetricFilter[] | undefined;
  /** Default: the metric's group_by. */
  groupBy?: string[] | undefined;
}

export interface UsageAggregate {
  group: Record<string, string | null>;
  quantity: Decimal;
  /** Events that contributed (with a value, for aggregations of a property); known slots for percentiles. */
  events: number;
}

export interface UsageBucket {
  start: Date;
  end: Date;
  quantity: Decimal;
  events: number;
}

/** Positional parameters for one statement. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A metric property as a JSON path for #> and #>>: "a.b" → {a,b}. */
export function jsonPath(params: SqlParams, property: string): string {
  return `${params.add(property.split('.'))}::text[]`;
}

export function filterSql(params: SqlParams, column: string, filter: MetricFilter): string {
  const text = `(${column} #>> ${jsonPath(params, filter.property)})`;
  switch (filter.operator) {
    case 'eq':
      return `${text} = ${params.add(filter.values[0])}::text`;
    case 'neq':
      return `${text} IS DISTINCT FROM ${params.add(filter.values[0])}::text`;
    case 'in':
      return `coalesce(${text} = ANY(${params.add(filter.values)}::text[]), false)`;
    case 'not_in':
      return `NOT coalesce(${text} = ANY(${params.add(filter.values)}::text[]), false)`;
  }
}

export function selectionFilters(sel: Pick<UsageSelection, 'metric' | 'filters'>): MetricFilter[] {
  return [...sel.metric.filters, ...(sel.filters ?? [])];
}

export function selectionGroupBy(sel: Pick<UsageSelection, 'metric' | 'groupBy'>): string[] {
  return sel.groupBy ?? sel.metric.groupBy;
}

/** `g0 …` expressions and their aliases for the group-by properties. */
export function groupColumns(params: SqlParams, column: string, groupBy: readonly string[]): { select: string[]; names: string[] } {
  const names = groupBy.map((_, i) => `g${i}`);
  return { select: groupBy.map((p, i) => `(${column} #>> ${jsonPath(params, p)}) AS ${names[i]}`), names };
}

/**
 * A property's numeric value: the top-level `value` column for "value",
 * else a JSON number, or a string that reads as a decimal, at the path.
 * Anything else is null (ingest refuses such events for metrics that
 * existed then; a metric made later simply does not see them).
 */
export function numericValueSql(params: SqlParams, property: string): string {
  if (property === 'value') return 'e.value';
  const path = jsonPath(params, property);
  return `(CASE jsonb_typeof(e.properties #> ${path})
      WHEN 'number' THEN (e.properties #>> ${path})::numeric
      WHEN 'string' THEN CASE WHEN (e.properties #>> ${path}) ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'
                              THEN (e.properties #>> ${path})::numeric END
    END)`;
}

/** The text unique_count compares: distinct numbers for the top-level value, distinct texts for a property. */
export function textValueSql(params: SqlParams, property: string): string {
  if (property === 'value') return 'e.value';
  return `(e.properties #>> ${jsonPath(params, property)})`;
}

/** Which events: one account (optionally one subscription), or many accounts / subscriptions at once. */
export type EventScope =
  | { kind: 'account'; accountId: string; subscriptionId?: string | undefined }
  | { kind: 'accounts'; accountIds?: readonly string[] | undefined }
  | { kind: 'subscriptions'; subscriptionIds?: readonly string[] | undefined };

/** The column a bulk read is keyed by, or null for one account. */
export function scopeKey(scope: EventScope): string | null {
  return scope.kind === 'account' ? null : scope.kind === 'accounts' ? 'account_id' : 'subscription_id';
}

export function scopeSql(params: SqlParams, alias: string, scope: EventScope): string[] {
  switch (scope.kind) {
    case 'account': {
      const where = [`${alias}.account_id = ${params.add(scope.accountId)}::uuid`];
      if (scope.subscriptionId !== undefined) where.push(`${alias}.subscription_id = ${params.add(scope.subscriptionId)}::uuid`);
      return where;
    }
    case 'accounts':
      return scope.accountIds === undefined ? [] : [`${alias}.account_id = ANY(${params.add(scope.accountIds)}::uuid[])`];
    case 'subscriptions':
      return scope.subscriptionIds === undefined
        ? [`${alias}.subscription_id IS NOT NULL`]
        : [`${alias}.subscription_id = ANY(${params.add(scope.subscriptionIds)}::uuid[])`];
  }
}

export interface MatchedEvents {
  /** A subquery with columns k (bulk key, when keyed), g0…, occurred_at, event_id, v. */
  sql: string;
  /** Grouping columns in order: k first when keyed. */
  groups: string[];
}

export interface AggregationSpec {
  tenantId: string;
  metric: MetricDefinition;
  from: Date;
  to: Date;
  scope: EventScope;
  filters: MetricFilter[];
  groupBy: readonly string[];
  /** Series: bucket start instants (ascending); rows then carry b, the 1-based bucket of each event. */
  buckets?: readonly Date[] | undefined;
}

/** The spec of one account's selection. */
export function selectionSpec(sel: UsageSelection): AggregationSpec {
  return {
    tenantId: sel.tenantId,
    metric: sel.metric,
    from: sel.from,
    to: sel.to,
    scope: { kind: 'account', accountId: sel.accountId, subscriptionId: sel.subscriptionId },
    filters: selectionFilters(sel),
    groupBy: selectionGroupBy(sel),
  };
}

export interface MatchOptions {
  /** The value read as `v`: a number or (unique_count) a text. */
  value?: { kind: 'numeric' | 'text'; property: string } | null;
  /** 'before': the events before `from`, with no lower bound (the time-weighted carry-in). */
  period?: 'in' | 'before';
  /** More columns, as `expression AS name`. */
  extra?: string[];
}

/** The value an aggregation reads: none for count, a text for unique_count, else a number. */
export function aggregatedValue(metric: MetricDefinition): MatchOptions['value'] {
  const a = metric.aggregation;
  if (a.type === 'count') return null;
  return { kind: a.type === 'unique_count' ? 'text' : 'numeric', property: a.property };
}

/** The events a selection covers, with the value the aggregation reads. */
export function matchedEvents(params: SqlParams, spec: AggregationSpec, options: MatchOptions = {}): MatchedEvents {
  const key = scopeKey(spec.scope);
  const groups = groupColumns(params, 'e.properties', spec.groupBy);
  // The bulk key as text (byte order, whatever the server locale): the planner cannot then read a whole tenant's events through the
  // (tenant, account, code, occurred_at) index to get them grouped by account. It believes that
  // scan sequential (tenant_id leads the index and is constant) while it jumps all over the heap:
  // a peak over 10 M events took 73 s that way and about a third of that with a scan and a sort.
  const select = [...(key ? [`e.${key}::text COLLATE "C" AS k`] : []), ...groups.select, 'e.occurred_at', 'e.event_id', ...(options.extra ?? [])];
  const value = options.value;
  if (value) select.push(`${value.kind === 'numeric' ? numericValueSql(params, value.property) : textValueSql(params, value.property)} AS v`);
  if (spec.buckets) select.push(`width_bucket(e.occurred_at, ${params.add(spec.buckets)}::timestamptz[]) AS b`);
  const where = [`e.tenant_id = ${params.add(spec.tenantId)}::uuid`, `e.code = ${params.add(spec.metric.eventName)}`];
  if ((options.period ?? 'in') === 'in') {
    where.push(`e.occurred_at >= ${params.add(spec.from)}::timestamptz`, `e.occurred_at < ${params.add(spec.to)}::timestamptz`);
  } else {
    where.push(`e.occurred_at < ${params.add(spec.from)}::timestamptz`);
  }
  where.push(...scopeSql(params, 'e', spec.scope));
  for (const filter of spec.filters) where.push(filterSql(params, 'e.properties', filter));
  return {
    sql: `SELECT ${select.join(', ')} FROM usage_events e WHERE ${where.join(' AND ')}`,
    groups: [...(key ? ['k'] : []), ...groups.names, ...(spec.buckets ? ['b'] : [])],
  };
}

/** The group record of a result row (g0… back to property names). */
export function groupOf(row: Record<string, unknown>, groupBy: readonly string[]): Record<string, string | null> {
  const group: Record<string, string | null> = {};
  groupBy.forEach((property, i) => {
    const value = row[`g${i}`];
    group[property] = value === null || value === undefined ? null : String(value);
  });
  return group;
}

/** Orders groups by their values, property by property, null last (JS string order). */
export function compareGroups(a: Record<string, string | null>, b: Record<string, string | null>, groupBy: readonly string[]): number {
  for (const property of groupBy) {
    const x = a[property] ?? null;
    const y = b[property] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
