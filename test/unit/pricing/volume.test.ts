import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { rateVolume, volumeConfig } from '../../../domain/pricing/models/volume';

const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });

// Transit bandwidth: (0, 100] at 0.10; (100, 500] at 0.08 + 5.00; over 500 at 0.05 + 10.00. Every unit at the landing tier's price.
const transit = volumeConfig.parse({
  model: 'volume',
  unit_label: 'GB',
  tiers: [
    { up_to: '100', unit_price: '0.10' },
    { up_to: '500', unit_price: '0.08', flat_fee: '5.00' },
    { up_to: null, unit_price: '0.05', flat_fee: '10.00' },
  ],
});

describe('volume pricing at every tier boundary', () => {
  it.each([
    // lands in no tier: 0 × 0.10, no fee
    ['0', '0', '0.1', 1],
    // 1 × 0.10
    ['1', '0.1', '0.1', 1],
    // 100 × 0.10 (up_to is inclusive)
    ['100', '10', '0.1', 1],
    // 100.000000000001 × 0.08 + 5.00 = 8.00000000000008 + 5
    ['100.000000000001', '13.00000000000008', '0.08', 2],
    // 500 × 0.08 + 5.00 = 40 + 5
    ['500', '45', '0.08', 2],
    // 500.000000000001 × 0.05 + 10.00 = 25.00000000000005 + 10 (cheaper than 500: the volume cliff)
    ['500.000000000001', '35.00000000000005', '0.05', 2],
    // 1,000,000 × 0.05 + 10.00
    ['1000000', '50010', '0.05', 2],
    // 999999999999999.999999999999 × 0.05 + 10.00, exactly
    ['999999999999999.999999999999', '50000000000009.99999999999995', '0.05', 2],
  ])('%s GB costs %s at %s a GB (%i lines)', (q, expected, unitPrice, lineCount) => {
    const rating = rateVolume(transit, quantity(q));
    expect(rating.amount.toFixed()).toBe(expected);
    expect(rating.unitPrice?.toFixed()).toBe(unitPrice);
    expect(rating.lines).toHaveLength(lineCount);
    expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
  });

  it('reads as one tier line and its fee', () => {
    const lines = rateVolume(transit, quantity('350')).lines;
    expect(lines.map((l) => [l.description, l.quantity?.toFixed() ?? null, l.unitPrice?.toFixed() ?? null, l.amount.toFixed()])).toEqual([
      ['Tier 2: 101–500 GB at 0.08', '350', '0.08', '28'],
      ['Tier 2: 101–500 GB: flat fee', null, null, '5'],
    ]);
    expect(lines.every((l) => l.tier?.index === 1 && l.tier.from.equals(100) && l.tier.to?.equals(500))).toBe(true);
  });

  it('refuses a negative quantity', () => {
    expect(() => rateVolume(transit, quantity('-0.5'))).toThrow(RangeError);
  });
});

const tiersArb = fc
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

describe('volume pricing properties', () => {
  it('charges every unit at the tier the total lands in, plus that tier’s fee; lines sum to the total', () => {
    fc.assert(
      fc.property(tiersArb, quantityArb, (tiers, q) => {
        const rating = rateVolume(volumeConfig.parse({ model: 'volume', tiers }), quantity(q));
        // Reference: the first tier whose up_to is at least q (the open tier otherwise); zero is in no tier and pays no fee.
        const landing = tiers.find((t) => t.up_to === null || q.lessThanOrEqualTo(t.up_to))!;
        const fee = q.isZero() || !landing.flat_fee ? new Decimal(0) : new Decimal(landing.flat_fee);
        expect(rating.amount.equals(q.times(landing.unit_price).plus(fee))).toBe(true);
        expect(rating.unitPrice?.equals(landing.unit_price)).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
