import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { flatConfig, rateFlat } from '../../../domain/pricing/models/flat';

const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });

// A 42U cabinet at 1200.00 a month.
const cabinet = flatConfig.parse({ model: 'flat', amount: '1200.00', label: '42U cabinet' });

describe('flat pricing', () => {
  it.each(['0', '1', '40', '999999999999999.999999999999'])('costs 1200.00 with quantity %s, shown once', (q) => {
    const rating = rateFlat(cabinet, quantity(q));
    expect(rating.amount.toFixed()).toBe('1200');
    expect(rating.lines).toEqual([{ description: '42U cabinet', quantity: null, unitPrice: null, amount: new Decimal('1200.00') }]);
    expect(rating.quantity).toBeNull();
    expect(rating.unitPrice).toBeNull();
  });

  it('ignores the quantity entirely, even a negative correction', () => {
    expect(rateFlat(cabinet, quantity('-3')).amount.toFixed()).toBe('1200');
  });

  it('says "Flat fee" without a label', () => {
    expect(rateFlat(flatConfig.parse({ model: 'flat', amount: '0' }), quantity('1')).lines[0]?.description).toBe('Flat fee');
  });

  it('validates the amount', () => {
    expect(flatConfig.safeParse({ model: 'flat', amount: '-1' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['amount', 'must not be negative'],
    ]);
    expect(flatConfig.safeParse({ model: 'flat', amount: 1200 }).error?.issues.map((i) => i.path.join('.'))).toEqual(['amount']);
  });

  it('always equals the configured amount and its one line (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (a, q) => {
        const amount = new Decimal(a.toString()).dividedBy(100);
        const rating = rateFlat(flatConfig.parse({ model: 'flat', amount: amount.toFixed() }), quantity(new Decimal(q.toString())));
        expect(rating.amount.equals(amount)).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
    );
  });
});
