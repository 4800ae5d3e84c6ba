import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { minorUnitsOf, roundMoney } from '../../../domain/money/money';
import { allocateSigned, calculateTax, type TaxRequest } from '../../../domain/tax/tax-calculation';
import { isValidAt, overlappingRate, type TaxRate } from '../../../domain/tax/tax-rate';

/**
 * Invariants of the tax calculation over generated rate tables and
 * invoices: line taxes add up to each rate's tax, totals are the sums of
 * the summary, rates apply only when and where valid, in USD, JPY (no
 * minor unit) and KWD/BHD (three).
 */
const START = Date.UTC(2027, 0, 1);
const DAY = 86_400_000;
const CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD', 'BHD'] as const;

const arbPercentage = fc.oneof(
  fc.constantFrom('0', '5', '7', '19', '20', '100'),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Decimal(n).dividedBy(10_000).toFixed()),
);

const arbRate = fc
  .record({
    region: fc.constantFrom(null, 'R1', 'r1', 'R2'),
    taxCode: fc.constantFrom(null, 'a', 'b'),
    percentage: arbPercentage,
    inclusive: fc.boolean(),
    fromDay: fc.integer({ min: 0, max: 60 }),
    days: fc.option(fc.integer({ min: 1, max: 60 })),
  })
  .map((r): Omit<TaxRate, 'id'> => ({
    name: `${r.percentage} %`,
    country: 'CA',
    region: r.region,
    taxCode: r.taxCode,
    percentage: new Decimal(r.percentage),
    inclusive: r.inclusive,
    validFrom: new Date(START + r.fromDay * DAY),
    validTo: r.days === null ? null : new Date(START + (r.fromDay + r.days) * DAY),
  }));

/** A table the API could hold: candidates that would overlap an earlier one are dropped. */
const arbTable = fc.array(arbRate, { maxLength: 10 }).map((candidates) => {
  const table: TaxRate[] = [];
  candidates.forEach((c, i) => {
    const candidate = { ...c, id: `rate-${String(i).padStart(2, '0')}` };
    if (overlappingRate(table, candidate) === null) table.push(candidate);
  });
  return table;
});

const arbRequest = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    atDay: fc.integer({ min: 0, max: 130 }),
    region: fc.constantFrom(null, 'R1', 'R2', 'R3'),
    lines: fc.array(fc.record({ minor: fc.integer({ min: -500_000, max: 5_000_000 }), taxCode: fc.constantFrom(null, 'a', 'b', 'c') }), { minLength: 1, maxLength: 8 }),
  })
  .map(({ currency, atDay, region, lines }): TaxRequest => {
    const scale = new Decimal(10).pow(minorUnitsOf(currency));
    return {
      currency,
      at: new Date(START + atDay * DAY + 1),
      place: { country: 'CA', region },
      exemption: 'none',
      customerTaxIds: [],
      lines: lines.map((l, i) => ({ key: `line-${i}`, amount: new Decimal(l.minor).dividedBy(scale), taxCode: l.taxCode })),
    };
  });

const dec = (s: string) => new Decimal(s);

