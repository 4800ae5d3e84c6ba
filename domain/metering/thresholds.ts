import { Decimal } from '../money/decimal';
import type { ChargePrice } from '../pricing/charge';

/**
 * Bill-shock thresholds: which levels (percents of a reference) usage has
 * reached, and what "the commit" of a usage charge is. Pure: the evaluator
 * (services/metering/threshold-evaluation.ts) loads the observed value and
 * the levels already announced for the period, and records what this says.
 *
 * A level p is reached when observed ≥ reference × p / 100 (compared as
 * observed × 100 ≥ reference × p, so no division rounds). Levels above 100
 * (up to 1000) warn about overage.
 */
export const MAX_PERCENT = 1000;
export const MAX_LEVELS = 10;

export function levelsReached(percents: readonly Decimal[], reference: Decimal, observed: Decimal): Decimal[] {
  if (!reference.greaterThan(0)) throw new RangeError(`a threshold reference must be positive, got ${reference.toFixed()}`);
  const scaled = observed.times(100);
  return percents.filter((p) => scaled.greaterThanOrEqualTo(reference.times(p))).sort((a, b) => a.comparedTo(b));
}

/** The reached levels not yet announced this period, lowest first: each is announced once per period. */
export function levelsToAnnounce(input: {
  percents: readonly Decimal[];
  reference: Decimal;
  observed: Decimal;
  announced: readonly Decimal[];
}): Decimal[] {
  return levelsReached(input.percents, input.reference, input.observed).filter((p) => !input.announced.some((a) => a.equals(p)));
}

/**
 * "The commit" of one usage charge, in the metric's units:
 * - percentile (burstable bandwidth): commit_mbps, in bit/s (× 1,000,000),
 *   because percentile usage is observed as the billed rate in bit/s;
 * - committed_kw: the committed kW (the metric measures kW, e.g. a peak
 *   15-minute demand metric);
 * - any other model: the charge's included_quantity (the allowance).
 * A commit of zero or none is refused: a threshold needs a positive reference.
 */
export type CommitReference =
  | { ok: true; value: Decimal; source: 'commit_mbps' | 'committed_kw' | 'included_quantity'; unit: 'bit/s' | 'kW' | 'metric unit' }
  | { ok: false; reason: string };

const BITS_PER_MBPS = new Decimal(1_000_000);

export function commitReferenceOf(price: ChargePrice): CommitReference {
  const model = price.model;
  if (model.model === 'percentile') {
    if (!model.commit_mbps.greaterThan(0)) return { ok: false, reason: 'its percentile price commits 0 Mbps' };
    return { ok: true, value: model.commit_mbps.times(BITS_PER_MBPS), source: 'commit_mbps', unit: 'bit/s' };
  }
  if (model.model === 'committed_kw') {
    if (!model.committed_kw.greaterThan(0)) return { ok: false, reason: 'its committed_kw price commits 0 kW' };
    return { ok: true, value: model.committed_kw, source: 'committed_kw', unit: 'kW' };
  }
  if (price.includedQuantity !== undefined && price.includedQuantity.greaterThan(0)) {
    return { ok: true, value: price.includedQuantity, source: 'included_quantity', unit: 'metric unit' };
  }
  return { ok: false, reason: `its ${model.model} price has no commit and the charge includes no quantity` };
}

/** Several charges on the same metric (a plan charge and an add-on's, or several subscriptions) commit their sum. */
export function combinedCommit(references: readonly CommitReference[]): CommitReference {
  if (references.length === 0) return { ok: false, reason: 'no usage charge bills this metric' };
  let total = new Decimal(0);
  for (const r of references) {
    if (!r.ok) return r;
    total = total.plus(r.value);
  }
  const first = references[0] as Extract<CommitReference, { ok: true }>;
  const units = new Set(references.map((r) => (r.ok ? r.unit : '')));
  if (units.size > 1) return { ok: false, reason: `its charges commit in different units (${[...units].join(', ')})` };
  return { ok: true, value: total, source: first.source, unit: first.unit };
}
