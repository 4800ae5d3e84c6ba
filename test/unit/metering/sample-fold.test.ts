import fc from 'fast-check';
import { addToDay, canFold, emptyDay, foldSamples, NIL_UUID, seriesOf, slotOf, type Sample } from '../../../domain/metering/sample-fold';

const ACCOUNT = '0199a2b4-0000-7000-8000-000000000001';
const MIDNIGHT = Date.parse('2026-11-24T00:00:00Z');
const sample = (minute: number, rates: { in?: number; out?: number }, over: Partial<Sample> = {}): Sample => ({
  accountId: ACCOUNT, subscriptionId: null, code: 'interface.rate', property: 'bps', slotMinutes: 5, series: '{"port":"p1"}',
  occurredAtMs: MIDNIGHT + minute * 60_000, in: rates.in, out: rates.out, ...over,
});

describe('slotOf', () => {
  it.each([
    ['00:00:00', 5, 0],
    ['00:04:59.999', 5, 0],
    ['00:05:00', 5, 1],
    ['23:59:59.999', 5, 287],
    ['12:00:00', 15, 48],
    ['23:59:00', 1, 1439],
  ])('%s in %i-minute slots is slot %i', (time, width, slot) => {
    expect(slotOf(Date.parse(`2026-11-24T${time}Z`), width)).toEqual({ dayNumber: MIDNIGHT / 86_400_000, slot });
  });

  it('only folds widths that tile a day', () => {
    expect([1, 5, 15, 45, 60].map(canFold)).toEqual([true, true, true, true, true]);
    expect([0, 7, 50, 120, 2.5].map(canFold)).toEqual([false, false, false, false, false]);
  });
});

describe('seriesOf', () => {
  it('is the string-valued top-level properties, keys sorted', () => {
    expect(seriesOf({ region: 'ams1', port: 'xe-0/0/1', bps: { in: 1 }, vlan: 42, up: true })).toBe('{"port":"xe-0/0/1","region":"ams1"}');
    expect(seriesOf({ bps: { in: 1 } })).toBe('{}');
  });
});

describe('foldSamples', () => {
  it('sums samples per series, day and slot, each direction counted on its own (sorted by key: nil subscription first)', () => {
    const folded = foldSamples([
      sample(0, { in: 100, out: 10 }),
      sample(4, { in: 300 }),
      sample(5, { out: 7 }),
      sample(1440 + 1, { in: 1 }),
      sample(1, { in: 5 }, { series: '{"port":"p2"}', subscriptionId: '0199a2b4-0000-7000-8000-0000000000aa' }),
    ]);
    expect(folded).toEqual([
      {
        accountId: ACCOUNT, subscriptionId: NIL_UUID, code: 'interface.rate', property: 'bps', slotMinutes: 5, series: '{"port":"p1"}', day: '2026-11-24',
        slots: [{ slot: 0, inSum: 400, inCount: 2, outSum: 10, outCount: 1 }, { slot: 1, inSum: 0, inCount: 0, outSum: 7, outCount: 1 }],
      },
      {
        accountId: ACCOUNT, subscriptionId: NIL_UUID, code: 'interface.rate', property: 'bps', slotMinutes: 5, series: '{"port":"p1"}', day: '2026-11-25',
        slots: [{ slot: 0, inSum: 1, inCount: 1, outSum: 0, outCount: 0 }],
      },
      {
        accountId: ACCOUNT, subscriptionId: '0199a2b4-0000-7000-8000-0000000000aa', code: 'interface.rate', property: 'bps', slotMinutes: 5,
        series: '{"port":"p2"}', day: '2026-11-24', slots: [{ slot: 0, inSum: 5, inCount: 1, outSum: 0, outCount: 0 }],
      },
    ]);
  });

  it('folding in any split into batches gives the same day arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.integer({ min: 0, max: 1439 }), rate: fc.integer({ min: 0, max: 1e12 }) }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (points, cut) => {
          const samples = points.map((p) => sample(p.minute, { in: p.rate, out: p.rate * 2 }));
          const apply = (day: ReturnType<typeof emptyDay>, part: Sample[]) => foldSamples(part).reduce((d, s) => addToDay(d, s.slots), day);
          const whole = apply(emptyDay(5), samples);
          const split = apply(apply(emptyDay(5), samples.slice(0, cut)), samples.slice(cut));
          expect(split).toEqual(whole);
          expect(whole.inCount.reduce((a, b) => a + b, 0)).toBe(samples.length);
          expect(whole.inSum.reduce((a, b) => a + b, 0)).toBe(points.reduce((a, p) => a + p.rate, 0));
        },
      ),
    );
  });
});
