import fc from 'fast-check';
import { kthSmallest, selectInPlace } from '../../../domain/pricing/percentile/select';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('kthSmallest', () => {
  it('equals the full sort at every rank, duplicates included (property)', () => {
    fc.assert(
      fc.property(
        // Small ranges force many duplicates; large ones look like bit/s rates.
        fc.oneof(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 400 }), fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 400 })),
        fc.nat(),
        (values, seed) => {
          const k = seed % values.length;
          expect(kthSmallest(values, k)).toBe(sorted(values)[k]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('equals the full sort on ranges long enough to be sampled first (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 600, maxLength: 4000 }), fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 600, maxLength: 4000 })),
        fc.nat(),
        fc.boolean(),
        (values, seed, nearTop) => {
          // Half the runs ask for ranks in the top 10 %, where the 95th lives.
          const k = nearTop ? values.length - 1 - (seed % Math.ceil(values.length / 10)) : seed % values.length;
          expect(kthSmallest(values, k)).toBe(sorted(values)[k]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('still equals the full sort when the partition budget runs out and the rest is sorted (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 2000 }), fc.nat(), fc.integer({ min: 0, max: 3 }), (values, seed, budget) => {
        const k = seed % values.length;
        expect(selectInPlace(Float64Array.from(values), k, budget)).toBe(sorted(values)[k]);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves the caller array untouched', () => {
    const values = [5, 1, 4, 2, 3];
    expect(kthSmallest(values, 1)).toBe(2);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it.each([
    ['ascending', (i: number) => i],
    ['descending', (i: number) => 100_000 - i],
    ['all equal', () => 7],
    ['organ pipe', (i: number) => (i < 50_000 ? i : 100_000 - i)],
    ['sawtooth', (i: number) => i % 97],
  ])('is right on %s input of 100,000 values (orders that defeat naive pivots)', (_name, f) => {
    const values = Array.from({ length: 100_000 }, (_, i) => f(i));
    const reference = sorted(values);
    for (const k of [0, 1, 94_999, 95_000, 99_999]) expect(kthSmallest(values, k)).toBe(reference[k]);
  });

  it('works in place on a typed array, leaving it a permutation of the input', () => {
    const values = Float64Array.from([9, 3, 7, 3, 1, 8]);
    expect(selectInPlace(values, 3)).toBe(7);
    expect(Array.from(values).sort((a, b) => a - b)).toEqual([1, 3, 3, 7, 8, 9]);
  });

  it('refuses a rank outside the array', () => {
    expect(() => kthSmallest([], 0)).toThrow(RangeError);
    expect(() => kthSmallest([1, 2], 2)).toThrow(RangeError);
    expect(() => kthSmallest([1, 2], 0.5)).toThrow(RangeError);
  });
});
