/**
 * The k-th smallest value (0-based) of an array in O(n) on average: Hoare's
 * FIND (quickselect) with a median-of-three pivot. A month of 8,640 samples
 * needs one selection per direction instead of a full O(n log n) sort. If
 * partitioning stops shrinking the range fast enough (an adversarial order),
 * it sorts what is left, so the worst case is O(n log n), never O(n²)
 * ("introselect"). The answer equals `sorted[k]` for any input, duplicates
 * included.
 */
export function selectInPlace(values: Float64Array, k: number, partitions = defaultBudget(values.length)): number {
  if (!Number.isInteger(k) || k < 0 || k >= values.length) throw new RangeError(`rank ${k} is outside 0..${values.length - 1}`);
  let lo = 0;
  let hi = values.length - 1;
  let budget = partitions;
  while (hi > lo) {
    if (budget-- === 0) {
      values.subarray(lo, hi + 1).sort();
      return values[k]!;
    }
    const pivot = medianOfThree(values, lo, (lo + hi) >>> 1, hi);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    // Now values[lo..j] ≤ pivot ≤ values[i..hi], and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** About two partitions per halving of n before the fallback sort; tests pass a small budget to exercise it. */
function defaultBudget(n: number): number {
  return 2 * (32 - Math.clz32(n)) + 4;
}

/** Like `selectInPlace`, on a copy, leaving the caller's array untouched. */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  return selectInPlace(Float64Array.from(values), k);
}

function medianOfThree(v: Float64Array, a: number, b: number, c: number): number {
  const x = v[a]!;
  const y = v[b]!;
  const z = v[c]!;
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
