import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import type { BandwidthInput, PortSamples } from '../../../domain/pricing/inputs';
import { percentileConfig, ratePercentile } from '../../../domain/pricing/models/percentile';
import { BandwidthInputError, DIRECTIONS } from '../../../domain/pricing/percentile/combine';
import { PERCENTILE_METHODS } from '../../../domain/pricing/percentile/rank-index';
import { priceModelSchema, rate } from '../../../domain/pricing/price-model';

const MBPS = 1_000_000;
const config = (fields: Record<string, unknown> = {}) =>
  percentileConfig.parse({ model: 'percentile', commit_mbps: '200', commit_price: '2.50', burst_price: '4.00', ...fields });
const toBits = (mbps: ReadonlyArray<number | null>) => mbps.map((v) => (v === null ? null : v * MBPS));
const port = (portId: string, inMbps: ReadonlyArray<number | null>, outMbps: ReadonlyArray<number | null> = inMbps.map(() => 0)): PortSamples => ({
  portId,
  in: toBits(inMbps),
  out: toBits(outMbps),
});
const bandwidth = (...ports: PortSamples[]): BandwidthInput => ({ kind: 'bandwidth', ports });

/** Deterministic shuffle (mulberry32), so a failure reproduces. */
function shuffled<T>(values: T[], seed = 42): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('percentile model: a month of samples', () => {
  it('bills a 1 Gbps port committed at 200 Mbps with a 237.5 Mbps 95th', () => {
    // 8,207 slots at 100 Mbps, one at 237.5, the top 432 (5 %) at 900: index ⌈0.95·8640⌉−1 = 8207 is the 237.5.
    const month = shuffled([...Array<number>(8207).fill(100), 237.5, ...Array<number>(432).fill(900)]);
    const rating = ratePercentile(config({ port_speed_mbps: '1000', expected_slots: 8640 }), bandwidth(port('xe-0/0/1', month)));
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed(2)])).toEqual([
      ['Committed 200 Mbps at 2.50', '500.00'], // 200 × 2.50
      ['Burst 37.5 Mbps above commit at 4.00', '150.00'], // (237.5 − 200) × 4.00
    ]);
    expect(rating.amount.toFixed(2)).toBe('650.00');
    expect(rating.quantity?.toFixed()).toBe('237.5');
    expect(rating.details).toMatchObject({
      method: 'nearest_rank',
      direction: 'max_of_in_out',
      percentile: '95',
      missing_samples: 'drop',
      samples_total: 8640,
      samples_known: 8640,
      samples_unknown: 0,
      rank_index: 8207,
      slots_discarded: 432,
      p95_in_mbps: '237.5',
      p95_out_mbps: '0',
      billed_mbps: '237.5',
      commit_mbps: '200',
      capped_at_port_speed: false,
      data_completeness_percent: '100',
    });
  });

  it.each([
    // samples 1..8640 Mbps: the value at index i is i + 1.
    [8640, 'nearest_rank', 8208], // ⌈8208⌉ − 1 = 8207
    [8640, 'rrdtool', 8208], // round(0.95·8639 = 8207.05) = 8207
    [8640, 'librenms_legacy', 8208],
    [8640, 'librenms', 8207], // one rank lower
    [8640, 'cacti', 8208], // 8639 − ⌈432⌉ = 8207
    // samples 1..8928 Mbps (31 days)
    [8928, 'nearest_rank', 8482], // ⌈8481.6⌉ − 1 = 8481
    [8928, 'rrdtool', 8482], // round(8480.65) = 8481
    [8928, 'librenms_legacy', 8482], // round(8481.6) − 1 = 8481
    [8928, 'librenms', 8481],
    [8928, 'cacti', 8481], // 8927 − ⌈446.4⌉ = 8480
  ])('n = %i, %s: samples 1..n Mbps shuffled bill %i Mbps', (n, method, expected) => {
    const rating = ratePercentile(config({ method, commit_mbps: '8000', commit_price: '0.50', burst_price: '0.75' }), bandwidth(port('p1', shuffled(oneTo(n)))));
    expect(rating.details?.billed_mbps).toBe(String(expected));
    // 8000 × 0.50 + (expected − 8000) × 0.75
    expect(rating.amount.toFixed(2)).toBe(new Decimal(4000).plus(new Decimal(expected - 8000).times('0.75')).toFixed(2));
  });

  it('gives different bills when unknown slots are dropped or counted as zero, and reports completeness', () => {
    // 864 of 8,640 slots unknown (10 %); the 7,776 known are 1..7776 Mbps.
    const month = shuffled([...oneTo(7776), ...Array<null>(864).fill(null)], 7);
    const input = bandwidth(port('p1', month, month.map((v) => (v === null ? null : 0))));
    const base = { commit_mbps: '7000', commit_price: '1.00', burst_price: '1.00', expected_slots: 8640 };
    const dropped = ratePercentile(config({ ...base, missing_samples: 'drop' }), input);
    // drop: n = 7776, ⌈0.95·7776 = 7387.2⌉ − 1 = 7387 → 7388 Mbps
    expect(dropped.details).toMatchObject({ billed_mbps: '7388', samples_known: 7776, samples_unknown: 864, samples_ranked: 7776, data_completeness_percent: '90' });
    const zeroed = ratePercentile(config({ ...base, missing_samples: 'zero' }), input);
    // zero: n = 8640 with 864 zeros at the bottom: index 8207 → known rank 8207 − 864 = 7343 → 7344 Mbps
    expect(zeroed.details).toMatchObject({ billed_mbps: '7344', samples_known: 7776, samples_ranked: 8640, data_completeness_percent: '90' });
    expect(dropped.amount.toFixed()).toBe('7388'); // 7000 + 388
    expect(zeroed.amount.toFixed()).toBe('7344');
    // rrdtool PERCENT counts unknown as lowest; PERCENTNAN drops: round(0.95·8639) = 8207 → 7344; round(0.95·7775 = 7386.25) = 7386 → 7387
    expect(ratePercentile(config({ ...base, method: 'rrdtool' }), input).details?.billed_mbps).toBe('7344');
    expect(ratePercentile(config({ ...base, method: 'rrdtool_nan' }), input).details?.billed_mbps).toBe('7387');
  });

  it('bills each direction mode differently on the same data', () => {
    // 20 slots, nearest rank index ⌈19⌉ − 1 = 18: the second highest value of each ranked series.
    const inMbps = [500, 400, 100, 100, ...Array<number>(16).fill(100)];
    const outMbps = [50, 50, 450, 420, ...Array<number>(16).fill(50)];
    const input = bandwidth(port('p1', inMbps, outMbps));
    const billed = (direction: string) => ratePercentile(config({ direction, commit_mbps: '100', commit_price: '1.00', burst_price: '2.00' }), input);
    // in: 500, 400 → 400 | out: 450, 420 → 420 | max_of_in_out: max(400, 420) = 420
    // per_sample_max: per slot 500, 400, 450, 420 → 450 | aggregate: 550, 450, 550, 520 → 550
    const expected = { in: ['400', '700'], out: ['420', '740'], max_of_in_out: ['420', '740'], per_sample_max: ['450', '800'], aggregate: ['550', '1000'] };
    for (const direction of DIRECTIONS) {
      const rating = billed(direction);
      expect([rating.details?.billed_mbps, rating.amount.toFixed()]).toEqual(expected[direction]); // 100 × 1 + (rate − 100) × 2
    }
    expect(billed('max_of_in_out').details).toMatchObject({ p95_in_mbps: '400', p95_out_mbps: '420' });
  });

  it('caps the billed rate at the port speed', () => {
    // 19 slots at 1,200 Mbps and one at 100: the 95th (index 18) is 1,200, above the 1 Gbps port.
    const rating = ratePercentile(config({ port_speed_mbps: '1000' }), bandwidth(port('p1', [100, ...Array<number>(19).fill(1200)])));
    expect(rating.lines[1]?.description).toBe('Burst 800 Mbps above commit at 4.00 (capped at the 1000 Mbps port speed)');
    expect(rating.amount.toFixed(2)).toBe('3700.00'); // 200 × 2.50 + 800 × 4.00
    expect(rating.details).toMatchObject({ p95_mbps: '1200', billed_mbps: '1000', capped_at_port_speed: true });
  });

  it('shows a zero burst line when the 95th is under the commit', () => {
    const rating = ratePercentile(config({ commit_mbps: '500' }), bandwidth(port('p1', shuffled(oneTo(100)))));
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed(2)])).toEqual([
      ['Committed 500 Mbps at 2.50', '1250.00'],
      ['Burst 0 Mbps above commit at 4.00', '0.00'],
    ]);
  });
});

