import { Decimal } from '../money/decimal';
import type { PortSamples } from '../pricing/inputs';

/**
 * Turns the `usage_samples` rollup (per port and UTC day: the sum and count
 * of the rate samples that fell in each slot) into the rating engine's
 * `PortSamples` for a period [from, to).
 *
 * - Slots are aligned to UTC midnight (1440 is a multiple of the slot
 *   length), hence to the epoch: slot k covers [k·len, (k + 1)·len). A slot
 *   belongs to the period when it starts in it, so a period that does not
 *   start on a slot edge begins with the next whole slot.
 * - A slot's rate is sum ÷ count rounded half up to a whole bit/s (two
 *   polls in one slot are averaged); count 0 is an unknown slot (null).
 * - Several rows for the same day (the same port attributed to different
 *   subscriptions, read for the whole account) add their sums and counts
 *   before the division, so the slot is the average of all its samples.
 */
export interface SampleDay {
  /** UTC day as days since 1970-01-01. */
  day: number;
  inSum: ArrayLike<number>;
  /** null: every slot has exactly one sample (a compact form the reader may use). */
  inCount: ArrayLike<number> | null;
  outSum: ArrayLike<number>;
  outCount: ArrayLike<number> | null;
}

export interface SlotWindow {
  slotMinutes: number;
  /** Global index (since the epoch) of the period's first slot. */
  first: number;
  /** Slots in the period. */
  count: number;
}

const MINUTES_PER_DAY = 1440;

export function slotsPerDay(slotMinutes: number): number {
  if (!Number.isInteger(slotMinutes) || slotMinutes < 1 || MINUTES_PER_DAY % slotMinutes !== 0) {
    throw new RangeError(`slot length ${slotMinutes} minutes does not divide a day`);
  }
  return MINUTES_PER_DAY / slotMinutes;
}

/** The slots starting in [from, to). */
export function slotWindow(from: Date, to: Date, slotMinutes: number): SlotWindow {
  slotsPerDay(slotMinutes);
  const slotMs = slotMinutes * 60_000;
  const first = Math.ceil(from.getTime() / slotMs);
  const end = Math.ceil(to.getTime() / slotMs);
  return { slotMinutes, first, count: Math.max(0, end - first) };
}

/** Start instant of slot `i` of the window. */
export function slotStart(window: SlotWindow, i: number): Date {
  return new Date((window.first + i) * window.slotMinutes * 60_000);
}

/** The UTC days (since the epoch) whose rows can hold the window's slots: [firstDay, lastDay]. */
export function windowDays(window: SlotWindow): { firstDay: number; lastDay: number } {
  const perDay = slotsPerDay(window.slotMinutes);
  const firstDay = Math.floor(window.first / perDay);
  const lastDay = Math.floor((window.first + Math.max(window.count, 1) - 1) / perDay);
  return { firstDay, lastDay };
}

/** sum ÷ count rounded half up to a whole number; null for count 0. */
export function slotRate(sum: number, count: number): number | null {
  if (count === 0) return null;
  if (!(count > 0) || !(sum >= 0)) throw new RangeError(`slot sum ${sum} over count ${count} is not a rate`);
  if (count === 1 && Number.isSafeInteger(sum)) return sum;
  if (Number.isSafeInteger(sum) && Number.isSafeInteger(2 * sum + count)) {
    // Integer half-up division: q = ⌊s / c⌋, remainder r; round up when 2r ≥ c. The float
    // quotient can be one off for huge s, so the remainder corrects it.
    let q = Math.floor(sum / count);
    let r = sum - q * count;
    if (r < 0) {
      q -= 1;
      r += count;
    } else if (r >= count) {
      q += 1;
      r -= count;
    }
    return 2 * r >= count ? q + 1 : q;
  }
  // Fractional sums (rates sent with decimals) or sums near 2^53: exact decimal division.
  return new Decimal(sum).dividedBy(count).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/**
 * Accumulates one port's days, then yields its samples. Memory is four
 * Float64Arrays of the window's length, reused through `reset`.
 */
export class PortSlots {
  private inSum: Float64Array;
  private inCount: Float64Array;
  private outSum: Float64Array;
  private outCount: Float64Array;
  private readonly perDay: number;

  constructor(readonly window: SlotWindow) {
    this.perDay = slotsPerDay(window.slotMinutes);
    this.inSum = new Float64Array(window.count);
    this.inCount = new Float64Array(window.count);
    this.outSum = new Float64Array(window.count);
    this.outCount = new Float64Array(window.count);
  }

  reset(): void {
    this.inSum.fill(0);
    this.inCount.fill(0);
    this.outSum.fill(0);
    this.outCount.fill(0);
  }

  add(day: SampleDay): void {
    const perDay = this.perDay;
    if (day.inSum.length !== perDay || day.outSum.length !== perDay) {
      throw new RangeError(`day ${day.day} has ${day.inSum.length}/${day.outSum.length} slots, expected ${perDay}`);
    }
    // Slot s of this day is slot (offset + s) of the window; only [0, count) is kept.
    const offset = day.day * perDay - this.window.first;
    const from = Math.max(0, -offset);
    const to = Math.min(perDay, this.window.count - offset);
    addInto(this.inSum, this.inCount, day.inSum, day.inCount, offset, from, to);
    addInto(this.outSum, this.outCount, day.outSum, day.outCount, offset, from, to);
  }

  samples(portId: string): PortSamples {
    return { portId, in: rates(this.inSum, this.inCount), out: rates(this.outSum, this.outCount) };
  }
}

function addInto(sums: Float64Array, counts: Float64Array, daySums: ArrayLike<number>, dayCounts: ArrayLike<number> | null, offset: number, from: number, to: number): void {
  if (dayCounts !== null && dayCounts.length !== daySums.length) throw new RangeError('slot sums and counts differ in length');
  for (let s = from; s < to; s++) {
    const c = dayCounts === null ? 1 : dayCounts[s]!;
    if (c === 0) continue;
    const i = offset + s;
    sums[i] = sums[i]! + daySums[s]!;
    counts[i] = counts[i]! + c;
  }
}

function rates(sums: Float64Array, counts: Float64Array): Array<number | null> {
  const out = new Array<number | null>(sums.length);
  for (let i = 0; i < sums.length; i++) out[i] = slotRate(sums[i]!, counts[i]!);
  return out;
}

/** One port's samples for the window from its day rows (any order, repeated days added). */
export function portSamplesFromDays(portId: string, days: Iterable<SampleDay>, window: SlotWindow): PortSamples {
  const slots = new PortSlots(window);
  for (const day of days) slots.add(day);
  return slots.samples(portId);
}
