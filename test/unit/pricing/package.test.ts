import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { packageConfig, ratePackage } from '../../../domain/pricing/models/package';

const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });

// Bandwidth in 1 TB packages at 50.00.
const terabytes = packageConfig.parse({ model: 'package', package_size: '1', package_price: '50.00', unit_label: 'TB' });

describe('package pricing at every block boundary', () => {
  it.each([
    // no usage, no package
    ['0', '0', '0'],
    // any part of a block is a whole block
    ['0.000000000001', '1', '50'],
    ['1', '1', '50'],
    ['1.000000000001', '2', '100'],
    // 2.3 TB → 3 packages
    ['2.3', '3', '150'],
    ['3', '3', '150'],
    // 1,000,000.5 TB → 1,000,001 packages × 50
    ['1000000.5', '1000001', '50000050'],
    // the largest catalogue quantity rounds up exactly: 10^15 packages
    ['999999999999999.999999999999', '1000000000000000', '50000000000000000'],
  ])('%s TB is %s packages costing %s', (q, packages, amount) => {
    const rating = ratePackage(terabytes, quantity(q));
    expect(rating.lines[0]?.quantity?.toFixed()).toBe(packages);
    expect(rating.amount.toFixed()).toBe(amount);
    expect(rating.details).toEqual({ packages });
  });

  it('handles fractional package sizes without rounding the division', () => {
    // 1 GB in 0.3 GB blocks: 3 whole blocks (0.9) and 0.1 left → 4 blocks × 2.00
    const blocks = packageConfig.parse({ model: 'package', package_size: '0.3', package_price: '2.00' });
    expect(ratePackage(blocks, quantity('1')).amount.toFixed()).toBe('8');
    // 0.9 is exactly 3 blocks
    expect(ratePackage(blocks, quantity('0.9')).amount.toFixed()).toBe('6');
  });

  it('reads as packages with the usage beside them', () => {
    expect(ratePackage(terabytes, quantity('2.3')).lines[0]).toMatchObject({
      description: '3 × package of 1 TB at 50 (2.3 TB used)',
      unitPrice: new Decimal(50),
    });
  });

  it('refuses a zero package size and a negative quantity', () => {
    const result = packageConfig.safeParse({ model: 'package', package_size: '0', package_price: '-1' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['package_size', 'must be greater than zero'],
      ['package_price', 'must not be negative'],
    ]);
    expect(() => ratePackage(terabytes, quantity('-1'))).toThrow(RangeError);
  });

  const decimalArb = (max: bigint, scale: number) =>
    fc.bigInt({ min: 0n, max }).map((n) => new Decimal(n.toString()).dividedBy(new Decimal(10).pow(scale)));

  it('rounds up: amount = ceil(q / size) × price; lines sum to the total (property)', () => {
    fc.assert(
      fc.property(decimalArb(10n ** 12n, 3), decimalArb(10n ** 9n, 4).filter((s) => !s.isZero()), decimalArb(10n ** 8n, 2), (q, size, price) => {
        const config = packageConfig.parse({ model: 'package', package_size: size.toFixed(), package_price: price.toFixed() });
        const rating = ratePackage(config, quantity(q));
        expect(rating.amount.equals(q.dividedBy(size).ceil().times(price))).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is exact when the quantity is a whole number of packages (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), decimalArb(10n ** 9n, 4).filter((s) => !s.isZero()), decimalArb(10n ** 8n, 2), (k, size, price) => {
        const config = packageConfig.parse({ model: 'package', package_size: size.toFixed(), package_price: price.toFixed() });
        const packages = new Decimal(k.toString());
        const rating = ratePackage(config, quantity(packages.times(size)));
        expect(rating.lines[0]?.quantity?.equals(packages)).toBe(true);
        expect(rating.amount.equals(packages.times(price))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
