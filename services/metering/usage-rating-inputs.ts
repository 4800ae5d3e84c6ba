import type { EntityManager } from 'typeorm';
import { Decimal, ZERO } from '../../domain/money/decimal';
import type { RatingInput, RemoteHandsSession } from '../../domain/pricing/inputs';
import { INPUT_KIND, type PriceModelName } from '../../domain/pricing/price-model';
import { distinctPortIds } from './sample-read';
import { defaultPercentile, portsByGroup, sampleSpec } from './usage-percentile';
import { aggregatedValue, groupOf, matchedEvents, selectionSpec, SqlParams, type UsageAggregate, type UsageSelection } from './usage-query';
import { aggregateRows, aggregateUsage, peakWindows } from './usage-totals';

/**
 * What the rating engine rates a usage charge on, per group of the
 * selection, by the input kind of the charge's price model (INPUT_KIND):
 * - quantity: the aggregate;
 * - transactions: each event's value; readings: each event {at, value};
 *   sessions: each event a remote-hands session ({startedAt: occurred_at,
 *   minutes: value, expedited: properties.expedited === true, afterHours:
 *   properties.after_hours when a boolean}), no prepaid hours;
 * - series (peak model): the average of each window that has readings, in time order;
 * - runtime: whole seconds, the sum of a `sum` metric (seconds) or the
 *   unit-hours × 3600 of a time-weighted one; a started second counts;
 * - bandwidth: each port's samples over the period's slots (its `port`
 *   property as the port id, else its series text);
 * - circuits are configuration, not usage: refused.
 * Session minutes are whole minutes too (a started minute counts).
 * Events without a value for the metric's property are left out.
 */
type WithInput = UsageAggregate & { input: RatingInput };

interface EventRow {
  occurred_at: Date;
  v: string;
  expedited?: unknown;
  after_hours?: unknown;
  [group: string]: unknown;
}

const groupId = (group: Record<string, string | null>, groupBy: readonly string[]) => JSON.stringify(groupBy.map((p) => group[p] ?? null));

/** Events of each group in time order (ties by event id), keyed like the aggregates. */
async function eventsByGroup(tx: EntityManager, sel: UsageSelection, extra: string[] = []): Promise<Map<string, EventRow[]>> {
  const spec = selectionSpec(sel);
  const params = new SqlParams();
  const m = matchedEvents(params, spec, { value: aggregatedValue(sel.metric) ?? { kind: 'numeric', property: 'value' }, extra });
  const rows: EventRow[] = await tx.query(`SELECT * FROM (${m.sql}) m WHERE v IS NOT NULL ORDER BY occurred_at, event_id COLLATE "C"`, params.values);
  const byGroup = new Map<string, EventRow[]>();
  for (const row of rows) {
    const id = groupId(groupOf(row, spec.groupBy), spec.groupBy);
    let list = byGroup.get(id);
    if (!list) byGroup.set(id, (list = []));
    list.push(row);
  }
  return byGroup;
}