describe('percentile model: pools', () => {
  // 20 slots, index 18 (second highest). A peaks in slots 0-1, B in slots 2-3, C is flat.
  const a = [500, 400, 100, 100, ...Array<number>(16).fill(100)];
  const b = [100, 100, 500, 400, ...Array<number>(16).fill(100)];
  const c = Array<number>(20).fill(50);
  const cfg = config({ direction: 'in', commit_mbps: '0', commit_price: '0', burst_price: '1' });

  it("takes the pool's 95th over the per-slot sum, not the sum of members' 95ths", () => {
    const alone = [a, b, c].map((m, i) => ratePercentile(cfg, bandwidth(port(`m${i}`, m))).details?.billed_mbps);
    expect(alone).toEqual(['400', '400', '50']); // sum of 95ths = 850
    // per-slot sums: 650, 550, 650, 550, then 250 → second highest 650
    const pool = ratePercentile(cfg, bandwidth(port('a', a), port('b', b), port('c', c)));
    expect(pool.details).toMatchObject({ ports: 3, billed_mbps: '650' });
    expect(pool.amount.toFixed()).toBe('650');
  });

  it('drops a slot when any member is unknown there, and counts it', () => {
    const gap: Array<number | null> = [null, ...a.slice(1)];
    const pool = ratePercentile(cfg, bandwidth(port('a', gap), port('b', b)));
    // slot 0 dropped; 19 left: 500, 600, 500, then 200 → index ⌈18.05⌉ − 1 = 18 = highest = 600
    expect(pool.details).toMatchObject({ samples_total: 20, samples_known: 19, samples_unknown: 1, billed_mbps: '600' });
  });
});

