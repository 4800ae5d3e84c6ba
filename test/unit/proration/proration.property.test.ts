import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { minorUnitsOf, roundMoney, toMinorUnits } from '../../../domain/money/money';
import { BILLING_INTERVALS, type BillingCycle, type Period, periodContaining } from '../../../domain/periods/billing-cycle';
import { immediateChangeProration, PRORATION_UNITS, type ProrationUnit, prorationFraction } from '../../../domain/proration/proration';
import { localParts } from '../../../domain/time/local-time';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'BHD', 'KWD', 'CLF'];
const DAY = 86_400_000;

const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((t) => new Date(t));
const cycleArb: fc.Arbitrary<BillingCycle> = fc.record({
  interval: fc.constantFrom(...BILLING_INTERVALS),
  timeZone: fc.constantFrom(...ZONES),
  anchor: fc.oneof(
    fc.record({ kind: fc.constant('anniversary' as const), at: instant }),
    fc.record({ kind: fc.constant('calendar' as const), day: fc.integer({ min: 1, max: 31 }) }),
  ),
});
/** A full billing period of a random cycle, with its zone. */
const billingPeriod = fc.tuple(cycleArb, instant).map(([cycle, t]) => ({ whole: periodContaining(cycle, t), timeZone: cycle.timeZone }));
/** 0 to 100000 with up to 6 decimal places. */
const amount = fc.integer({ min: 0, max: 100_000_000_000 }).map((n) => new Decimal(n).dividedBy(1_000_000));
/** A fraction of the way through a period, in millionths, so instants land anywhere including the ends. */
const position = fc.integer({ min: 0, max: 1_000_000 });
const instantIn = (p: Period, millionths: number) =>
  new Date(p.start.getTime() + Math.floor(((p.end.getTime() - p.start.getTime()) * millionths) / 1_000_000));

/** The part's length counted independently: ms, or local dates from domain/time/local-time. */
function independentMeasure(p: Period, unit: ProrationUnit, zone: string): number {
  if (unit === 'second') return p.end.getTime() - p.start.getTime();
  const dayOf = (t: Date) => Date.parse(`${localParts(t, zone).date}T00:00:00Z`) / DAY;
  return dayOf(p.end) - dayOf(p.start);
}

describe('immediateChangeProration (properties)', () => {
  it('credit + charge is the rounded price difference, the credit is never positive, the charge is within a minor unit', () => {
    fc.assert(
      fc.property(
        billingPeriod,
        position,
        amount,
        amount,
        fc.constantFrom(...PRORATION_UNITS),
        fc.constantFrom(...CURRENCIES),
        ({ whole, timeZone }, where, oldAmount, newAmount, unit, currency) => {
          const at = instantIn(whole, where);
          const result = immediateChangeProration({ oldAmount, newAmount, period: whole, at, unit, timeZone, currency });
          const remaining = { start: at, end: whole.end };
          const num = independentMeasure(remaining, unit, timeZone);
          const den = independentMeasure(whole, unit, timeZone);
          const exact = (a: Decimal) => a.times(num).dividedBy(den);
          const minorUnit = new Decimal(1).dividedBy(new Decimal(10).pow(minorUnitsOf(currency)));

          expect(result.remaining).toEqual(remaining);
          expect(result.net.equals(roundMoney(exact(newAmount.minus(oldAmount)), currency))).toBe(true);
          expect(result.credit.plus(result.charge).equals(result.net)).toBe(true);
          expect(result.credit.equals(roundMoney(exact(oldAmount), currency).negated())).toBe(true);
          expect(result.credit.lessThanOrEqualTo(0)).toBe(true);
          expect(result.charge.minus(roundMoney(exact(newAmount), currency)).abs().lessThanOrEqualTo(minorUnit)).toBe(true);
          for (const value of [result.credit, result.charge, result.net]) expect(() => toMinorUnits(value, currency)).not.toThrow();
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('prorationFraction (properties)', () => {
  it('the parts of a period split at any instants add up to exactly the whole', () => {
    fc.assert(
      fc.property(billingPeriod, fc.array(position, { maxLength: 12 }), fc.constantFrom(...PRORATION_UNITS), ({ whole, timeZone }, cuts, unit) => {
        const points = [whole.start, ...cuts.sort((a, b) => a - b).map((c) => instantIn(whole, c)), whole.end];
        const fractions = points.slice(1).map((end, i) => prorationFraction({ start: points[i] as Date, end }, whole, unit, timeZone));
        const denominator = prorationFraction(whole, whole, unit, timeZone).denominator;
        expect(denominator.equals(independentMeasure(whole, unit, timeZone))).toBe(true);
        let numerators = new Decimal(0);
        let sumOfFractions = new Decimal(0);
        for (const f of fractions) {
          expect(f.denominator.equals(denominator)).toBe(true);
          expect(f.numerator.isNegative()).toBe(false);
          numerators = numerators.plus(f.numerator);
          sumOfFractions = sumOfFractions.plus(f.numerator.dividedBy(f.denominator));
        }
        expect(numerators.equals(denominator)).toBe(true);
        // With one common denominator and 40 digits, the quotients sum to 1 within rounding of the last digit.
        expect(sumOfFractions.minus(1).abs().lessThan('1e-35')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
