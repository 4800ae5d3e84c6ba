import type { MetricAggregation, MetricFilter } from '../../../domain/catalog/metric';
import { Decimal } from '../../../domain/money/decimal';
import type { FixtureEvent } from './usage-fixtures';

/**
 * The aggregation rules written again, plainly, over fixture events in
 * memory: what the SQL must agree with. Deliberately naive (filter, sort,
 * loop) and sharing no code with services/metering.
 */
export interface Expected {
  group: Record<string, string | null>;
  quantity: string;
  events: number;
}

export interface ExpectedSelection {
  accountId: string;
  subscriptionId?: string;
  code: string;
  fromUs: number;
  toUs: number;
  filters: MetricFilter[];
  groupBy: string[];
}

function walk(properties: Record<string, unknown>, property: string): unknown {
  let at: unknown = properties;
  for (const key of property.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A property as PostgreSQL's #>> gives it: strings as is, other JSON as its text, absent or JSON null as null. */
export function textOf(properties: Record<string, unknown>, property: string): string | null {
  const raw = walk(properties, property);
  if (raw === undefined || raw === null) return null;
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

export function numberOf(event: FixtureEvent, property: string): Decimal | null {
  if (property === 'value') return event.value === null ? null : new Decimal(event.value);
  const raw = walk(event.properties, property);
  if (typeof raw === 'number') return new Decimal(JSON.stringify(raw));
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) return new Decimal(raw);
  return null;
}

function passes(event: FixtureEvent, filter: MetricFilter): boolean {
  const text = textOf(event.properties, filter.property);
  const listed = text !== null && filter.values.includes(text);
  return filter.operator === 'eq' || filter.operator === 'in' ? listed : !listed;
}

/** Byte order of ASCII ids is code-unit order. */
const byTimeThenId = (a: FixtureEvent, b: FixtureEvent) => a.atUs - b.atUs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

export function selected(events: readonly FixtureEvent[], sel: ExpectedSelection, period: 'in' | 'before' = 'in'): FixtureEvent[] {
  return events.filter(
    (e) =>
      e.code === sel.code &&
      e.accountId === sel.accountId &&
      (sel.subscriptionId === undefined || e.subscriptionId === sel.subscriptionId) &&
      (period === 'in' ? e.atUs >= sel.fromUs && e.atUs < sel.toUs : e.atUs < sel.fromUs) &&
      sel.filters.every((f) => passes(e, f)),
  );
}

export function groupsOf(events: readonly FixtureEvent[], groupBy: readonly string[]): Map<string, { group: Record<string, string | null>; events: FixtureEvent[] }> {
  const groups = new Map<string, { group: Record<string, string | null>; events: FixtureEvent[] }>();
  for (const e of events) {
    const group = Object.fromEntries(groupBy.map((p) => [p, textOf(e.properties, p)]));
    const id = JSON.stringify(groupBy.map((p) => group[p]));
    if (!groups.has(id)) groups.set(id, { group, events: [] });
    groups.get(id)!.events.push(e);
  }
  return groups;
}

/** count, sum, max, latest, unique_count. */
export function expectedSimple(all: readonly FixtureEvent[], sel: ExpectedSelection, aggregation: MetricAggregation): Expected[] {
  const out: Expected[] = [];
  for (const { group, events } of groupsOf(selected(all, sel), sel.groupBy).values()) {
    if (aggregation.type === 'count') {
      out.push({ group, quantity: String(events.length), events: events.length });
      continue;
    }
    if (aggregation.type === 'unique_count') {
      const texts = events.map((e) => (aggregation.property === 'value' ? (e.value === null ? null : new Decimal(e.value).toFixed()) : textOf(e.properties, aggregation.property)));
      const present = texts.filter((t): t is string => t !== null);
      if (present.length > 0) out.push({ group, quantity: String(new Set(present).size), events: present.length });
      continue;
    }
    const property = aggregation.property;
    const withValue = events.filter((e) => numberOf(e, property) !== null);
    if (withValue.length === 0) continue;
    const value = (e: FixtureEvent) => numberOf(e, property)!;
    let quantity: Decimal;
    if (aggregation.type === 'sum') quantity = withValue.reduce((s, e) => s.plus(value(e)), new Decimal(0));
    else if (aggregation.type === 'max') quantity = withValue.reduce((m, e) => Decimal.max(m, value(e)), value(withValue[0]!));
    else if (aggregation.type === 'latest') quantity = value([...withValue].sort(byTimeThenId).at(-1)!);
    else throw new Error(`not a simple aggregation: ${aggregation.type}`);
    out.push({ group, quantity: quantity.toFixed(), events: withValue.length });
  }
  return out;
}

/** Gauge: each reading holds until the next (ties: the greater id holds) or `toUs`; the last reading before `fromUs` carries in. */
export function expectedTimeWeighted(all: readonly FixtureEvent[], sel: ExpectedSelection, property: string): Expected[] {
  const inPeriod = selected(all, sel).filter((e) => numberOf(e, property) !== null);
  const before = selected(all, sel, 'before').filter((e) => numberOf(e, property) !== null);
  const groups = groupsOf([...before, ...inPeriod], sel.groupBy);
  const out: Expected[] = [];
  for (const { group, events } of groups.values()) {
    const sorted = [...events].sort(byTimeThenId);
    const carry = sorted.filter((e) => e.atUs < sel.fromUs).at(-1);
    const readings = sorted.filter((e) => e.atUs >= sel.fromUs);
    const timeline = [...(carry ? [{ atUs: sel.fromUs, v: numberOf(carry, property)! }] : []), ...readings.map((e) => ({ atUs: e.atUs, v: numberOf(e, property)! }))];
    let unitMicros = new Decimal(0);
    timeline.forEach((r, i) => {
      const end = timeline[i + 1]?.atUs ?? sel.toUs;
      unitMicros = unitMicros.plus(r.v.times(end - r.atUs));
    });
    out.push({ group, quantity: unitMicros.dividedBy(3_600_000_000).toFixed(), events: readings.length });
  }
  return out;
}

/** Peak: windows of `windowMinutes` restarting at each UTC midnight; the highest average. */
export function expectedPeak(all: readonly FixtureEvent[], sel: ExpectedSelection, property: string, windowMinutes: number): Expected[] {
  const out: Expected[] = [];
  const dayUs = 86_400_000_000;
  for (const { group, events } of groupsOf(selected(all, sel).filter((e) => numberOf(e, property) !== null), sel.groupBy).values()) {
    const windows = new Map<string, Decimal[]>();
    for (const e of events) {
      const day = Math.floor(e.atUs / dayUs);
      const index = Math.floor((e.atUs - day * dayUs) / (windowMinutes * 60_000_000));
      const id = `${day}/${index}`;
      if (!windows.has(id)) windows.set(id, []);
      windows.get(id)!.push(numberOf(e, property)!);
    }
    const averages = [...windows.values()].map((vs) => vs.reduce((s, v) => s.plus(v), new Decimal(0)).dividedBy(vs.length));
    out.push({ group, quantity: averages.reduce((m, a) => Decimal.max(m, a)).toFixed(), events: events.length });
  }
  return out;
}

/** Sorted like the service: by group values, null last; without group-by one entry, zero when empty. */
export function normalised(entries: Expected[], groupBy: readonly string[]): Expected[] {
  if (groupBy.length === 0 && entries.length === 0) return [{ group: {}, quantity: '0', events: 0 }];
  return [...entries].sort((a, b) => {
    for (const p of groupBy) {
      const x = a.group[p] ?? null;
      const y = b.group[p] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** The service's aggregates in the same plain form. */
export function plain(aggregates: ReadonlyArray<{ group: Record<string, string | null>; quantity: Decimal; events: number }>): Expected[] {
  return aggregates.map((a) => ({ group: a.group, quantity: a.quantity.toFixed(), events: a.events }));
}
