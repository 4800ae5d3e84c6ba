import type { Decimal } from '../money/decimal';
import { poolSeries, Scratch, type Direction, type MissingSamples } from '../pricing/percentile/combine';
import { percentOf, rankIndex, type PercentileMethod } from '../pricing/percentile/rank-index';
import { selectInPlace } from '../pricing/percentile/select';

/**
 * The percentile line drawn over a pool's 5-minute samples (the usage API's
 * samples view, and bandwidth thresholds): the same pooling, direction,
 * missing-sample rule and rank index as the percentile price model
 * (domain/pricing/models/percentile.ts), so the line a customer sees is the
 * rate the invoice bills, before the port-speed cap.
 */
export interface PercentileConvention {
  percentile: Decimal;
  method: PercentileMethod;
  direction: Direction;
  missing: MissingSamples;
}

export interface PercentileLine {
  /** The percentile of the inbound and outbound series each on its own, whole bit/s; null without a known slot. */
  in: number | null;
  out: number | null;
  /** The rate the convention bills (e.g. the higher of in and out for max_of_in_out). */
  billed: number | null;
  /** Slots known in the billed direction, and slots in the range. */
  known: number;
  slots: number;
}

function rank(values: Float64Array, convention: PercentileConvention): number | null {
  if (values.length === 0) return null;
  return selectInPlace(values, rankIndex(convention.method, percentOf(convention.percentile), values.length));
}

/** The percentile of one direction (or, for max_of_in_out, both) of one pool; `known` counts slots with every reading needed. */
function percentileOf(inRates: ReadonlyArray<number | null>, outRates: ReadonlyArray<number | null>, direction: Direction, convention: PercentileConvention) {
  const pooled = poolSeries([{ portId: 'pool', in: inRates, out: outRates }], direction, convention.missing, new Scratch());
  const ranked = pooled.series.map((s) => rank(s.values, convention));
  const known = ranked.filter((v): v is number => v !== null);
  return { value: known.length === 0 ? null : Math.max(...known), known: pooled.known, slots: pooled.slots };
}

export function percentileLine(inRates: ReadonlyArray<number | null>, outRates: ReadonlyArray<number | null>, convention: PercentileConvention): PercentileLine {
  if (inRates.length === 0) return { in: null, out: null, billed: null, known: 0, slots: 0 };
  const billed = percentileOf(inRates, outRates, convention.direction, convention);
  return {
    in: percentileOf(inRates, outRates, 'in', convention).value,
    out: percentileOf(inRates, outRates, 'out', convention).value,
    billed: billed.value,
    known: billed.known,
    slots: billed.slots,
  };
}
