import type { Decimal } from '../../money/decimal';

/**
 * Which sample "the 95th" is: every tool picks a 0-based index into the
 * ascending sort of the n known samples, and they disagree by one rank on
 * some month lengths (../shared/DATACENTER.md). Indexes are computed with
 * BigInt on p written as the fraction num/den, never with floats:
 * `Math.round(230 / 100 * 95)` is 218 in JS because 2.3·95 is stored as
 * 218.49999999999997, while the exact 218.5 rounds half up to 219 (PHP's
 * round pre-rounds and agrees with the exact value).
 */
export const PERCENTILE_METHODS = ['nearest_rank', 'rrdtool', 'rrdtool_nan', 'librenms_legacy', 'librenms', 'cacti'] as const;
export type PercentileMethod = (typeof PERCENTILE_METHODS)[number];

/** A percentage as an exact fraction: 95.5 % is { num: 955n, den: 10n }. */
export interface Percent {
  num: bigint;
  den: bigint;
}

export function percentOf(p: Decimal): Percent {
  const [whole = '0', fraction = ''] = p.toFixed().split('.');
  const percent = { num: BigInt(whole + fraction), den: 10n ** BigInt(fraction.length) };
  if (percent.num <= 0n || percent.num > 100n * percent.den) throw new RangeError(`percentile ${p.toFixed()} is outside (0, 100]`);
  return percent;
}

/** ⌈a / b⌉ for a ≥ 0, b > 0. */
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
/** a / b rounded half up, for a ≥ 0, b > 0: ⌊(2a + b) / 2b⌋. */
const roundHalfUp = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);
const atLeastZero = (i: bigint): bigint => (i < 0n ? 0n : i);

/**
 * The 0-based ascending index each method bills, for n ≥ 1 known samples
 * (p = P/100 below):
 * - nearest_rank (providers' "drop the top 5 %"): ⌈p·n⌉ − 1
 * - rrdtool / rrdtool_nan (VDEF PERCENT / PERCENTNAN, rrd_graph.c):
 *   C `round(param·(steps − 1) / 100)`, half away from zero = half up here
 * - librenms_legacy (PHP `round(n / 100 * 95) − 1`): round_half_up(p·n) − 1
 * - librenms (current, after bucketing readings to 5-minute slots): one
 *   rank lower, round_half_up(p·n) − 2
 * - cacti (`rsort`, index `ceil(n·(1 − p))` from the top): n − 1 − ⌈(1 − p)·n⌉
 * Indexes below 0 (tiny n or p) are clamped to 0, the lowest sample; the
 * tools would read outside their array there (Cacti then reports 0).
 */
export function rankIndex(method: PercentileMethod, percent: Percent, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`the 95th needs at least one sample, got n = ${n}`);
  const N = BigInt(n);
  const hundred = 100n * percent.den;
  let index: bigint;
  switch (method) {
    case 'nearest_rank':
      index = ceilDiv(percent.num * N, hundred) - 1n;
      break;
    case 'rrdtool':
    case 'rrdtool_nan':
      index = roundHalfUp(percent.num * (N - 1n), hundred);
      break;
    case 'librenms_legacy':
      index = roundHalfUp(percent.num * N, hundred) - 1n;
      break;
    case 'librenms':
      index = roundHalfUp(percent.num * N, hundred) - 2n;
      break;
    case 'cacti':
      index = N - 1n - ceilDiv((hundred - percent.num) * N, hundred);
      break;
  }
  return Number(atLeastZero(index));
}
