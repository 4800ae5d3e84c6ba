import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { PERCENTILE_METHODS, percentOf, rankIndex, type PercentileMethod } from '../../../domain/pricing/percentile/rank-index';

const p95 = percentOf(new Decimal('95'));
const at = (method: PercentileMethod, n: number, p = p95) => rankIndex(method, p, n);

describe('rankIndex: worked examples at the 95th (0-based ascending index)', () => {
  // Columns: nearest_rank ⌈.95n⌉−1 | rrdtool round(.95(n−1)) | librenms_legacy round(.95n)−1 | librenms round(.95n)−2 | cacti n−1−⌈.05n⌉
  it.each([
    // n = 1: ⌈0.95⌉−1 = 0 | round(0) = 0 | round(0.95)−1 = 0 | 1−2 = −1 → 0 | 0−⌈0.05⌉ = −1 → 0
    [1, 0, 0, 0, 0, 0],
    // n = 2: ⌈1.9⌉−1 = 1 | round(0.95) = 1 | round(1.9)−1 = 1 | 2−2 = 0 | 1−⌈0.1⌉ = 0
    [2, 1, 1, 1, 0, 0],
    // n = 20: ⌈19⌉−1 = 18 | round(18.05) = 18 | 19−1 = 18 | 17 | 19−⌈1⌉ = 18
    [20, 18, 18, 18, 17, 18],
    // n = 100: 95−1 = 94 | round(94.05) = 94 | 94 | 93 | 99−5 = 94
    [100, 94, 94, 94, 93, 94],
    // n = 230: ⌈218.5⌉−1 = 218 | round(217.55) = 218 | round(218.5)−1 = 219−1 = 218 | 217 | 229−⌈11.5⌉ = 217
    [230, 218, 218, 218, 217, 217],
    // n = 8,064 (28 days): ⌈7660.8⌉−1 = 7660 | round(7659.85) = 7660 | 7661−1 = 7660 | 7659 | 8063−⌈403.2⌉ = 7659
    [8064, 7660, 7660, 7660, 7659, 7659],
    // n = 8,352 (29 days): ⌈7934.4⌉−1 = 7934 | round(7933.45) = 7933 | round(7934.4)−1 = 7933 | 7932 | 8351−⌈417.6⌉ = 7933
    [8352, 7934, 7933, 7933, 7932, 7933],
    // n = 8,640 (30 days): 8208−1 = 8207 | round(8207.05) = 8207 | 8208−1 = 8207 | 8206 | 8639−432 = 8207
    [8640, 8207, 8207, 8207, 8206, 8207],
    // n = 8,928 (31 days): ⌈8481.6⌉−1 = 8481 | round(8480.65) = 8481 | round(8481.6)−1 = 8481 | 8480 | 8927−⌈446.4⌉ = 8480
    [8928, 8481, 8481, 8481, 8480, 8480],
  ])('n = %i', (n, nearest, rrd, legacy, librenms, cacti) => {
    expect(at('nearest_rank', n)).toBe(nearest);
    expect(at('rrdtool', n)).toBe(rrd);
    expect(at('rrdtool_nan', n)).toBe(rrd);
    expect(at('librenms_legacy', n)).toBe(legacy);
    expect(at('librenms', n)).toBe(librenms);
    expect(at('cacti', n)).toBe(cacti);
  });

  it('agrees with PHP, not with JS floats, for n = 230', () => {
    // 230/100*95 is 218.49999999999997 in binary floating point, so JS rounds it down.
    expect(Math.round((230 / 100) * 95) - 1).toBe(217);
    expect(at('librenms_legacy', 230)).toBe(218);
  });

  it('handles a percentile with decimals: 95.5 at n = 8,640', () => {
    const p = percentOf(new Decimal('95.5'));
    // ⌈8251.2⌉−1 = 8251 | round(0.955·8639 = 8250.245) = 8250 | round(8251.2)−1 = 8250 | 8249 | 8639−⌈388.8⌉ = 8250
    expect(PERCENTILE_METHODS.map((m) => rankIndex(m, p, 8640))).toEqual([8251, 8250, 8250, 8250, 8249, 8250]);
  });

  it('picks the highest sample at the 100th, for every method that can reach it', () => {
    const p100 = percentOf(new Decimal('100'));
    for (const method of ['nearest_rank', 'rrdtool', 'librenms_legacy', 'cacti'] as const) expect(rankIndex(method, p100, 8640)).toBe(8639);
    expect(rankIndex('librenms', p100, 8640)).toBe(8638);
  });

  it('refuses percentiles outside (0, 100] and empty sample sets', () => {
    expect(() => percentOf(new Decimal('0'))).toThrow(RangeError);
    expect(() => percentOf(new Decimal('100.01'))).toThrow(RangeError);
    expect(() => rankIndex('nearest_rank', p95, 0)).toThrow(/at least one sample/);
  });
});

/** The definitions again, on decimals (exact at these sizes with 40 digits), as an independent check. */
function reference(method: PercentileMethod, p: Decimal, n: number): number {
  const share = p.dividedBy(100);
  const halfUp = (d: Decimal) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  const raw = {
    nearest_rank: () => share.times(n).ceil().toNumber() - 1,
    rrdtool: () => halfUp(share.times(n - 1)),
    rrdtool_nan: () => halfUp(share.times(n - 1)),
    librenms_legacy: () => halfUp(share.times(n)) - 1,
    librenms: () => halfUp(share.times(n)) - 2,
    cacti: () => n - 1 - new Decimal(1).minus(share).times(n).ceil().toNumber(),
  }[method]();
  return Math.max(0, raw);
}

describe('rankIndex matches the decimal definition (property)', () => {
  it('for any method, n in 1..100,000 and p with up to 3 decimals', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PERCENTILE_METHODS),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }).map((thousandths) => new Decimal(thousandths).dividedBy(1000)),
        (method, n, p) => {
          expect(rankIndex(method, percentOf(p), n)).toBe(reference(method, p, n));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('for every n in 1..100,000 at the 95th', () => {
    const p = new Decimal(95);
    for (const method of PERCENTILE_METHODS) {
      for (let n = 1; n <= 100_000; n++) {
        if (rankIndex(method, p95, n) !== reference(method, p, n)) throw new Error(`${method} disagrees at n = ${n}`);
      }
    }
  });
});
