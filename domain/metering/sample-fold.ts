import { canonicalJson } from '../../lib/canonical-json';

/**
 * Where rate samples land in the percentile rollup (`usage_samples`): per
 * account, subscription, event code, metric property, slot width, series and
 * UTC day, one array element per slot holding the sum of the samples' bit/s
 * and how many there were, for each direction.
 *
 * - slot = floor(minutes since UTC midnight / slot_minutes), so a sample at
 *   00:04:59 is in the first 5-minute slot and one at 00:05:00 in the second;
 * - series = the event's string-valued top-level properties (the port and its
 *   labels, e.g. {"port":"xe-0/0/1","region":"ams1"}), as canonical JSON;
 * - an event without a subscription folds under the nil UUID.
 *
 * A batch's samples are summed here per series, day and slot into deltas; the
 * database adds the deltas to the stored arrays (services/metering/ingest-samples.ts).
 */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;

/** Slot widths the rollup can hold: whole minutes that tile a day. */
export function canFold(slotMinutes: number): boolean {
  return Number.isInteger(slotMinutes) && slotMinutes >= 1 && slotMinutes <= 60 && MINUTES_PER_DAY % slotMinutes === 0;
}

export function slotsPerDay(slotMinutes: number): number {
  if (!canFold(slotMinutes)) throw new Error(`slot width ${slotMinutes} min does not tile a day`);
  return MINUTES_PER_DAY / slotMinutes;
}

/** The UTC day (days since the epoch) and slot of an instant. */
export function slotOf(ms: number, slotMinutes: number): { dayNumber: number; slot: number } {
  const dayNumber = Math.floor(ms / MS_PER_DAY);
  const msIntoDay = ms - dayNumber * MS_PER_DAY;
  return { dayNumber, slot: Math.floor(msIntoDay / (slotMinutes * 60_000)) };
}

/** 19700101 + n days as YYYY-MM-DD. */
export function dayText(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The series a sample belongs to: its string-valued top-level properties, keys sorted. */
export function seriesOf(properties: Record<string, unknown>): string {
  const labels: Record<string, string> = {};
  for (const key in properties) {
    const value = properties[key];
    if (typeof value === 'string') labels[key] = value;
  }
  return canonicalJson(labels);
}

export interface SeriesKey {
  accountId: string;
  /** NIL_UUID when the event has no subscription. */
  subscriptionId: string;
  code: string;
  property: string;
  slotMinutes: number;
  /** Canonical JSON object. */
  series: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
}

export interface SlotDelta {
  /** 0-based. */
  slot: number;
  inSum: number;
  inCount: number;
  outSum: number;
  outCount: number;
}

export interface SeriesDelta extends SeriesKey {
  /** Ascending by slot, each slot once. */
  slots: SlotDelta[];
}

export interface Sample {
  accountId: string;
  subscriptionId: string | null;
  code: string;
  property: string;
  slotMinutes: number;
  series: string;
  occurredAtMs: number;
  /** bit/s; undefined when the direction was not measured. */
  in: number | undefined;
  out: number | undefined;
}

/** Sums samples per series, day and slot. The result is sorted by key, so concurrent batches lock rows in one order. */
export function foldSamples(samples: Iterable<Sample>): SeriesDelta[] {
  const bySeries = new Map<string, { key: SeriesKey; slots: Map<number, SlotDelta> }>();
  const days = new Map<number, string>();
  for (const sample of samples) {
    const { dayNumber, slot } = slotOf(sample.occurredAtMs, sample.slotMinutes);
    let day = days.get(dayNumber);
    if (day === undefined) {
      day = dayText(dayNumber);
      days.set(dayNumber, day);
    }
    const subscriptionId = sample.subscriptionId ?? NIL_UUID;
    const id = `${sample.accountId}|${subscriptionId}|${sample.code}|${sample.property}|${sample.slotMinutes}|${day}|${sample.series}`;
    let entry = bySeries.get(id);
    if (entry === undefined) {
      entry = {
        key: { accountId: sample.accountId, subscriptionId, code: sample.code, property: sample.property, slotMinutes: sample.slotMinutes, series: sample.series, day },
        slots: new Map(),
      };
      bySeries.set(id, entry);
    }
    let delta = entry.slots.get(slot);
    if (delta === undefined) {
      delta = { slot, inSum: 0, inCount: 0, outSum: 0, outCount: 0 };
      entry.slots.set(slot, delta);
    }
    if (sample.in !== undefined) {
      delta.inSum += sample.in;
      delta.inCount += 1;
    }
    if (sample.out !== undefined) {
      delta.outSum += sample.out;
      delta.outCount += 1;
    }
  }
  return [...bySeries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, slots }]) => ({ ...key, slots: [...slots.values()].sort((a, b) => a.slot - b.slot) }));
}

export interface DayArrays {
  inSum: number[];
  inCount: number[];
  outSum: number[];
  outCount: number[];
}

export function emptyDay(slotMinutes: number): DayArrays {
  const n = slotsPerDay(slotMinutes);
  return { inSum: new Array<number>(n).fill(0), inCount: new Array<number>(n).fill(0), outSum: new Array<number>(n).fill(0), outCount: new Array<number>(n).fill(0) };
}

/** A day's arrays with a series' deltas added: what the database does with them, as a pure function. */
export function addToDay(day: DayArrays, slots: readonly SlotDelta[]): DayArrays {
  const next: DayArrays = { inSum: [...day.inSum], inCount: [...day.inCount], outSum: [...day.outSum], outCount: [...day.outCount] };
  for (const d of slots) {
    if (d.slot < 0 || d.slot >= next.inSum.length) throw new Error(`slot ${d.slot} is outside the day`);
    next.inSum[d.slot]! += d.inSum;
    next.inCount[d.slot]! += d.inCount;
    next.outSum[d.slot]! += d.outSum;
    next.outCount[d.slot]! += d.outCount;
  }
  return next;
}