describe('percentile model: inputs metering must not send', () => {
  const cfg = config();
  it.each<[string, BandwidthInput, RegExp]>([
    ['no ports', bandwidth(), /no ports/],
    ['in and out of different lengths', bandwidth({ portId: 'p1', in: [1, 2], out: [1] }), /p1 has 2 in samples but 1 out/],
    ['ports of different lengths', bandwidth(port('p1', [1, 2]), port('p2', [1])), /p2 has 1 slots but port p1 has 2/],
    ['a port twice', bandwidth(port('p1', [1]), port('p1', [1])), /p1 appears twice/],
    ['a fractional rate', bandwidth({ portId: 'p1', in: [1.5], out: [0] }), /p1 in slot 0: 1.5 is not a whole/],
    ['a negative rate', bandwidth({ portId: 'p1', in: [0], out: [-8] }), /p1 out slot 0: -8/],
    ['no known sample', bandwidth(port('p1', [null, null])), /no known sample in 2 slots/],
  ])('refuses %s', (_name, input, message) => {
    expect(() => ratePercentile(cfg, input)).toThrow(BandwidthInputError);
    expect(() => ratePercentile(cfg, input)).toThrow(message);
  });

  it('refuses more slots than the period has', () => {
    expect(() => ratePercentile(config({ expected_slots: 2 }), bandwidth(port('p1', [1, 2, 3])))).toThrow(/3 slots but the period has 2/);
  });
});

describe('percentile config validation', () => {
  const issues = (fields: Record<string, unknown>) =>
    percentileConfig.safeParse({ model: 'percentile', commit_mbps: '200', commit_price: '2.50', burst_price: '4.00', ...fields }).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

  it('defaults to the nearest-rank 95th of max(in, out), dropping unknown samples', () => {
    expect(config()).toMatchObject({ method: 'nearest_rank', direction: 'max_of_in_out', missing_samples: 'drop' });
    expect(config().percentile.toFixed()).toBe('95');
    expect(config({ method: 'rrdtool' }).missing_samples).toBe('zero');
  });

  it.each(['0', '-5', '100.5'])('rejects percentile %s', (p) => {
    expect(issues({ percentile: p })).toEqual([['percentile', 'must be greater than 0 and at most 100']]);
  });

  it('accepts percentile 100 and 95.5', () => {
    expect(issues({ percentile: '100' })).toEqual([]);
    expect(issues({ percentile: '95.5' })).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    const found = issues({ commit_price: '-1', burst_price: '-0.5', commit_mbps: '2000', port_speed_mbps: '1000', method: 'p95', percentile: '101' });
    expect(found.map(([path]) => path).sort()).toEqual(['burst_price', 'commit_mbps', 'commit_price', 'method', 'percentile']);
    expect(found).toContainEqual(['commit_mbps', 'commit 2000 Mbps exceeds the port speed 1000 Mbps']);
    expect(found).toContainEqual(['commit_price', 'must not be negative']);
  });

  it('rejects a missing-sample rule that contradicts the rrdtool function named', () => {
    expect(issues({ method: 'rrdtool', missing_samples: 'drop' })[0]?.[0]).toBe('missing_samples');
    expect(issues({ method: 'rrdtool_nan', missing_samples: 'zero' })[0]?.[0]).toBe('missing_samples');
  });

  it('rejects unknown fields, float prices and a bad expected_slots', () => {
    expect(issues({ burst: '1' })[0]?.[1]).toMatch(/Unrecognized key/);
    expect(issues({ commit_price: 2.5 })[0]?.[0]).toBe('commit_price');
    expect(issues({ expected_slots: 0 })[0]?.[0]).toBe('expected_slots');
  });

  it('is dispatched by the price-model union', () => {
    const parsed = priceModelSchema.parse({ model: 'percentile', commit_mbps: '10', commit_price: '1', burst_price: '2' });
    expect(rate(parsed, bandwidth(port('p1', [5, 20]))).amount.toFixed()).toBe('30'); // 10 × 1 + (20 − 10) × 2
  });
});

