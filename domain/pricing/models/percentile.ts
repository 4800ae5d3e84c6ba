import { z } from 'zod';
import { Decimal, max, ZERO } from '../../money/decimal';
import { decimalWhere, nonNegativeDecimal, positiveDecimal } from '../decimal-input';
import type { BandwidthInput } from '../inputs';
import { BandwidthInputError, DIRECTIONS, poolSeries, Scratch, type MissingSamples } from '../percentile/combine';
import { PERCENTILE_METHODS, percentOf, rankIndex } from '../percentile/rank-index';
import { selectInPlace } from '../percentile/select';
import { line, priceText, qty, ratingOf, type Rating } from '../rating';

/**
 * Burstable bandwidth billed on the 95th percentile of 5-minute rates:
 * commit_mbps × commit_price always, plus (95th − commit) × burst_price
 * when above, the billed rate capped at the port speed. Method, direction
 * and missing-sample rule are the plan's convention, printed in `details`
 * (docs/pricing.md, "percentile"). For a pool, commit_mbps
 * is the pool's commit; per-port commits adding up to it may come later.
 */
const percentile = decimalWhere((p) => p.greaterThan(0) && p.lessThanOrEqualTo(100), 'must be greater than 0 and at most 100');

/** Cross-field rules run even when a field failed, so the catalogue lists every problem at once. */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const percentileConfig = z
  .strictObject({
    model: z.literal('percentile'),
    percentile: percentile.prefault('95'),
    method: z.enum(PERCENTILE_METHODS).default('nearest_rank'),
    direction: z.enum(DIRECTIONS).default('max_of_in_out'),
    /** Unset: the method's own rule (rrdtool PERCENT counts unknown as lowest = zero; the others drop). */
    missing_samples: z.enum(['drop', 'zero']).optional(),
    commit_mbps: nonNegativeDecimal,
    /** Per committed Mbps per period, billed whatever the usage. */
    commit_price: nonNegativeDecimal,
    /** Per Mbps of the billed rate above the commit. */
    burst_price: nonNegativeDecimal,
    /** Caps the billed rate, in the direction's terms (aggregate in + out on a full-duplex port can reach twice the line rate). */
    port_speed_mbps: positiveDecimal.optional(),
    /** Slots the period should have (8,640 for 30 days), so data completeness can be printed. */
    expected_slots: z.number().int().positive().optional(),
  })
  .superRefine((config, ctx) => {
    // A field that failed its own check arrives unparsed: compare only Decimals.
    const { commit_mbps: commit, port_speed_mbps: speed } = config;
    if (Decimal.isDecimal(commit) && Decimal.isDecimal(speed) && commit.greaterThan(speed)) {
      ctx.addIssue({ code: 'custom', path: ['commit_mbps'], message: `commit ${commit.toFixed()} Mbps exceeds the port speed ${speed.toFixed()} Mbps` });
    }
    if (config.method === 'rrdtool' && config.missing_samples === 'drop') {
      ctx.addIssue({ code: 'custom', path: ['missing_samples'], message: 'rrdtool PERCENT counts unknown samples as the lowest; use method "rrdtool_nan" to drop them' });
    }
    if (config.method === 'rrdtool_nan' && config.missing_samples === 'zero') {
      ctx.addIssue({ code: 'custom', path: ['missing_samples'], message: 'rrdtool PERCENTNAN drops unknown samples; use method "rrdtool" to count them as zero' });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .transform((config) => {
    const missing: MissingSamples = config.missing_samples ?? (config.method === 'rrdtool' ? 'zero' : 'drop');
    return { ...config, missing_samples: missing };
  });
export type PercentileConfig = z.output<typeof percentileConfig>;

const BITS_PER_MBPS = new Decimal(1_000_000);

/** Reused by every rating: its views never leave ratePercentile, which runs to completion before the next call. */
const scratch = new Scratch();

/** Prices print with at least two decimals, as a customer reads them: 2.50, 0.125. */

export function ratePercentile(config: PercentileConfig, input: BandwidthInput): Rating {
  const pooled = poolSeries(input.ports, config.direction, config.missing_samples, scratch);
  const ports = () => input.ports.map((p) => p.portId).join(', ');
  if (config.expected_slots !== undefined && pooled.slots > config.expected_slots) {
    throw new BandwidthInputError(`ports ${ports()} have ${pooled.slots} slots but the period has ${config.expected_slots}`);
  }
  const ranked = pooled.series[0]?.values.length ?? 0;
  if (ranked === 0) {
    // Billing the commit alone would hide a metering outage as "no burst".
    throw new BandwidthInputError(`ports ${ports()} have no known sample in ${pooled.slots} slots: the ${config.percentile.toFixed()}th cannot be computed`);
  }
  const index = rankIndex(config.method, percentOf(config.percentile), ranked);
  const rates = pooled.series.map((s) => ({ name: s.name, mbps: new Decimal(selectInPlace(s.values, index)).dividedBy(BITS_PER_MBPS) }));
  const measured = rates.reduce((highest, r) => max(highest, r.mbps), ZERO);

  const speed = config.port_speed_mbps;
  const capped = speed !== undefined && measured.greaterThan(speed);
  const billed = capped ? speed : measured;
  const burst = max(ZERO, billed.minus(config.commit_mbps));

  const lines = [
    line(`Committed ${qty(config.commit_mbps)} Mbps at ${priceText(config.commit_price)}`, config.commit_mbps, config.commit_price, config.commit_mbps.times(config.commit_price)),
    line(
      `Burst ${qty(burst)} Mbps above commit at ${priceText(config.burst_price)}${capped ? ` (capped at the ${qty(speed)} Mbps port speed)` : ''}`,
      burst,
      config.burst_price,
      burst.times(config.burst_price),
    ),
  ];

  const details: NonNullable<Rating['details']> = {
    method: config.method,
    direction: config.direction,
    percentile: config.percentile.toFixed(),
    missing_samples: config.missing_samples,
    ports: input.ports.length,
    samples_total: pooled.slots,
    samples_known: pooled.known,
    samples_unknown: pooled.slots - pooled.known,
    samples_ranked: ranked,
    rank_index: index,
    slots_discarded: ranked - 1 - index,
  };
  for (const r of rates) details[`p95_${r.name}_mbps`] = r.mbps.toFixed();
  details.p95_mbps = measured.toFixed();
  details.billed_mbps = billed.toFixed();
  details.commit_mbps = config.commit_mbps.toFixed();
  details.capped_at_port_speed = capped;
  if (speed !== undefined) details.port_speed_mbps = speed.toFixed();
  if (config.expected_slots !== undefined) {
    details.expected_slots = config.expected_slots;
    details.data_completeness_percent = new Decimal(pooled.known).times(100).dividedBy(config.expected_slots).toDecimalPlaces(2).toFixed();
  }
  return ratingOf(lines, { quantity: billed, unitPrice: null, details });
}
