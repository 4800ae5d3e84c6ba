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
 * it is never zero-filled silently. Unknown slots are dropped or, for
 * rrdtool's PERCENT (unknown sorts lowest), counted as zero, by the caller's
 * choice; either way they are counted.
 */
export const DIRECTIONS = ['max_of_in_out', 'aggregate', 'per_sample_max', 'in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export type MissingSamples = 'drop' | 'zero';

export interface PooledSeries {
  /** Slots in the input period. */
  slots: number;
  known: number;
  /** One series per ranked quantity: two for max_of_in_out, else one. Unknown slots are absent (drop) or 0 (zero). */
  series: Array<{ name: 'in' | 'out' | 'aggregate' | 'per_sample_max'; values: Float64Array }>;
}

/** Metering handed the rating engine samples it cannot rate; the message names the port and slot. */
export class BandwidthInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BandwidthInputError';
  }
}

export function poolSeries(ports: readonly PortSamples[], direction: Direction, missing: MissingSamples): PooledSeries {
  const slots = checkShape(ports);
  const needIn = direction !== 'out';
  const needOut = direction !== 'in';
  const twoSeries = direction === 'max_of_in_out';
  const a = new Float64Array(slots);
  const b = new Float64Array(twoSeries ? slots : 0);
  let kept = 0;
  let known = 0;
  for (let s = 0; s < slots; s++) {
    let sumIn = 0;
    let sumOut = 0;
    let complete = true;
    for (const port of ports) {
      if (needIn) {
        const v = port.in[s];
        if (v === null || v === undefined) complete = false;
        else sumIn += reading(v, port.portId, 'in', s);
      }
      if (needOut) {
        const v = port.out[s];
        if (v === null || v === undefined) complete = false;
        else sumOut += reading(v, port.portId, 'out', s);
      }
    }
    if (complete) {
      if (!Number.isSafeInteger(sumIn + sumOut)) throw new BandwidthInputError(`pool rate in slot ${s} exceeds 2^53 bit/s and cannot be summed exactly`);
      known++;
      a[kept] = direction === 'aggregate' ? sumIn + sumOut : direction === 'per_sample_max' ? Math.max(sumIn, sumOut) : needIn ? sumIn : sumOut;
      if (twoSeries) b[kept] = sumOut;
      kept++;
    } else if (missing === 'zero') {
      kept++; // the typed array is already 0 there
    }
  }
  const take = (values: Float64Array) => values.subarray(0, kept);
  if (direction === 'max_of_in_out') return { slots, known, series: [{ name: 'in', values: take(a) }, { name: 'out', values: take(b) }] };
  return { slots, known, series: [{ name: direction, values: take(a) }] };
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

function reading(v: number, portId: string, dir: 'in' | 'out', slot: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new BandwidthInputError(`port ${portId} ${dir} slot ${slot}: ${v} is not a whole, non-negative bit/s rate`);
  return v;
}