describe('calculateTax properties', () => {
  it('the line taxes of each rate add up exactly to the rate’s tax, which is the rounded exact tax', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        for (const s of result.summary) {
          const lineSum = sum([...result.lines.values()].flat().filter((t) => t.rate_id === s.rate_id).map((t) => dec(t.amount)));
          expect(lineSum.equals(dec(s.amount))).toBe(true);
          // Exclusive: round(taxable × p / 100), once.
          if (!s.inclusive) expect(dec(s.amount).equals(roundMoney(dec(s.taxable_amount).times(s.percentage).dividedBy(100), request.currency))).toBe(true);
        }
      }),
    );
  });

  it('taxTotal is the sum of the exclusive summary amounts, taxIncluded of the inclusive ones', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        expect(result.taxTotal.equals(sum(result.summary.filter((s) => !s.inclusive).map((s) => dec(s.amount))))).toBe(true);
        expect(result.taxIncluded.equals(sum(result.summary.filter((s) => s.inclusive).map((s) => dec(s.amount))))).toBe(true);
      }),
    );
  });

  it('a rate never applies outside its validity or its place, and at most one per level stacks on a line', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        const byId = new Map(table.map((r) => [r.id, r]));
        request.lines.forEach((line) => {
          const taxes = result.lines.get(line.key)!;
          const rates = taxes.map((t) => byId.get(t.rate_id!)!);
          for (const r of rates) {
            expect(isValidAt(r, request.at)).toBe(true);
            expect(r.region === null || r.region.toUpperCase() === request.place!.region).toBe(true);
            expect(r.taxCode === null || r.taxCode === line.taxCode).toBe(true);
          }
          expect(rates.filter((r) => r.region === null).length).toBeLessThanOrEqual(1);
          expect(rates.filter((r) => r.region !== null).length).toBeLessThanOrEqual(1);
        });
      }),
    );
  });

  it('each line’s tax is within one minor unit of its exact share and never of the opposite sign', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        const unit = new Decimal(1).dividedBy(new Decimal(10).pow(minorUnitsOf(request.currency)));
        const byId = new Map(table.map((r) => [r.id, r]));
        for (const line of request.lines) {
          const taxes = result.lines.get(line.key)!;
          const inclusiveSum = sum(taxes.filter((t) => t.inclusive).map((t) => dec(t.percentage)));
          for (const t of taxes) {
            const p = byId.get(t.rate_id!)!.percentage;
            const exact = line.amount.times(p).dividedBy(t.inclusive ? inclusiveSum.plus(100) : 100);
            expect(dec(t.amount).minus(exact).abs().lessThan(unit)).toBe(true);
            expect(dec(t.amount).times(line.amount).lessThan(0)).toBe(false);
          }
        }
      }),
    );
  });

  it('an inclusive rate’s taxable amount is the gross less the inclusive tax its lines contain', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        for (const s of result.summary.filter((x) => x.inclusive)) {
          const net = sum(
            request.lines
              .filter((l) => result.lines.get(l.key)!.some((t) => t.rate_id === s.rate_id))
              .map((l) => l.amount.minus(sum(result.lines.get(l.key)!.filter((t) => t.inclusive).map((t) => dec(t.amount))))),
          );
          expect(net.equals(dec(s.taxable_amount))).toBe(true);
        }
      }),
    );
  });

  it('amounts are written with the currency’s minor digits (JPY none, KWD and BHD three)', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, (table, request) => {
        const result = calculateTax(table, request);
        const digits = minorUnitsOf(request.currency);
        const shape = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
        const written = [...result.summary.flatMap((s) => [s.amount, s.taxable_amount]), ...[...result.lines.values()].flat().map((t) => t.amount)];
        for (const amount of written) {
          expect(amount).toMatch(shape);
          expect(amount).not.toMatch(/^-0(\.0+)?$/);
        }
        expect([...result.lines.keys()]).toEqual(request.lines.map((l) => l.key));
      }),
    );
  });

  it('exempt and reverse-charged invoices carry no tax at all, whatever the table', () => {
    fc.assert(
      fc.property(arbTable, arbRequest, fc.constantFrom('exempt' as const, 'reverse_charge' as const), (table, request, exemption) => {
        const result = calculateTax(table, { ...request, exemption });
        expect(result.summary).toEqual([]);
        expect([...result.lines.values()].every((taxes) => taxes.length === 0)).toBe(true);
        expect(result.taxTotal.isZero() && result.taxIncluded.isZero()).toBe(true);
        expect(result.notes.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('allocateSigned', () => {
  it('property: shares add up to the total, each within a minor unit of its exact value, signs kept', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.array(fc.tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 1, max: 997 })), { minLength: 1, maxLength: 12 }),
        (currency, parts) => {
          const exact = parts.map(([n, d]) => new Decimal(n).dividedBy(d).dividedBy(100));
          const total = roundMoney(sum(exact), currency);
          const shares = allocateSigned(total, exact, currency);
          const unit = new Decimal(1).dividedBy(new Decimal(10).pow(minorUnitsOf(currency)));
          expect(sum(shares).equals(total)).toBe(true);
          shares.forEach((s, i) => {
            expect(s.minus(exact[i]!).abs().lessThan(unit)).toBe(true);
            expect(s.times(exact[i]!).lessThan(0)).toBe(false);
          });
        },
      ),
    );
  });

  it('refuses a total that is not the rounded sum of the shares', () => {
    expect(() => allocateSigned(new Decimal('5.00'), [new Decimal('1.00')], 'USD')).toThrow(/cannot allocate/);
  });
});
