import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { rateStairstep, stairstepConfig } from '../../../domain/pricing/models/stairstep';

const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });

// Cross-connects: (0, 10] for 500.00; (10, 25] for 900.00; over 25 for 1500.00.
const tiers = [
  { up_to: '10', price: '500.00' },
  { up_to: '25', price: '900.00' },
  { up_to: null, price: '1500.00' },
];
const crossConnects = stairstepConfig.parse({ model: 'stairstep', unit_label: 'cross-connects', tiers });

describe('stairstep pricing at every tier boundary', () => {
  it.each([
    // zero is in no tier and, by default, free
    ['0', '0', null],
    // anything in (0, 10] is the tier-1 price
    ['1', '500', 0],
    ['10', '500', 0],
    ['10.000000000001', '900', 1],
    ['11', '900', 1],
    ['25', '900', 1],
    ['25.000000000001', '1500', 2],
    ['26', '1500', 2],
    ['1000000', '1500', 2],
  ])('%s cross-connects cost %s (tier index %p)', (q, expected, tierIndex) => {
    const rating = rateStairstep(crossConnects, quantity(q));
    expect(rating.amount.toFixed()).toBe(expected);
    expect(rating.lines).toHaveLength(1);
    expect(rating.lines[0]?.tier?.index ?? null).toBe(tierIndex);
    expect(rating.unitPrice).toBeNull();
  });

  it('reads as the tier with its one price', () => {
    expect(rateStairstep(crossConnects, quantity('12')).lines[0]?.description).toBe('Tier 2: 11–25 cross-connects at 900.00 (12 in use)');
    expect(rateStairstep(crossConnects, quantity('0')).lines[0]?.description).toBe('0 cross-connects: no charge');
  });

  it('charges zero at the first tier when the config says so', () => {
    const reserved = stairstepConfig.parse({ model: 'stairstep', zero_quantity: 'first_tier', tiers });
    const rating = rateStairstep(reserved, quantity('0'));
    // 0 charged as tier 1: 500.00
    expect(rating.amount.toFixed()).toBe('500');
    expect(rating.lines[0]).toMatchObject({ description: 'Tier 1: 1–10 at 500.00 (charged at zero)', tier: { index: 0 } });
  });

  it('defaults zero_quantity to free and rejects other values', () => {
    expect(stairstepConfig.parse({ model: 'stairstep', tiers }).zero_quantity).toBe('free');
    const result = stairstepConfig.safeParse({ model: 'stairstep', tiers, zero_quantity: 'always' });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['zero_quantity']]);
  });

  it('refuses a negative quantity', () => {
    expect(() => rateStairstep(crossConnects, quantity('-1'))).toThrow(RangeError);
  });

  it('charges exactly the price of the tier the quantity falls in; the line is the total (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), (n) => {
        const q = new Decimal(n.toString()).dividedBy(1000);
        const rating = rateStairstep(crossConnects, quantity(q));
        const expected = q.isZero() ? '0' : q.lessThanOrEqualTo(10) ? '500' : q.lessThanOrEqualTo(25) ? '900' : '1500';
        expect(rating.amount.toFixed()).toBe(expected);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
    );
  });
});
