import type { EntityManager } from 'typeorm';
import { slotStart, slotWindow, type SlotWindow } from '../../domain/metering/sample-days';
import { Decimal, ZERO } from '../../domain/money/decimal';
import type { PortSamples } from '../../domain/pricing/inputs';
import { poolSeries, Scratch } from '../../domain/pricing/percentile/combine';
import { percentOf, rankIndex } from '../../domain/pricing/percentile/rank-index';
import { selectInPlace } from '../../domain/pricing/percentile/select';
import { distinctPortIds, percentileShape, readPortSamples, type PortRead, type SampleReadSpec } from './sample-read';
import { compareGroups, selectionGroupBy, selectionSpec, type UsageAggregate, type UsageSelection } from './usage-query';

/**
 * Percentile metrics, read from the sample rollup. The usage figure is the
 * metric's percentile of the group's pool in bit/s by the default
 * convention of the percentile price model (docs/pricing.md): nearest
 * rank, max of in and out, unknown slots dropped. A charge rates the same
 * samples by its own convention (`usageRatingInputs`).
 */
export interface SampleSeries {
  slotMinutes: number;
  /** Pooled per-slot sums over the group's ports; null where a port's direction is unknown. */
  slots: Array<{ start: Date; in: number | null; out: number | null }>;
  /** The ports pooled (their series keys: the `port` property, else the series JSON). */
  ports: string[];
}

const scratch = new Scratch();

/** The percentile of a pool by the default convention; null when no slot is known. */
export function defaultPercentile(ports: readonly PortSamples[], percentile: string): { bitsPerSecond: number | null; known: number } {
  const pooled = poolSeries(ports, 'max_of_in_out', 'drop', scratch);
  const ranked = pooled.series[0]?.values.length ?? 0;
  if (ranked === 0) return { bitsPerSecond: null, known: pooled.known };
  const index = rankIndex('nearest_rank', percentOf(new Decimal(percentile)), ranked);
  let highest = 0;
  for (const s of pooled.series) highest = Math.max(highest, selectInPlace(s.values, index));
  return { bitsPerSecond: highest, known: pooled.known };
}

export function sampleSpec(sel: UsageSelection): SampleReadSpec {
  // The same selection as every aggregation; sample reads have no buckets.
  return selectionSpec(sel);
}

/** The ports of each group (a pool each), groups in order. */
export async function portsByGroup(
  tx: EntityManager,
  spec: SampleReadSpec,
): Promise<Array<{ key: string | null; group: Record<string, string | null>; ports: PortRead[] }>> {
  const groups = new Map<string, { key: string | null; group: Record<string, string | null>; ports: PortRead[] }>();
  for await (const port of readPortSamples(tx, spec)) {
    const id = JSON.stringify([port.key, ...spec.groupBy.map((p) => port.group[p] ?? null)]);
    let entry = groups.get(id);
    if (!entry) groups.set(id, (entry = { key: port.key, group: port.group, ports: [] }));
    entry.ports.push(port);
  }
  return [...groups.values()].sort((a, b) => compareGroups(a.group, b.group, spec.groupBy));
}

function aggregateOf(group: Record<string, string | null>, ports: readonly PortRead[], percentile: string): UsageAggregate {
  const { bitsPerSecond, known } = defaultPercentile(distinctPortIds(ports), percentile);
  return { group, quantity: bitsPerSecond === null ? ZERO : new Decimal(bitsPerSecond), events: known };
}

export async function percentileAggregates(tx: EntityManager, sel: UsageSelection): Promise<UsageAggregate[]> {
  const { percentile } = percentileShape(sel.metric);
  const groups = await portsByGroup(tx, sampleSpec(sel));
  if (groups.length === 0 && selectionGroupBy(sel).length === 0) return [{ group: {}, quantity: ZERO, events: 0 }];
  return groups.map((g) => aggregateOf(g.group, g.ports, percentile));
}

/**
 * Bulk: the percentile per key (account or subscription) and group, streaming key by key
 * (only one key's ports are held at a time).
 */
export async function percentileAggregatesByKey(tx: EntityManager, spec: SampleReadSpec): Promise<Map<string, UsageAggregate[]>> {
  const { percentile } = percentileShape(spec.metric);
  const result = new Map<string, UsageAggregate[]>();
  let key: string | null = null;
  let groups = new Map<string, { group: Record<string, string | null>; ports: PortRead[] }>();
  const flush = () => {
    if (key === null) return;
    const entries = [...groups.values()].sort((a, b) => compareGroups(a.group, b.group, spec.groupBy));
    result.set(key, entries.map((g) => aggregateOf(g.group, g.ports, percentile)));
  };
  for await (const port of readPortSamples(tx, spec)) {
    if (port.key !== key) {
      flush();
      key = port.key;
      groups = new Map();
    }
    const id = JSON.stringify(spec.groupBy.map((p) => port.group[p] ?? null));
    let entry = groups.get(id);
    if (!entry) groups.set(id, (entry = { group: port.group, ports: [] }));
    entry.ports.push(port);
  }
  flush();
  return result;
}

/** Per-slot sums of a pool: a direction is null in a slot where any port's is unknown (as the pool is ranked). */
export function pooledSlots(ports: readonly PortSamples[], window: SlotWindow): SampleSeries['slots'] {
  const slots: SampleSeries['slots'] = [];
  for (let s = 0; s < window.count; s++) {
    let sumIn: number | null = 0;
    let sumOut: number | null = 0;
    for (const port of ports) {
      const i = port.in[s] ?? null;
      const o = port.out[s] ?? null;
      sumIn = sumIn === null || i === null ? null : sumIn + i;
      sumOut = sumOut === null || o === null ? null : sumOut + o;
    }
    slots.push({ start: slotStart(window, s), in: sumIn, out: sumOut });
  }
  return slots;
}

export async function sampleSeries(tx: EntityManager, sel: UsageSelection): Promise<Array<{ group: Record<string, string | null>; series: SampleSeries }>> {
  const { slotMinutes } = percentileShape(sel.metric);
  const window = slotWindow(sel.from, sel.to, slotMinutes);
  const groups = await portsByGroup(tx, sampleSpec(sel));
  return groups.map((g) => {
    const ports = distinctPortIds(g.ports);
    return { group: g.group, series: { slotMinutes, slots: pooledSlots(ports, window), ports: ports.map((p) => p.portId) } };
  });
}
