import fc from 'fast-check';
import { percentileLine } from '../../../domain/metering/percentile-line';
import { combinedCommit, commitReferenceOf, levelsReached, levelsToAnnounce } from '../../../domain/metering/thresholds';
import { Decimal } from '../../../domain/money/decimal';
import { priceModelSchema } from '../../../domain/pricing/price-model';

const d = (v: string | number) => new Decimal(v);
const texts = (values: Decimal[]) => values.map((v) => v.toFixed());

describe('levelsReached', () => {
  const percents = [d(100), d(50), d(80)];

  it('reaches a level exactly at reference × percent / 100, lowest first', () => {
    // Budget 5000: 50 % is 2500, 80 % is 4000, 100 % is 5000.
    expect(texts(levelsReached(percents, d(5000), d('2499.99')))).toEqual([]);
    expect(texts(levelsReached(percents, d(5000), d(2500)))).toEqual(['50']);
    expect(texts(levelsReached(percents, d(5000), d('3999.99')))).toEqual(['50']);
    expect(texts(levelsReached(percents, d(5000), d(4000)))).toEqual(['50', '80']);
    expect(texts(levelsReached(percents, d(5000), d(5000)))).toEqual(['50', '80', '100']);
  });

  it('compares exactly, without dividing: a third of the reference is not 33.33 %', () => {
    expect(texts(levelsReached([d('33.33'), d('33.34')], d(3), d(1)))).toEqual(['33.33']);
  });

  it('warns about overage with levels above 100', () => {
    expect(texts(levelsReached([d(100), d(150), d(1000)], d(200), d(300)))).toEqual(['100', '150']);
  });

  it('refuses a reference that is not positive', () => {
    expect(() => levelsReached(percents, d(0), d(1))).toThrow(RangeError);
  });
});

describe('levelsToAnnounce', () => {
  it('leaves out what the period already announced, whatever its notation', () => {
    const announce = levelsToAnnounce({ percents: [d(50), d(80), d(100)], reference: d(1000), observed: d(850), announced: [d('50.0')] });
    expect(texts(announce)).toEqual(['80']);
  });

  it('announces every level exactly once as usage grows, however it grows', () => {
    const percent = fc.integer({ min: 1, max: 100_000 }).map((n) => d(n).dividedBy(100));
    fc.assert(
      fc.property(
        fc.uniqueArray(percent, { minLength: 1, maxLength: 10, selector: (p) => p.toFixed() }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 30 }),
        (levels, reference, increments) => {
          const announced: Decimal[] = [];
          let observed = d(0);
          for (const step of increments) {
            observed = observed.plus(step);
            announced.push(...levelsToAnnounce({ percents: levels, reference: d(reference), observed, announced }));
          }
          // No level twice, and exactly the levels the final usage reaches (computed here by division).
          expect(new Set(texts(announced)).size).toBe(announced.length);
          const expected = levels.filter((p) => observed.dividedBy(reference).times(100).greaterThanOrEqualTo(p)).map((p) => p.toFixed());
          expect(texts(announced).sort()).toEqual(expected.sort());
        },
      ),
    );
  });
});

