import { Decimal } from '../../../domain/money/decimal';
import { priceModelSchema, rate, RatingInputMismatch } from '../../../domain/pricing/price-model';

const quantity = (v: string) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });
const transactions = (...amounts: string[]) => ({ kind: 'transactions' as const, amounts: amounts.map((a) => new Decimal(a)) });
const tiers = [{ up_to: '100', unit_price: '0.10' }, { up_to: null, unit_price: '0.05', flat_fee: '10' }];

describe('the dispatcher routes the basic models', () => {
  it.each([
    // 1200.00 whatever the quantity
    [{ model: 'flat', amount: '1200.00' }, quantity('7'), '1200'],
    // 100 × 0.10 + 50 × 0.05 + 10.00
    [{ model: 'graduated', tiers }, quantity('150'), '22.5'],
    // 150 × 0.05 + 10.00
    [{ model: 'volume', tiers }, quantity('150'), '17.5'],
    // ceil(2.3) = 3 × 50.00
    [{ model: 'package', package_size: '1', package_price: '50' }, quantity('2.3'), '150'],
    // 12 is in (10, 25]
    [{ model: 'stairstep', tiers: [{ up_to: '10', price: '500' }, { up_to: '25', price: '900' }, { up_to: null, price: '1500' }] }, quantity('12'), '900'],
    // 100 × 2.9% + 0.30
    [{ model: 'percentage', percent: '2.9', fixed_fee: '0.30' }, transactions('100'), '3.2'],
  ])('%o', (raw, input, amount) => {
    expect(rate(priceModelSchema.parse(raw), input).amount.toFixed()).toBe(amount);
  });

  it.each([
    [{ model: 'flat', amount: '1' }, transactions('1'), 'the flat model is rated on quantity input, not transactions'],
    [{ model: 'graduated', tiers }, transactions('1'), 'the graduated model is rated on quantity input, not transactions'],
    [{ model: 'percentage', percent: '1' }, quantity('1'), 'the percentage model is rated on transactions input, not quantity'],
  ])('refuses a mismatched input kind: %o', (raw, input, message) => {
    const config = priceModelSchema.parse(raw);
    expect(() => rate(config, input)).toThrow(RatingInputMismatch);
    expect(() => rate(config, input)).toThrow(message);
  });

  it('validates through the catalogue schema with full paths', () => {
    const result = priceModelSchema.safeParse({ model: 'volume', tiers: [{ up_to: '100', unit_price: '1' }, { up_to: '50', unit_price: '-1' }] });
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['tiers', 1, 'unit_price'], 'must not be negative'],
      [['tiers', 1, 'up_to'], 'the last tier must be open (null) so every quantity has a price'],
      [['tiers', 1, 'up_to'], 'must be greater than tiers[0].up_to (100)'],
    ]);
  });
});
