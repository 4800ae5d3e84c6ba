import fc from 'fast-check';
import { CURRENCY_MINOR_UNITS } from '../../domain/money/currencies';
import { Decimal } from '../../domain/money/decimal';
import { allocate, fromMinorUnits, minorUnitsOf, roundMoney, splitEvenly, toMinorUnits } from '../../domain/money/money';

const d = (v: string | number) => new Decimal(v);

describe('currencies', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i minor units', (code, units) => {
    expect(minorUnitsOf(code)).toBe(units);
  });

  it('refuses an unknown currency', () => {
    expect(() => minorUnitsOf('XYZ')).toThrow(/unknown currency XYZ/);
  });
});

describe('roundMoney', () => {
  it.each([
    ['1.005', 'USD', '1.01'],
    ['1.004999', 'USD', '1'],
    ['-1.005', 'USD', '-1.01'],
    ['2.5', 'JPY', '3'],
    ['1.0005', 'KWD', '1.001'],
    ['0.125', 'EUR', '0.13'],
  ])('%s %s rounds half up (away from zero) to %s', (amount, currency, expected) => {
    expect(roundMoney(d(amount), currency).toString()).toBe(expected);
  });

  it('is exact where binary floats are not: 0.1 + 0.2 = 0.30', () => {
    expect(roundMoney(d('0.1').plus('0.2'), 'USD').toFixed(2)).toBe('0.30');
    expect(d('0.1').plus('0.2').equals('0.3')).toBe(true);
  });

  it('keeps 40 significant digits where a 20-digit decimal would round (checked with Python decimal)', () => {
    expect(d('12345678901234.5678').times('1.0000000001').toFixed()).toBe('12345678902469.13569012345678');
    expect(d('31536000000000000000').times('0.000000000123456789').toFixed()).toBe('3893333297.904');
  });
});

describe('minor units', () => {
  it('converts both ways', () => {
    expect(toMinorUnits(d('12.34'), 'USD')).toBe(1234n);
    expect(toMinorUnits(d('500'), 'JPY')).toBe(500n);
    expect(toMinorUnits(d('1.234'), 'KWD')).toBe(1234n);
    expect(fromMinorUnits(1234n, 'USD').toString()).toBe('12.34');
    expect(() => toMinorUnits(d('1.005'), 'USD')).toThrow(/not a whole number of minor units/);
  });
});

describe('allocate', () => {
  it('splits 100.00 in three without losing a cent', () => {
    expect(splitEvenly(d('100'), 3, 'USD').map(String)).toEqual(['33.34', '33.33', '33.33']);
  });

  it('splits by weight, giving leftovers to the largest remainders', () => {
    // 10.00 by 1:1:1:4 → 1.42857, 1.42857, 1.42857, 5.71428 → floors 1.42 ×3 + 5.71 = 9.97; 3 cents left.
    expect(allocate(d('10'), [d(1), d(1), d(1), d(4)], 'USD').map(String)).toEqual(['1.43', '1.43', '1.43', '5.71']);
  });

  it('splits credits (negative totals) symmetrically', () => {
    expect(splitEvenly(d('-100'), 3, 'USD').map(String)).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  it('refuses bad weights', () => {
    expect(() => allocate(d('1'), [], 'USD')).toThrow();
    expect(() => allocate(d('1'), [d(0), d(0)], 'USD')).toThrow();
    expect(() => allocate(d('1'), [d(-1), d(2)], 'USD')).toThrow();
  });

  const currencies = Object.keys(CURRENCY_MINOR_UNITS);

  it('conserves every minor unit, for any amount, weights and currency (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (currency, minor, weights) => {
          const total = fromMinorUnits(minor, currency);
          const shares = allocate(total, weights.map((w) => d(w)), currency);
          const back = shares.reduce((acc, s) => acc + toMinorUnits(s, currency), 0n);
          expect(back).toBe(minor);
          // Each share is within one minor unit of its exact proportion.
          const weightSum = weights.reduce((a, b) => a + b, 0);
          shares.forEach((share, i) => {
            const exact = total.times(weights[i]!).dividedBy(weightSum);
            expect(share.minus(exact).abs().lessThan(fromMinorUnits(1n, currency))).toBe(true);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('decimal inputs', () => {
  // eslint-style note: imported lazily to keep this file's subject money.
  const { decimal, nonNegativeDecimal, percent, positiveDecimal } = jest.requireActual('../../domain/pricing/decimal-input') as typeof import('../../domain/pricing/decimal-input');

  it.each(['abc', '12,50', '1e5', '', ' 1', '01', '1.1234567890123'])('%j is refused by every decimal schema, with a message, never a throw', (text) => {
    for (const schema of [decimal, nonNegativeDecimal, positiveDecimal, percent]) {
      const result = schema.safeParse(text);
      expect(result.success).toBe(false);
    }
  });

  it('accepts exact decimal strings and keeps every digit', () => {
    expect(nonNegativeDecimal.parse('0.000000450000').toFixed()).toBe('0.00000045');
    expect(positiveDecimal.safeParse('0').success).toBe(false);
    expect(nonNegativeDecimal.safeParse('-1').success).toBe(false);
    expect(percent.safeParse('100.5').success).toBe(false);
    expect(percent.parse('2.9').toFixed()).toBe('2.9');
  });
});
