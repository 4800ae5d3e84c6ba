import fc from 'fast-check';
import { portSamplesFromDays, slotRate, slotStart, slotWindow, windowDays, type SampleDay } from '../../../domain/metering/sample-days';

describe('slotRate: sum ÷ count rounded half up to a whole bit/s', () => {
  it.each([
    [2003, 2, 1002], [2002, 2, 1001], [1, 2, 1], [3, 2, 2], [10, 3, 3], [11, 3, 4], [7, 1, 7], [0, 5, 0],
    [2.5, 1, 3], [1000.4, 1, 1000], [0, 0, null],
    [Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER], [Number.MAX_SAFE_INTEGER - 1, 2, 4503599627370495],
  ])('%d over %d is %s', (sum, count, expected) => {
    expect(slotRate(sum, count)).toBe(expected);
  });

  it('refuses a negative sum or count', () => {
    expect(() => slotRate(-1, 1)).toThrow(RangeError);
    expect(() => slotRate(1, -1)).toThrow(RangeError);
  });

  it('property: equals exact integer half-up division', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 52n }), fc.integer({ min: 1, max: 1000 }), (sum, count) => {
        const c = BigInt(count);
        expect(slotRate(Number(sum), count)).toBe(Number((2n * sum + c) / (2n * c)));
      }),
    );
  });
});

describe('slotWindow', () => {
  it('takes the slots that start in [from, to)', () => {
    const w = slotWindow(new Date('2031-04-01T00:02:00Z'), new Date('2031-04-01T01:00:00Z'), 5);
    expect(w.count).toBe(11);
    expect(slotStart(w, 0).toISOString()).toBe('2031-04-01T00:05:00.000Z');
    expect(slotStart(w, 10).toISOString()).toBe('2031-04-01T00:55:00.000Z');
    const month = slotWindow(new Date('2031-04-01T04:00:00Z'), new Date('2031-05-01T04:00:00Z'), 5);
    expect(month.count).toBe(8640);
    // Apr 1 … May 1 (UTC), 31 day rows.
    const days = windowDays(month);
    expect(days.lastDay - days.firstDay).toBe(30);
  });

  it('refuses a slot length that does not divide a day', () => {
    expect(() => slotWindow(new Date(0), new Date(1), 7)).toThrow(RangeError);
  });
});

describe('portSamplesFromDays', () => {
  const day = (dayNumber: number, fill: (s: number) => [number, number], compact = false): SampleDay => {
    const inSum = Array.from({ length: 288 }, (_, s) => fill(s)[0]);
    const inCount = Array.from({ length: 288 }, (_, s) => fill(s)[1]);
    return { day: dayNumber, inSum, inCount: compact ? null : inCount, outSum: inSum.map((x) => 2 * x), outCount: compact ? null : inCount };
  };
  const D = Date.parse('2031-04-01T00:00:00Z') / 86_400_000;

  it('places each day, keeps only the window, and marks count 0 unknown', () => {
    const window = slotWindow(new Date('2031-04-01T23:50:00Z'), new Date('2031-04-02T00:10:00Z'), 5);
    const samples = portSamplesFromDays('p', [day(D + 1, (s) => [100 + s, s === 1 ? 0 : 1]), day(D, (s) => [s, 1])], window);
    expect(samples).toEqual({ portId: 'p', in: [286, 287, 100, null], out: [572, 574, 200, null] });
  });

  it('adds repeated days before dividing (one series under two subscriptions), compact counts meaning one each', () => {
    const window = slotWindow(new Date('2031-04-01T00:00:00Z'), new Date('2031-04-01T00:10:00Z'), 5);
    const samples = portSamplesFromDays('p', [day(D, () => [1000, 1], true), day(D, () => [3001, 1])], window);
    expect(samples.in).toEqual([2001, 2001]);
    expect(samples.out).toEqual([4001, 4001]);
  });

  it('leaves a day without a row unknown', () => {
    const window = slotWindow(new Date('2031-04-01T23:55:00Z'), new Date('2031-04-02T00:05:00Z'), 5);
    expect(portSamplesFromDays('p', [day(D, () => [5, 1])], window).in).toEqual([5, null]);
  });
});
