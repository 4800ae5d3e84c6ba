import type { EntityManager } from 'typeorm';
import { slotWindow } from '../../domain/metering/sample-days';
import { integrateGauge, type GaugeReading } from '../../domain/metering/time-weighted';
import { bucketEdges, bucketIndex, type BucketSize } from '../../domain/metering/usage-buckets';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { distinctPortIds, percentileShape } from './sample-read';
import { defaultPercentile, portsByGroup, sampleSpec } from './usage-percentile';
import { aggregatedValue, compareGroups, groupOf, matchedEvents, selectionSpec, SqlParams, type AggregationSpec, type UsageBucket, type UsageSelection } from './usage-query';
import { aggregateRows, toAggregate } from './usage-totals';

/**
 * A selection's usage per hour or day of the customer's wall clock
 * (usage-buckets.ts has the DST rules), each bucket aggregated like a
 * period of its own: the bucket's count, sum, max, unique count, latest
 * value, unit-hours, peak (windows by their start) or percentile of its
 * slots. Every bucket is listed, empty ones with quantity 0 and events 0.
 * Without group-by there is always exactly one group.
 */
type Series = Array<{ group: Record<string, string | null>; buckets: UsageBucket[] }>;

interface Grouped {
  group: Record<string, string | null>;
  buckets: UsageBucket[];
}

function emptyBuckets(edges: readonly Date[]): UsageBucket[] {
  return edges.slice(1).map((end, i) => ({ start: edges[i]!, end, quantity: ZERO, events: 0 }));
}

/** Groups in order, each with all buckets; without group-by the one group exists even if empty. */
class SeriesBuilder {
  private readonly groups = new Map<string, Grouped>();

  constructor(
    private readonly edges: readonly Date[],
    private readonly groupBy: readonly string[],
  ) {
    if (groupBy.length === 0) this.groups.set('[]', { group: {}, buckets: emptyBuckets(edges) });
  }

  entry(group: Record<string, string | null>): Grouped {
    const id = JSON.stringify(this.groupBy.map((p) => group[p] ?? null));
    let entry = this.groups.get(id);
    if (!entry) this.groups.set(id, (entry = { group, buckets: emptyBuckets(this.edges) }));
    return entry;
  }

  result(): Series {
    return [...this.groups.values()].sort((a, b) => compareGroups(a.group, b.group, this.groupBy));
  }
}

export async function usageSeries(tx: EntityManager, sel: UsageSelection, bucket: BucketSize, timezone: string): Promise<Series> {
  const edges = bucketEdges(sel.from, sel.to, bucket, timezone);
  const spec = selectionSpec(sel);
  const builder = new SeriesBuilder(edges, spec.groupBy);
  switch (sel.metric.aggregation.type) {
    case 'time_weighted':
      await gaugeBuckets(tx, spec, edges, builder);
      break;
    case 'percentile':
      await percentileBuckets(tx, sel, edges, builder);
      break;
    default: {
      const rows = await aggregateRows(tx, { ...spec, buckets: edges.slice(0, -1) });
      for (const row of rows) {
        const b = Number(row.b);
        // An empty range has no bucket; a peak window can only fall in one of the range's.
        if (!(b >= 1 && b < edges.length)) continue;
        const aggregate = toAggregate(row, spec);
        const target = builder.entry(aggregate.group).buckets[b - 1]!;
        target.quantity = aggregate.quantity;
        target.events = aggregate.events;
      }
    }
  }
  return builder.result();
}

interface GaugeRow {
  at_us: string;
  v: string;
  carried: boolean;
  [group: string]: unknown;
}

/** Readings and carry-in per group, integrated bucket by bucket (time-weighted.ts). */
async function gaugeBuckets(tx: EntityManager, spec: AggregationSpec, edges: readonly Date[], builder: SeriesBuilder): Promise<void> {
  const params = new SqlParams();
  const value = aggregatedValue(spec.metric);
  const m = matchedEvents(params, spec, { value });
  const before = matchedEvents(params, spec, { value, period: 'before' });
  const g = m.groups.join(', ');
  const lead = m.groups.length > 0 ? `${g}, ` : '';
  const carry =
    m.groups.length > 0
      ? `SELECT DISTINCT ON (${g}) ${g}, occurred_at, event_id, v FROM (${before.sql}) c WHERE v IS NOT NULL ORDER BY ${g}, occurred_at DESC, event_id COLLATE "C" DESC`
      : `SELECT occurred_at, event_id, v FROM (${before.sql}) c WHERE v IS NOT NULL ORDER BY occurred_at DESC, event_id COLLATE "C" DESC LIMIT 1`;
  // Epoch microseconds as exact integers (JavaScript dates stop at milliseconds).
  const sql = `
    SELECT ${lead}(extract(epoch FROM occurred_at) * 1000000)::bigint::text AS at_us, v::text AS v, carried FROM (
      SELECT ${lead}occurred_at, event_id, v, false AS carried FROM (${m.sql}) m WHERE v IS NOT NULL
      UNION ALL
      SELECT ${lead}occurred_at, event_id, v, true FROM (${carry}) c
    ) r
    ORDER BY ${lead}carried DESC, occurred_at, event_id COLLATE "C"`;
  const rows: GaugeRow[] = await tx.query(sql, params.values);
  const perGroup = new Map<string, { group: Record<string, string | null>; carryIn: Decimal | null; readings: GaugeReading[] }>();
  for (const row of rows) {
    const group = groupOf(row, spec.groupBy);
    const id = JSON.stringify(spec.groupBy.map((p) => group[p] ?? null));
    let entry = perGroup.get(id);
    if (!entry) perGroup.set(id, (entry = { group, carryIn: null, readings: [] }));
    if (row.carried) entry.carryIn = new Decimal(row.v);
    else entry.readings.push({ atUs: Number(row.at_us), value: new Decimal(row.v) });
  }
  const edgesUs = edges.map((d) => d.getTime() * 1000);
  for (const { group, carryIn, readings } of perGroup.values()) {
    const hours = integrateGauge(carryIn, readings, edgesUs);
    const target = builder.entry(group).buckets;
    for (const reading of readings) target[bucketIndex(edgesUs, reading.atUs)]!.events += 1;
    hours.forEach((h, i) => (target[i]!.quantity = h));
  }
}

/** Each bucket's percentile over the slots starting in it, pooled per group as for the period. */
async function percentileBuckets(tx: EntityManager, sel: UsageSelection, edges: readonly Date[], builder: SeriesBuilder): Promise<void> {
  const { slotMinutes, percentile } = percentileShape(sel.metric);
  const whole = slotWindow(sel.from, sel.to, slotMinutes);
  for (const { group, ports } of await portsByGroup(tx, sampleSpec(sel))) {
    const samples = distinctPortIds(ports);
    const target = builder.entry(group).buckets;
    target.forEach((bucket, i) => {
      const part = slotWindow(edges[i]!, edges[i + 1]!, slotMinutes);
      if (part.count === 0) return;
      const at = part.first - whole.first;
      const slice = samples.map((p) => ({ portId: p.portId, in: p.in.slice(at, at + part.count), out: p.out.slice(at, at + part.count) }));
      const { bitsPerSecond, known } = defaultPercentile(slice, percentile);
      bucket.quantity = bitsPerSecond === null ? ZERO : new Decimal(bitsPerSecond);
      bucket.events = known;
    });
  }
}
