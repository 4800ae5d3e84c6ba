import { Decimal } from '../../../domain/money/decimal';
import { type BillingCycle, firstPeriod, periodContaining } from '../../../domain/periods/billing-cycle';
import {
  immediateChangeProration,
  type ProrationUnit,
  prorate,
  prorationFraction,
} from '../../../domain/proration/proration';

const d = (v: string | number) => new Decimal(v);
const at = (iso: string) => new Date(iso);
const period = (start: string, end: string) => ({ start: at(start), end: at(end) });
const fraction = (f: { numerator: Decimal; denominator: Decimal }) => [f.numerator.toString(), f.denominator.toString()];

describe('prorationFraction', () => {
  const june = period('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z');

  it('by second counts elapsed milliseconds', () => {
    const part = period('2026-06-16T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(fraction(prorationFraction(part, june, 'second', 'UTC'))).toEqual([String(15 * 86_400_000), String(30 * 86_400_000)]);
  });

  it('by day counts local dates and drops the time of day: the day of a change belongs to the new state', () => {
    const part = period('2026-06-16T17:45:00Z', '2026-07-01T00:00:00Z');
    expect(fraction(prorationFraction(part, june, 'day', 'UTC'))).toEqual(['15', '30']);
    expect(fraction(prorationFraction(period('2026-06-01T00:00:00Z', '2026-06-16T17:45:00Z'), june, 'day', 'UTC'))).toEqual(['15', '30']);
  });

  it('by day reads dates in the given zone', () => {
    // New York's March 2026: [Mar 1 00:00 EST, Apr 1 00:00 EDT) is 743 hours and 31 local days.
    const march = period('2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z');
    const fromMar16 = period('2026-03-16T04:00:00Z', '2026-04-01T04:00:00Z'); // local midnight, EDT
    expect(fraction(prorationFraction(fromMar16, march, 'day', 'America/New_York'))).toEqual(['16', '31']);
    expect(fraction(prorationFraction(fromMar16, march, 'second', 'America/New_York'))).toEqual([
      String(384 * 3_600_000),
      String(743 * 3_600_000),
    ]);
    // 2026-03-16T02:00Z is still Mar 15 in New York: 17 local days remain.
    const lateEvening = period('2026-03-16T02:00:00Z', '2026-04-01T04:00:00Z');
    expect(fraction(prorationFraction(lateEvening, march, 'day', 'America/New_York'))).toEqual(['17', '31']);
  });

  it('allows empty parts and the whole itself', () => {
    expect(fraction(prorationFraction(period('2026-06-10T00:00:00Z', '2026-06-10T00:00:00Z'), june, 'day', 'UTC'))).toEqual(['0', '30']);
    expect(fraction(prorationFraction(june, june, 'second', 'UTC'))).toEqual([String(30 * 86_400_000), String(30 * 86_400_000)]);
  });

  it.each<[string, () => unknown]>([
    ['a part outside the whole', () => prorationFraction(period('2026-05-31T00:00:00Z', '2026-06-10T00:00:00Z'), june, 'second', 'UTC')],
    ['a part ending after the whole', () => prorationFraction(period('2026-06-20T00:00:00Z', '2026-07-01T00:00:01Z'), june, 'day', 'UTC')],
    ['an empty whole', () => prorationFraction(period('2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z'), period('2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z'), 'second', 'UTC')],
    ['a whole within one local day, by day', () => prorationFraction(period('2026-06-01T01:00:00Z', '2026-06-01T02:00:00Z'), period('2026-06-01T00:00:00Z', '2026-06-01T23:00:00Z'), 'day', 'UTC')],
    ['a reversed part', () => prorationFraction(period('2026-06-20T00:00:00Z', '2026-06-10T00:00:00Z'), june, 'second', 'UTC')],
    ['an invalid date', () => prorationFraction({ start: new Date(Number.NaN), end: june.end }, june, 'second', 'UTC')],
    ['an unknown zone, even by second', () => prorationFraction(june, june, 'second', 'Nowhere/Atlantis')],
    ['an unknown unit', () => prorationFraction(june, june, 'hour' as ProrationUnit, 'UTC')],
  ])('refuses %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('prorate', () => {
  it('multiplies before it divides and does not round', () => {
    const june = period('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z');
    const tenDays = period('2026-06-21T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(prorate(d(300), tenDays, june, 'day', 'UTC').toString()).toBe('100');
    expect(prorate(d('10.00'), tenDays, june, 'day', 'UTC').toString()).toBe('3.333333333333333333333333333333333333333');
  });
});

describe('Kill Bill conventions: by day, on local dates', () => {
  it('leading pro-ration: 30.00/month started on the 16th of a 30-day month, aligned to the 1st, is 15.00', () => {
    const cycle: BillingCycle = { interval: 'month', timeZone: 'America/Los_Angeles', anchor: { kind: 'calendar', day: 1 } };
    const start = at('2026-06-16T17:45:00-07:00'); // any time on June 16
    const stub = firstPeriod(cycle, start);
    const whole = periodContaining(cycle, start);
    expect(stub.end).toEqual(at('2026-07-01T00:00:00-07:00'));
    expect(whole.start).toEqual(at('2026-06-01T00:00:00-07:00'));
    expect(fraction(prorationFraction(stub, whole, 'day', cycle.timeZone))).toEqual(['15', '30']);
    expect(prorate(d('30.00'), stub, whole, 'day', cycle.timeZone).toString()).toBe('15');
  });
});

describe('immediateChangeProration', () => {
  it.each<[string, string, string, [string, string], string, ProrationUnit, string, string, [string, string, string]]>([
    // Stripe: $10 → $20 half way through a 30-day month, by the second: −5.00 unused, 10.00 remaining.
    ['Stripe upgrade half way', '10', '20', ['2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'], '2026-04-16T00:00:00Z', 'second', 'UTC', 'USD', ['-5', '10', '5']],
    ['Stripe downgrade half way', '20', '10', ['2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'], '2026-04-16T00:00:00Z', 'second', 'UTC', 'USD', ['-10', '5', '-5']],
    // 10.5 of 31 days: 30 × 10.5/31 = 10.1612…, 15 × 10.5/31 = 5.0806…
    ['by second, 10.5 days left of 31', '30', '45', ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'], '2026-03-21T12:00:00Z', 'second', 'UTC', 'USD', ['-10.16', '15.24', '5.08']],
    // Kill Bill: change on July 10 of a 31-day month → 22 days left, whatever the time of day.
    ['Kill Bill, July 10 of 31 days', '31.00', '62.00', ['2026-07-01T07:00:00Z', '2026-08-01T07:00:00Z'], '2026-07-10T22:20:00Z', 'day', 'America/Los_Angeles', 'USD', ['-22', '44', '22']],
    // 12 of 31 days: old 11.5935… → 11.59, difference 7.7419… → 7.74; charge 19.33 where 49.95 × 12/31 alone rounds to 19.34.
    ['Kill Bill, Jan 20 of 31 days (charge one cent under)', '29.95', '49.95', ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], '2026-01-20T09:00:00Z', 'day', 'UTC', 'USD', ['-11.59', '19.33', '7.74']],
    // DST month in New York: 384 of 743 hours by second, 16 of 31 days by day.
    ['New York March by second', '100', '250', ['2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z'], '2026-03-16T04:00:00Z', 'second', 'America/New_York', 'USD', ['-51.68', '129.2', '77.52']],
    ['New York March by day', '100', '250', ['2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z'], '2026-03-16T04:00:00Z', 'day', 'America/New_York', 'USD', ['-51.61', '129.03', '77.42']],
    // JPY has no minor unit: 1000 × 10/31 = 322.58 → 323; 1500 × 10/31 = 483.87 → 484; 2500 × 10/31 = 806.45 → 806 alone.
    ['JPY, 10 of 31 days', '1000', '2500', ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], '2026-01-22T00:00:00Z', 'day', 'UTC', 'JPY', ['-323', '807', '484']],
    // BHD has 3: 12.345 × 7/30 = 2.8805 rounds half up to 2.881.
    ['BHD, 7 of 30 days', '12.345', '20.000', ['2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'], '2026-06-24T00:00:00Z', 'day', 'UTC', 'BHD', ['-2.881', '4.667', '1.786']],
    // KWD downgrade: 7.5 × 11/31 = 2.6612… → 2.661; −3.25 × 11/31 = −1.1532… → −1.153.
    ['KWD downgrade, 11 of 31 days', '7.5', '4.25', ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], '2026-01-21T00:00:00Z', 'day', 'UTC', 'KWD', ['-2.661', '1.508', '-1.153']],
  ])('%s', (_name, oldAmount, newAmount, [start, end], when, unit, timeZone, currency, [credit, charge, net]) => {
    const result = immediateChangeProration({
      oldAmount: d(oldAmount),
      newAmount: d(newAmount),
      period: period(start, end),
      at: at(when),
      unit,
      timeZone,
      currency,
    });
    expect([result.credit.toString(), result.charge.toString(), result.net.toString()]).toEqual([credit, charge, net]);
    expect(result.credit.plus(result.charge).equals(result.net)).toBe(true);
    expect(result.remaining).toEqual(period(when, end));
  });

  it('is zero, not negative zero, when the change is at the end of the period', () => {
    const result = immediateChangeProration({
      oldAmount: d(10),
      newAmount: d(20),
      period: period('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      at: at('2026-05-01T00:00:00Z'),
      unit: 'second',
      timeZone: 'UTC',
      currency: 'USD',
    });
    expect([result.credit, result.charge, result.net].map((v) => [v.toString(), v.isNegative()])).toEqual([
      ['0', false],
      ['0', false],
      ['0', false],
    ]);
  });

  it.each([
    ['a change before the period', '2026-03-31T23:59:59Z', 'USD'],
    ['a change after the period', '2026-05-01T00:00:01Z', 'USD'],
    ['an unknown currency', '2026-04-10T00:00:00Z', 'XYZ'],
  ])('refuses %s', (_name, when, currency) => {
    const input = {
      oldAmount: d(10),
      newAmount: d(20),
      period: period('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      at: at(when),
      unit: 'second' as const,
      timeZone: 'UTC',
      currency,
    };
    expect(() => immediateChangeProration(input)).toThrow(RangeError);
  });
});