/** The whole model against a naive version: build every slot, filter, full sort, decimal index. */
describe('percentile model equals a full-sort reference (property)', () => {
  const slotValue = (ports: PortSamples[], s: number, direction: string): number | null => {
    const pick = (d: 'in' | 'out') => ports.reduce<number | null>((acc, p) => (acc === null || p[d][s] == null ? null : acc + p[d][s]!), 0);
    const i = pick('in');
    const o = pick('out');
    if (direction === 'in') return i;
    if (direction === 'out') return o;
    if (i === null || o === null) return null;
    return direction === 'aggregate' ? i + o : Math.max(i, o);
  };
  const referenceIndex = (method: string, n: number) => {
    const x = new Decimal(95).times(n).dividedBy(100);
    const y = new Decimal(95).times(n - 1).dividedBy(100);
    const raw: Record<string, number> = {
      nearest_rank: x.ceil().toNumber() - 1,
      rrdtool: y.toDecimalPlaces(0).toNumber(),
      rrdtool_nan: y.toDecimalPlaces(0).toNumber(),
      librenms_legacy: x.toDecimalPlaces(0).toNumber() - 1,
      librenms: x.toDecimalPlaces(0).toNumber() - 2,
      cacti: n - 1 - new Decimal(5).times(n).dividedBy(100).ceil().toNumber(),
    };
    return Math.max(0, raw[method]!);
  };

  it('for any ports, gaps, method and direction', () => {
    const sample = fc.option(fc.integer({ min: 0, max: 10_000_000_000 }), { freq: 8 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.array(fc.record({ in: fc.array(sample, { minLength: n, maxLength: n }), out: fc.array(sample, { minLength: n, maxLength: n }) }), { minLength: 1, maxLength: 3 })),
        fc.constantFrom(...PERCENTILE_METHODS),
        fc.constantFrom(...DIRECTIONS),
        (raw, method, direction) => {
          const ports = raw.map((r, i) => ({ portId: `p${i}`, in: r.in, out: r.out }));
          const missing = method === 'rrdtool' ? 'zero' : 'drop';
          // A slot counts only if every reading the direction needs is known (for max_of_in_out: in and out).
          const needs = direction === 'max_of_in_out' ? 'aggregate' : direction;
          const rank = (d: string) => {
            const values = Array.from({ length: raw[0]!.in.length }, (_, s) => (slotValue(ports, s, needs) === null ? null : slotValue(ports, s, d)));
            const kept = (missing === 'zero' ? values.map((v) => v ?? 0) : values.filter((v): v is number => v !== null)).sort((x, y) => x - y);
            return kept.length === 0 ? null : kept[referenceIndex(method, kept.length)]!;
          };
          const ranks = direction === 'max_of_in_out' ? [rank('in'), rank('out')] : [rank(direction)];
          const cfg = config({ method, direction, commit_mbps: '0', commit_price: '0', burst_price: '1' });
          if (ranks[0] === null) {
            expect(() => ratePercentile(cfg, bandwidth(...ports))).toThrow(/no known sample/);
            return;
          }
          const expected = new Decimal(Math.max(...(ranks as number[]))).dividedBy(MBPS);
          expect(ratePercentile(cfg, bandwidth(...ports)).amount.toFixed()).toBe(expected.toFixed());
        },
      ),
      { numRuns: 1500 },
    );
  });
});