/** Whole units from a Decimal, rounding a fraction up; refuses what the models cannot take. */
function wholeUp(value: Decimal, what: string): number {
  const whole = value.ceil();
  if (whole.isNegative() || whole.greaterThan(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} ${value.toFixed()} is outside 0 … 2^53`);
  return whole.toNumber();
}

export async function usageRatingInputs(tx: EntityManager, sel: UsageSelection, model: PriceModelName, timezone: string): Promise<WithInput[]> {
  const kind = INPUT_KIND[model];
  const type = sel.metric.aggregation.type;
  const groupBy = selectionSpec(sel).groupBy;
  switch (kind) {
    case 'quantity':
      return (await aggregateUsage(tx, sel)).map((a) => ({ ...a, input: { kind: 'quantity', quantity: a.quantity } }));
    case 'transactions': {
      const events = await eventsByGroup(tx, sel);
      return (await aggregateUsage(tx, sel)).map((a) => ({
        ...a,
        input: { kind: 'transactions', amounts: (events.get(groupId(a.group, groupBy)) ?? []).map((e) => new Decimal(e.v)) },
      }));
    }
    case 'readings': {
      const events = await eventsByGroup(tx, sel);
      return (await aggregateUsage(tx, sel)).map((a) => ({
        ...a,
        input: { kind: 'readings', timezone, readings: (events.get(groupId(a.group, groupBy)) ?? []).map((e) => ({ at: e.occurred_at, quantity: new Decimal(e.v) })) },
      }));
    }
    case 'sessions': {
      const events = await eventsByGroup(tx, sel, [`e.properties -> 'expedited' AS expedited`, `e.properties -> 'after_hours' AS after_hours`]);
      return (await aggregateUsage(tx, sel)).map((a) => ({
        ...a,
        input: { kind: 'sessions', timezone, prepaidHours: ZERO, sessions: (events.get(groupId(a.group, groupBy)) ?? []).map(sessionOf) },
      }));
    }
    case 'series':
      return seriesInputs(tx, sel);
    case 'runtime':
      return runtimeInputs(tx, sel, type);
    case 'bandwidth':
      return bandwidthInputs(tx, sel);
    case 'circuits':
      throw new Error(`the ${model} model is rated on circuits (configuration), not on usage of metric ${sel.metric.code}`);
  }
}

function sessionOf(e: EventRow): RemoteHandsSession {
  const session: RemoteHandsSession = { startedAt: e.occurred_at, minutes: wholeUp(new Decimal(e.v), 'remote-hands minutes'), expedited: e.expedited === true };
  if (typeof e.after_hours === 'boolean') session.afterHours = e.after_hours;
  return session;
}

/** Peak metrics: every window's average, in time order, per group. */
async function seriesInputs(tx: EntityManager, sel: UsageSelection): Promise<WithInput[]> {
  const a = sel.metric.aggregation;
  if (a.type !== 'peak') throw new Error(`a series input needs a peak metric; ${sel.metric.code} is a ${a.type} metric`);
  const spec = selectionSpec(sel);
  const params = new SqlParams();
  const m = matchedEvents(params, spec, { value: aggregatedValue(sel.metric) });
  const lead = m.groups.length > 0 ? `${m.groups.join(', ')}, ` : '';
  const rows: Array<{ s: string; c: string; [g: string]: unknown }> = await tx.query(
    `WITH ${peakWindows(params, m, a.window_minutes)} SELECT ${lead}s::text AS s, c FROM w ORDER BY ${lead}win`,
    params.values,
  );
  const windows = new Map<string, Decimal[]>();
  for (const row of rows) {
    const id = groupId(groupOf(row, spec.groupBy), spec.groupBy);
    let list = windows.get(id);
    if (!list) windows.set(id, (list = []));
    list.push(new Decimal(row.s).dividedBy(row.c));
  }
  return (await aggregateUsage(tx, sel)).map((agg) => ({ ...agg, input: { kind: 'series', values: windows.get(groupId(agg.group, spec.groupBy)) ?? [] } }));
}

/** Seconds of runtime: a sum metric's sum, or a time-weighted metric's unit-seconds (exact, before the division into hours). */
async function runtimeInputs(tx: EntityManager, sel: UsageSelection, type: string): Promise<WithInput[]> {
  if (type !== 'sum' && type !== 'time_weighted') throw new Error(`runtime needs a sum or time_weighted metric; ${sel.metric.code} is a ${type} metric`);
  const aggregates = await aggregateUsage(tx, sel);
  if (type === 'sum') return aggregates.map((a) => ({ ...a, input: { kind: 'runtime', seconds: wholeUp(a.quantity, 'runtime seconds') } }));
  const spec = selectionSpec(sel);
  const seconds = new Map<string, Decimal>();
  for (const row of await aggregateRows(tx, spec)) seconds.set(groupId(groupOf(row, spec.groupBy), spec.groupBy), new Decimal(row.quantity ?? 0));
  return aggregates.map((a) => ({ ...a, input: { kind: 'runtime', seconds: wholeUp(seconds.get(groupId(a.group, spec.groupBy)) ?? ZERO, 'runtime seconds') } }));
}

/** One pool per group; the aggregate is the default-convention percentile of the same samples. */
async function bandwidthInputs(tx: EntityManager, sel: UsageSelection): Promise<WithInput[]> {
  const a = sel.metric.aggregation;
  if (a.type !== 'percentile') throw new Error(`bandwidth input needs a percentile metric; ${sel.metric.code} is a ${a.type} metric`);
  const groups = await portsByGroup(tx, sampleSpec(sel));
  if (groups.length === 0 && selectionSpec(sel).groupBy.length === 0) {
    // No port reported at all: the model refuses an empty pool rather than bill the commit alone.
    return [{ group: {}, quantity: ZERO, events: 0, input: { kind: 'bandwidth', ports: [] } }];
  }
  return groups.map((g) => {
    const ports = distinctPortIds(g.ports);
    const { bitsPerSecond, known } = defaultPercentile(ports, a.percentile);
    return { group: g.group, quantity: bitsPerSecond === null ? ZERO : new Decimal(bitsPerSecond), events: known, input: { kind: 'bandwidth', ports } };
  });
}
