import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { graduatedConfig, rateGraduated } from '../../../domain/pricing/models/graduated';
import { perUnitConfig, ratePerUnit } from '../../../domain/pricing/models/per-unit';

const d = (v: string) => new Decimal(v);
const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });

// Transit bandwidth: (0, 100] at 0.10; (100, 500] at 0.08 + 5.00 on entry; over 500 at 0.05 + 10.00 on entry.
const transit = graduatedConfig.parse({
  model: 'graduated',
  unit_label: 'GB',
  tiers: [
    { up_to: '100', unit_price: '0.10' },
    { up_to: '500', unit_price: '0.08', flat_fee: '5.00' },
    { up_to: null, unit_price: '0.05', flat_fee: '10.00' },
  ],
});

describe('graduated pricing at every tier boundary', () => {
  it.each([
    // nothing enters tier 1
    ['0', '0'],
    // 1 × 0.10
    ['1', '0.1'],
    // 100 × 0.10, still tier 1 (up_to is inclusive)
    ['100', '10'],
    // 10.00 + 0.000000000001 × 0.08 + 5.00 (tier 2 entered)
    ['100.000000000001', '15.00000000000008'],
    // 10.00 + 400 × 0.08 + 5.00
    ['500', '47'],
    // 47.00 + 0.000000000001 × 0.05 + 10.00 (tier 3 entered)
    ['500.000000000001', '57.00000000000005'],
    // 47.00 + 100 × 0.05 + 10.00
    ['600', '62'],
    // 47.00 + 999,500 × 0.05 + 10.00 = 47 + 49,975 + 10
    ['1000000', '50032'],
    // 57.00 + 999999999999499.999999999999 × 0.05, the largest catalogue quantity, exactly
    ['999999999999999.999999999999', '50000000000031.99999999999995'],
  ])('%s GB costs %s', (q, expected) => {
    const rating = rateGraduated(transit, quantity(q));
    expect(rating.amount.toFixed()).toBe(expected);
    expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
    expect(rating.unitPrice).toBeNull();
  });

  it('reads as tiers on the invoice, with fees on their own lines', () => {
    const lines = rateGraduated(transit, quantity('600')).lines;
    expect(lines.map((l) => [l.description, l.quantity?.toFixed() ?? null, l.amount.toFixed()])).toEqual([
      ['Tier 1: 1–100 GB at 0.10', '100', '10'],
      ['Tier 2: 101–500 GB at 0.08', '400', '32'],
      ['Tier 2: 101–500 GB: flat fee', null, '5'],
      ['Tier 3: over 500 GB at 0.05', '100', '5'],
      ['Tier 3: over 500 GB: flat fee', null, '10'],
    ]);
    expect(lines.map((l) => l.tier && [l.tier.index, l.tier.from.toFixed(), l.tier.to?.toFixed() ?? null])).toEqual([
      [0, '0', '100'],
      [1, '100', '500'],
      [1, '100', '500'],
      [2, '500', null],
      [2, '500', null],
    ]);
  });

  it('shows zero usage as one zero line for the first tier, with no fee', () => {
    const rating = rateGraduated(transit, quantity('0'));
    expect(rating.lines).toHaveLength(1);
    expect(rating.lines[0]).toMatchObject({ description: 'Tier 1: 1–100 GB at 0.10', tier: { index: 0 } });
    expect(rating.lines[0]?.amount.isZero()).toBe(true);
  });

  it('names fractional bounds exactly', () => {
    const config = graduatedConfig.parse({
      model: 'graduated',
      unit_label: 'TB',
      tiers: [
        { up_to: '0.5', unit_price: '20' },
        { up_to: '2.5', unit_price: '15' },
        { up_to: null, unit_price: '10' },
      ],
    });
    // 0.5 × 20 + 2 × 15 + 0.5 × 10 = 10 + 30 + 5
    const rating = rateGraduated(config, quantity('3'));
    expect(rating.amount.toFixed()).toBe('45');
    expect(rating.lines.map((l) => l.description)).toEqual([
      'Tier 1: up to 0.5 TB at 20.00',
      'Tier 2: over 0.5 up to 2.5 TB at 15.00',
      'Tier 3: over 2.5 TB at 10.00',
    ]);
  });

  it('refuses a negative quantity', () => {
    expect(() => rateGraduated(transit, quantity('-1'))).toThrow(RangeError);
  });
});

/** Random valid tier lists: 1–5 tiers with rising whole or fractional bounds, optional fees. */
const unitPriceTiersArb = fc
  .uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 9n }), { maxLength: 4 })
  .chain((bounds) => {
    const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((b) => new Decimal(b.toString()).dividedBy(1000).toFixed());
    const price = fc.bigInt({ min: 0n, max: 10n ** 8n }).map((p) => new Decimal(p.toString()).dividedBy(1_000_000).toFixed());
    const tier = fc.record({ unit_price: price, flat_fee: fc.option(price, { nil: undefined }) });
    return fc.array(tier, { minLength: sorted.length + 1, maxLength: sorted.length + 1 }).map((tiers) =>
      tiers.map((t, i) => ({ up_to: sorted[i] ?? null, unit_price: t.unit_price, ...(t.flat_fee ? { flat_fee: t.flat_fee } : {}) })),
    );
  });
const quantityArb = fc.bigInt({ min: 0n, max: 10n ** 13n }).map((q) => new Decimal(q.toString()).dividedBy(1000));

describe('graduated pricing properties', () => {
  it('breakdown always sums to the total', () => {
    fc.assert(
      fc.property(unitPriceTiersArb, quantityArb, (tiers, q) => {
        const rating = rateGraduated(graduatedConfig.parse({ model: 'graduated', tiers }), quantity(q));
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
        expect(sum(rating.lines.map((l) => (l.quantity ?? new Decimal(0)))).equals(q)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never decreases as the quantity grows', () => {
    fc.assert(
      fc.property(unitPriceTiersArb, quantityArb, quantityArb, (tiers, a, b) => {
        const config = graduatedConfig.parse({ model: 'graduated', tiers });
        const [low, high] = a.lessThanOrEqualTo(b) ? [a, b] : [b, a];
        expect(rateGraduated(config, quantity(low)).amount.lessThanOrEqualTo(rateGraduated(config, quantity(high)).amount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('per-unit charges never decrease either, and are quantity × price', () => {
    const priceArb = fc.bigInt({ min: 0n, max: 10n ** 8n }).map((p) => new Decimal(p.toString()).dividedBy(1_000_000).toFixed());
    fc.assert(
      fc.property(priceArb, quantityArb, quantityArb, (price, a, b) => {
        const config = perUnitConfig.parse({ model: 'per_unit', unit_price: price });
        const [low, high] = a.lessThanOrEqualTo(b) ? [a, b] : [b, a];
        const highRating = ratePerUnit(config, quantity(high));
        expect(ratePerUnit(config, quantity(low)).amount.lessThanOrEqualTo(highRating.amount)).toBe(true);
        expect(highRating.amount.equals(high.times(d(price)))).toBe(true);
      }),
    );
  });
});
