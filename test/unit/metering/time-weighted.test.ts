import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { gaugeUnitHours, integrateGauge, unitHoursFromSeconds } from '../../../domain/metering/time-weighted';

const H = 3_600_000_000; // one hour in µs
const d = (v: string | number) => new Decimal(v);
const r = (atUs: number, value: string | number) => ({ atUs, value: d(value) });
const text = (xs: Decimal[]) => xs.map((x) => x.toFixed());

describe('integrateGauge', () => {
  it('holds each reading until the next and the last one until the end', () => {
    // 2 GB for 1 h, 5 GB for 2 h, 1 GB for the last hour.
    expect(gaugeUnitHours(null, [r(0, 2), r(H, 5), r(3 * H, 1)], 0, 4 * H).toFixed()).toBe('13');
  });

  it('counts nothing before the first reading when there is no carry-in, and the carry-in from the start when there is', () => {
    expect(gaugeUnitHours(null, [r(2 * H, 3)], 0, 4 * H).toFixed()).toBe('6');
    expect(gaugeUnitHours(d(10), [r(2 * H, 3)], 0, 4 * H).toFixed()).toBe('26');
    expect(gaugeUnitHours(d('3.25'), [], 0, 744 * H).toFixed()).toBe('2418');
  });

  it('at the same instant only the last reading in order holds', () => {
    expect(gaugeUnitHours(null, [r(0, 100), r(0, 1)], 0, H).toFixed()).toBe('1');
  });

  it('splits a reading across the buckets it spans, to the microsecond', () => {
    const hours = integrateGauge(d(4), [r(H + 1, 8)], [0, H, 2 * H, 3 * H]);
    // 4 for the first hour and 1 µs, then 8.
    expect(text(hours)).toEqual(['4', d(4).times(1).plus(d(8).times(H - 1)).dividedBy(H).toFixed(), '8']);
  });

  it('refuses readings outside the range or out of order', () => {
    expect(() => integrateGauge(null, [r(-1, 1)], [0, H])).toThrow(RangeError);
    expect(() => integrateGauge(null, [r(H, 1)], [0, H])).toThrow(RangeError);
    expect(() => integrateGauge(null, [r(2, 1), r(1, 1)], [0, H])).toThrow(/sorted/);
  });

  it('property: the buckets add up to the whole range, exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 * H - 1 }), fc.integer({ min: 0, max: 1_000_000 })), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 100 * H - 1 }), { maxLength: 10 }),
        fc.option(fc.integer({ min: 0, max: 1000 })),
        (raw, cuts, carry) => {
          const readings = raw.map(([at, milli]) => ({ atUs: at, value: d(milli).dividedBy(1000) })).sort((a, b) => a.atUs - b.atUs);
          const edges = [0, ...[...new Set(cuts)].sort((a, b) => a - b), 100 * H];
          const carryIn = carry === null ? null : d(carry);
          const parts = integrateGauge(carryIn, readings, edges).reduce((s, x) => s.plus(x), d(0));
          // Each bucket is rounded to 40 significant digits on its own: allow that much.
          expect(parts.minus(gaugeUnitHours(carryIn, readings, 0, 100 * H)).abs().lessThan('1e-30')).toBe(true);
        },
      ),
    );
  });
});

it('unitHoursFromSeconds divides by 3600', () => {
  expect(unitHoursFromSeconds(d('7200.5')).toFixed()).toBe(d('7200.5').dividedBy(3600).toFixed());
});
