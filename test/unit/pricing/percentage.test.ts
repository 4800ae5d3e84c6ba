import fc from 'fast-check';
import { Decimal, max, min, sum } from '../../../domain/money/decimal';
import { percentageConfig, ratePercentage } from '../../../domain/pricing/models/percentage';

const d = (v: string) => new Decimal(v);
const transactions = (...amounts: string[]) => ({ kind: 'transactions' as const, amounts: amounts.map(d) });
const describeLines = (amounts: string[], config = cards) =>
  ratePercentage(config, transactions(...amounts)).lines.map((l) => [l.description, l.amount.toFixed()]);

// Card processing: 2.9% + 0.30 a transaction, at least 0.50, at most 25.00.
const cards = percentageConfig.parse({ model: 'percentage', percent: '2.9', fixed_fee: '0.30', min_fee: '0.50', max_fee: '25.00' });
// 2.5% + 0.30, same limits: the minimum is met exactly at 8.00 (0.20 + 0.30) and the maximum at 988.00 (24.70 + 0.30).
const round = percentageConfig.parse({ model: 'percentage', percent: '2.5', fixed_fee: '0.30', min_fee: '0.50', max_fee: '25.00' });

describe('percentage pricing', () => {
  it('adds percentage, fixed fees and adjustments to the limits: 0.59 + 0.50 + 25.00 = 26.09', () => {
    const rating = ratePercentage(cards, transactions('10.00', '5.00', '1000.00'));
    // 10.00 → 0.29 + 0.30 = 0.59; 5.00 → 0.145 + 0.30 = 0.445 → 0.50; 1000.00 → 29.00 + 0.30 = 29.30 → 25.00
    expect(rating.amount.toFixed()).toBe('26.09');
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed()])).toEqual([
      // 1015.00 × 0.029
      ['2.9% of 1015 (3 transactions)', '29.435'],
      ['Fixed fee: 3 transactions at 0.30', '0.9'],
      // 0.50 − 0.445
      ['Minimum fee: 1 transaction raised to 0.50', '0.055'],
      // −(29.30 − 25.00)
      ['Maximum fee: 1 transaction capped at 25.00', '-4.3'],
    ]);
    expect(rating.details).toEqual({ transactions: 3, raised_to_minimum: 1, capped_at_maximum: 1 });
    expect(rating.quantity?.toFixed()).toBe('1015');
  });

  it.each([
    // 0 → 0.30 → raised to 0.50 (+0.20)
    ['0', '0.5', 1],
    // 7.99 → 0.19975 + 0.30 = 0.49975 → raised (+0.00025)
    ['7.99', '0.5', 1],
    // 8.00 → exactly 0.50: no adjustment
    ['8', '0.5', 0],
    // 8.01 → 0.50025: no adjustment
    ['8.01', '0.50025', 0],
    // 988.00 → exactly 25.00: no adjustment
    ['988', '25', 0],
    // 988.01 → 25.00025 → capped (−0.00025)
    ['988.01', '25', 1],
    // 1,000,000 → 25000.30 → capped (−24975.30)
    ['1000000', '25', 1],
  ])('a %s transaction at 2.5%% + 0.30 costs %s (%i adjustment lines)', (amount, fee, adjustments) => {
    const rating = ratePercentage(round, transactions(amount));
    expect(rating.amount.toFixed()).toBe(fee);
    expect(rating.lines).toHaveLength(2 + adjustments);
  });

  it('keeps at most four lines for 10,000 transactions', () => {
    const amounts = Array.from({ length: 10_000 }, (_, i) => d(String(i % 100)).plus('0.99'));
    const rating = ratePercentage(cards, { kind: 'transactions', amounts });
    expect(rating.lines.length).toBeLessThanOrEqual(4);
    expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
  });

  it('shows only the percentage line when there is nothing else, even with no transactions', () => {
    const plain = percentageConfig.parse({ model: 'percentage', percent: '1.5' });
    expect(describeLines([], plain)).toEqual([['1.5% of 0 (0 transactions)', '0']]);
    expect(describeLines(['200'], plain)).toEqual([['1.5% of 200 (1 transaction)', '3']]);
  });

  it('refuses a negative transaction', () => {
    expect(() => ratePercentage(cards, transactions('10', '-1'))).toThrow(RangeError);
  });

  it('reports every config problem with its path', () => {
    const problems = (value: unknown) =>
      percentageConfig.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(problems({ model: 'percentage', percent: '100.01', fixed_fee: '-0.30', min_fee: '2', max_fee: '1' })).toEqual([
      'percent: must be between 0 and 100',
      'fixed_fee: must not be negative',
      'min_fee: must not be greater than max_fee (1)',
    ]);
    expect(problems({ model: 'percentage', percent: '-1' })).toEqual(['percent: must not be negative']);
    expect(problems({ model: 'percentage', percent: 'abc', min_fee: '1,00', max_fee: '0.5' })).toEqual([
      'percent: must be a decimal number written as a string, e.g. "12.50"',
      'min_fee: must be a decimal number written as a string, e.g. "12.50"',
    ]);
    expect(problems({ model: 'percentage', percent: '0' })).toEqual([]);
    expect(problems({ model: 'percentage', percent: '100', min_fee: '1', max_fee: '1' })).toEqual([]);
  });

  const money = fc.bigInt({ min: 0n, max: 10n ** 9n }).map((n) => new Decimal(n.toString()).dividedBy(100));
  const configArb = fc
    .record({
      percent: fc.integer({ min: 0, max: 10_000 }).map((bp) => new Decimal(bp).dividedBy(100).toFixed()),
      fixed_fee: fc.option(money.map((m) => m.toFixed()), { nil: undefined }),
      limits: fc.option(fc.tuple(money, money), { nil: undefined }),
      onlyMin: fc.boolean(),
    })
    .map(({ percent, fixed_fee, limits, onlyMin }) => {
      const [low, high] = limits ? (limits[0].lessThanOrEqualTo(limits[1]) ? limits : [limits[1], limits[0]]) : [];
      return percentageConfig.parse({
        model: 'percentage',
        percent,
        ...(fixed_fee ? { fixed_fee } : {}),
        ...(low ? { min_fee: low.toFixed() } : {}),
        ...(high && !onlyMin ? { max_fee: high.toFixed() } : {}),
      });
    });

  it('equals the sum of each transaction’s clamped fee, and its lines sum to it (property)', () => {
    fc.assert(
      fc.property(configArb, fc.array(money, { maxLength: 50 }), (config, amounts) => {
        const rating = ratePercentage(config, { kind: 'transactions', amounts });
        const fees = amounts.map((a) => {
          let fee = a.times(config.percent).dividedBy(100).plus(config.fixed_fee ?? 0);
          if (config.min_fee) fee = max(fee, config.min_fee);
          if (config.max_fee) fee = min(fee, config.max_fee);
          return fee;
        });
        expect(rating.amount.equals(sum(fees))).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
