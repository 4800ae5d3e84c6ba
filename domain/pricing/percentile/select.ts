/**
 * The k-th smallest value (0-based) of an array in O(n) on average, by
 * Floyd & Rivest's SELECT: a small sample first puts an estimate of the
 * k-th value at k, so one partition of the whole range around it leaves
 * only a sliver to finish. For the 95th of a month (8,640 samples) that is
 * about n + o(n) comparisons, against n log n for a full sort. The answer
 * equals `sorted[k]` whatever the sample says; the sample only makes it
 * fast. If partitioning stops shrinking the range (an adversarial order),
 * the rest is sorted, so the worst case is O(n log n), never O(n²).
 * Values must not be NaN.
 */
export function selectInPlace(values: Float64Array, k: number, partitions = defaultBudget(values.length)): number {
  if (!Number.isInteger(k) || k < 0 || k >= values.length) throw new RangeError(`rank ${k} is outside 0..${values.length - 1}`);
  selectRange(values, k, 0, values.length - 1, partitions);
  return values[k]!;
}

/** Like `selectInPlace`, on a copy, leaving the caller's array untouched. */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  return selectInPlace(Float64Array.from(values), k);
}

/** Ranges this long or longer are narrowed by a sample first (Floyd & Rivest's constant). */
const SAMPLE_FROM = 600;

/** About two partitions per halving of n before sorting the rest; tests pass a small budget to exercise that path. */
function defaultBudget(n: number): number {
  return 2 * (32 - Math.clz32(n)) + 4;
}

function selectRange(a: Float64Array, k: number, left: number, right: number, budget: number): void {
  while (right > left) {
    if (budget-- === 0) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const n = right - left + 1;
    if (n >= SAMPLE_FROM) {
      const [below, above] = sampleWindow(n, k - left + 1);
      const lo = Math.max(left, Math.min(k, k - below));
      const hi = Math.min(right, Math.max(k, k + above));
      selectRange(a, k, lo, hi, defaultBudget(hi - lo + 1));
    }
    // Partition around t = a[k]; afterwards a[left..j−1] ≤ t = a[j] ≤ a[j+1..right].
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else swap(a, ++j, right);
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/**
 * How far below and above k to sample in a range of n where k is the m-th
 * (1-based): Floyd & Rivest's s = n^(2/3)/2 values, shifted by
 * sd = √(ln n · s)/2 towards the end k is nearer. In integers (ln n ≈ 0.69
 * bits): only the speed depends on it, never the answer.
 */
function sampleWindow(n: number, m: number): [number, number] {
  const c = integerRoot(n, 3);
  const s = (c * c) >> 1;
  const bits = 32 - Math.clz32(n);
  const sd = (integerRoot(Math.floor((bits * 69 * s) / 100), 2) >> 1) * (2 * m < n ? -1 : 1);
  return [Math.floor((m * s) / n) - sd, Math.floor(((n - m) * s) / n) + sd];
}

/** ⌊x^(1/p)⌋ for 0 ≤ x < 2^31, p = 2 or 3, by bisection. */
function integerRoot(x: number, p: 2 | 3): number {
  let lo = 0;
  let hi = p === 2 ? 46341 : 1291;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((p === 2 ? mid * mid : mid * mid * mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