describe('commitReferenceOf: the commit of a usage charge in the metric unit', () => {
  const price = (model: unknown, included?: string) => ({ model: priceModelSchema.parse(model), includedQuantity: included === undefined ? undefined : d(included) });

  it('a burstable port commits commit_mbps, in bit/s', () => {
    const ref = commitReferenceOf(price({ model: 'percentile', commit_mbps: '250', commit_price: '1.50', burst_price: '2.00' }));
    expect(ref).toEqual({ ok: true, value: d(250_000_000), source: 'commit_mbps', unit: 'bit/s' });
  });

  it('committed power commits its kW', () => {
    const ref = commitReferenceOf(price({ model: 'committed_kw', committed_kw: '5.5', price_per_kw: '150', overage_price_per_kw: '200' }));
    expect(ref).toEqual({ ok: true, value: d('5.5'), source: 'committed_kw', unit: 'kW' });
  });

  it('any other charge commits its included quantity', () => {
    const ref = commitReferenceOf(price({ model: 'per_unit', unit_price: '0.05' }, '1000'));
    expect(ref).toEqual({ ok: true, value: d(1000), source: 'included_quantity', unit: 'metric unit' });
  });

  it('refuses a charge with nothing committed', () => {
    expect(commitReferenceOf(price({ model: 'per_unit', unit_price: '0.05' }))).toEqual({ ok: false, reason: 'its per_unit price has no commit and the charge includes no quantity' });
    expect(commitReferenceOf(price({ model: 'per_unit', unit_price: '0.05' }, '0')).ok).toBe(false);
    expect(commitReferenceOf(price({ model: 'percentile', commit_mbps: '0', commit_price: '0', burst_price: '2' }))).toEqual({ ok: false, reason: 'its percentile price commits 0 Mbps' });
  });

  it('several charges on the metric commit their sum; none, or one without a commit, is refused', () => {
    const a = commitReferenceOf(price({ model: 'per_unit', unit_price: '1' }, '100'));
    const b = commitReferenceOf(price({ model: 'graduated', tiers: [{ up_to: null, unit_price: '1' }] }, '250'));
    expect(combinedCommit([a, b])).toEqual({ ok: true, value: d(350), source: 'included_quantity', unit: 'metric unit' });
    expect(combinedCommit([]).ok).toBe(false);
    expect(combinedCommit([a, commitReferenceOf(price({ model: 'per_unit', unit_price: '1' }))]).ok).toBe(false);
    const kw = commitReferenceOf(price({ model: 'committed_kw', committed_kw: '5', price_per_kw: '1', overage_price_per_kw: '1' }));
    expect(combinedCommit([a, kw])).toEqual({ ok: false, reason: 'its charges commit in different units (metric unit, kW)' });
  });
});

describe('percentileLine: the line over pooled samples, by the charge convention', () => {
  const convention = { percentile: d(95), method: 'nearest_rank' as const, direction: 'max_of_in_out' as const, missing: 'drop' as const };
  // 20 slots: in = 1..20 Mbps, out = twice that, slot 7 unknown inbound.
  const inRates: Array<number | null> = Array.from({ length: 20 }, (_, i) => (i + 1) * 1_000_000);
  const outRates: Array<number | null> = inRates.map((v) => v! * 2);
  inRates[6] = null;

  /** Nearest rank computed here: the ⌈0.95·n⌉-th smallest. */
  const nearest = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil((95 * values.length) / 100) - 1]!;

  it('ranks in and out on their own and bills the higher, dropping unknown slots', () => {
    const line = percentileLine(inRates, outRates, convention);
    const known = inRates.map((v, i) => (v === null ? null : i)).filter((i): i is number => i !== null);
    expect(line.in).toBe(nearest(known.map((i) => inRates[i]!)));
    expect(line.out).toBe(nearest(outRates as number[]));
    // max_of_in_out pools only slots where both are known: 19 slots.
    expect(line.billed).toBe(Math.max(nearest(known.map((i) => inRates[i]!)), nearest(known.map((i) => outRates[i]!))));
    // ⌈0.95 × 19⌉ = 19: with 19 known slots the 95th is the highest, out's 40 Mbps.
    expect(line.billed).toBe(40_000_000);
    expect({ known: line.known, slots: line.slots }).toEqual({ known: 19, slots: 20 });
  });

  it('rrdtool counts unknown slots as zero; aggregate adds in and out', () => {
    const rrd = percentileLine(inRates, outRates, { ...convention, method: 'rrdtool', missing: 'zero', direction: 'aggregate' });
    // Slot 7 counts as 0; rrdtool's index is round(0.95 × 19) = 18 of the 20 ascending sums.
    const sums = inRates.map((v, i) => (v === null ? 0 : v + outRates[i]!)).sort((a, b) => a - b);
    expect(rrd.billed).toBe(sums[18]);
    expect(rrd.known).toBe(19);
  });

  it('has no line without a known slot', () => {
    expect(percentileLine([null, null], [null, 5], convention)).toEqual({ in: null, out: 5, billed: null, known: 0, slots: 2 });
    expect(percentileLine([], [], convention)).toEqual({ in: null, out: null, billed: null, known: 0, slots: 0 });
  });
});
