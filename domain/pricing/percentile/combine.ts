import type { PortSamples } from '../inputs';

/**
 * Turns a pool's ports into the series the 95th is taken over. The pool's
 * rate in a slot is the SUM of its members' rates in that slot (a pool's
 * 95th is not the sum of members' 95ths), then the direction applies:
 * - max_of_in_out (LibreNMS): two series, Σin and Σout, each ranked on its own
 * - aggregate: Σin + Σout per slot
 * - per_sample_max: max(Σin, Σout) per slot
 * - in / out: Σin or Σout only
 * A slot is known only when every reading the direction needs (each member,
 * each needed direction) is known: a sum with a hole would under-bill, so
 * it is never zero-filled silently. Unknown slots are then dropped or, for
 * rrdtool's PERCENT (unknown sorts lowest), counted as zero, by the
 * caller's choice; either way they are counted.
 */
export const DIRECTIONS = ['max_of_in_out', 'aggregate', 'per_sample_max', 'in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export type MissingSamples = 'drop' | 'zero';

export interface PooledSeries {
  /** Slots in the input period. */
  slots: number;
  known: number;
  /** One series per ranked quantity: in and out for max_of_in_out, else one. Unknown slots are absent (drop) or 0 (zero). */
  series: Array<{ name: 'in' | 'out' | 'aggregate' | 'per_sample_max'; values: Float64Array }>;
}

/** Metering handed the rating engine samples it cannot rate; the message names the port and slot. */
export class BandwidthInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BandwidthInputError';
  }
}

/**
 * Working memory for `poolSeries`, reusable across calls: allocating two
 * 8,640-slot arrays per port-month costs more than ranking them. The series
 * returned are views into it, valid until its next use.
 */
export class Scratch {
  private buffer = new Float64Array(0);

  take(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    return this.buffer.subarray(0, length);
  }
}

export function poolSeries(ports: readonly PortSamples[], direction: Direction, missing: MissingSamples, scratch = new Scratch()): PooledSeries {
  const slots = checkShape(ports);
  const memory = scratch.take(2 * slots);
  // Σin and Σout per slot; NaN marks "some member unknown" and survives every later addition.
  const sumIn = memory.subarray(0, slots);
  const sumOut = memory.subarray(slots);
  if (direction === 'in') sumOut.fill(0);
  if (direction === 'out') sumIn.fill(0);
  let first = true;
  let gaps = false;
  for (const port of ports) {
    if (direction !== 'out') gaps = accumulate(sumIn, port.in, first, port.portId, 'in') || gaps;
    if (direction !== 'in') gaps = accumulate(sumOut, port.out, first, port.portId, 'out') || gaps;
    first = false;
  }
  // The common case, one complete port ranked by direction: the readings are the series.
  if (!gaps && ports.length === 1 && direction !== 'aggregate' && direction !== 'per_sample_max') {
    if (direction === 'max_of_in_out') return { slots, known: slots, series: [{ name: 'in', values: sumIn }, { name: 'out', values: sumOut }] };
    return { slots, known: slots, series: [{ name: direction, values: direction === 'in' ? sumIn : sumOut }] };
  }
  // Compact in place (kept ≤ s, so nothing unread is overwritten): sumIn becomes the ranked series, sumOut the second one.
  const zero = missing === 'zero';
  const aggregate = direction === 'aggregate';
  const perSampleMax = direction === 'per_sample_max';
  const onlyOut = direction === 'out';
  let kept = 0;
  let known = 0;
  for (let s = 0; s < slots; s++) {
    const i = sumIn[s]!;
    const o = sumOut[s]!;
    if (Number.isNaN(i) || Number.isNaN(o)) {
      if (zero) {
        sumIn[kept] = 0;
        sumOut[kept++] = 0;
      }
      continue;
    }
    // A float sum that reached 2^53 may have rounded; below it every sum of whole numbers is exact.
    if (!(i + o <= Number.MAX_SAFE_INTEGER)) throw new BandwidthInputError(`pool rate in slot ${s} reaches 2^53 bit/s and cannot be summed exactly`);
    known++;
    sumIn[kept] = aggregate ? i + o : perSampleMax ? Math.max(i, o) : onlyOut ? o : i;
    sumOut[kept++] = o;
  }
  const ranked = sumIn.subarray(0, kept);
  if (direction === 'max_of_in_out') return { slots, known, series: [{ name: 'in', values: ranked }, { name: 'out', values: sumOut.subarray(0, kept) }] };
  return { slots, known, series: [{ name: direction, values: ranked }] };
}

/** Adds one member's readings into the sums (the first member writes them, so nothing needs zeroing); true if one was unknown. */
function accumulate(sums: Float64Array, readings: ReadonlyArray<number | null>, first: boolean, portId: string, dir: 'in' | 'out'): boolean {
  const slots = sums.length;
  let gaps = false;
  for (let s = 0; s < slots; s++) {
    const v = readings[s];
    if (v === null || v === undefined) {
      sums[s] = NaN;
      gaps = true;
    } else if (Number.isSafeInteger(v) && v >= 0) sums[s] = first ? v : sums[s]! + v;
    else throw new BandwidthInputError(`port ${portId} ${dir} slot ${s}: ${v} is not a whole, non-negative bit/s rate`);
  }
  return gaps;
}

/** Every port must cover the same slots in both directions; returns the slot count. */
function checkShape(ports: readonly PortSamples[]): number {
  const first = ports[0];
  if (!first) throw new BandwidthInputError('bandwidth input has no ports');
  const seen = new Set<string>();
  for (const port of ports) {
    if (seen.has(port.portId)) throw new BandwidthInputError(`port ${port.portId} appears twice in the pool`);
    seen.add(port.portId);
    if (port.in.length !== port.out.length) {
      throw new BandwidthInputError(`port ${port.portId} has ${port.in.length} in samples but ${port.out.length} out samples`);
    }
    if (port.in.length !== first.in.length) {
      throw new BandwidthInputError(`port ${port.portId} has ${port.in.length} slots but port ${first.portId} has ${first.in.length}`);
    }
  }
  return first.in.length;
}
