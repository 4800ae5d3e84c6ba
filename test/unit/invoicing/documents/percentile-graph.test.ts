import fc from 'fast-check';
import { localMidnights, niceStep, percentileGraph, type PercentileGraphSeries } from '../../../../services/invoicing/documents/percentile-graph';
import { sampleTransitSeries } from '../../../support/invoice-fixtures';

const START = '2026-04-01T04:00:00.000Z';

function series(inbound: Array<number | null>, outbound = inbound): PercentileGraphSeries {
  const end = new Date(Date.parse(START) + inbound.length * 300_000).toISOString();
  return { slotMinutes: 5, start: START, end, inbound, outbound };
}

const options = { width: 100, height: 50, timezone: 'America/New_York', billed: null, commit: null };

describe('percentileGraph', () => {
  test('an unknown slot breaks the line and becomes a gap band, never a zero', () => {
    const g = percentileGraph(series([10, 20, null, null, 40, 50]), { ...options, width: 60, columns: 60 });
    expect(g.inbound).toHaveLength(2);
    const [before, after] = g.inbound;
    expect(before?.map((p) => p.x)).toEqual([5, 15]);
    expect(after?.map((p) => p.x)).toEqual([45, 55]);
    // No point anywhere sits on the floor: the gap was not drawn as 0.
    expect(g.inbound.flat().every((p) => p.y < 50)).toBe(true);
    expect(g.gaps).toEqual([{ fromSlot: 2, toSlot: 4, x: 20, width: 20 }]);
  });

  test('a gap in one direction is a band and breaks only that direction', () => {
    const g = percentileGraph(series([1, 2, 3, 4], [1, null, 3, 4]), { ...options, width: 40, columns: 40 });
    expect(g.inbound).toHaveLength(1);
    expect(g.outbound).toHaveLength(2);
    expect(g.gaps.map((gap) => [gap.fromSlot, gap.toSlot])).toEqual([[1, 2]]);
  });

  test('a single missing 5-minute slot in a month is still wide enough to see', () => {
    const values: Array<number | null> = Array.from({ length: 8640 }, () => 100);
    values[4000] = null;
    const g = percentileGraph(series(values), { ...options, width: 500 });
    expect(g.gaps).toHaveLength(1);
    expect(g.gaps[0]?.width).toBe(1.5);
    expect(g.inbound).toHaveLength(2);
  });

  test('a lone sample between gaps is drawn across its slot', () => {
    const g = percentileGraph(series([null, 30, null]), { ...options, width: 30, columns: 30 });
    expect(g.inbound).toEqual([[{ x: 10, y: expect.any(Number) }, { x: 20, y: expect.any(Number) }]]);
  });

  test('the billed 95th and the commit lines sit at their values on the y scale', () => {
    const g = percentileGraph(series([100, 400, 748.07, 900]), { ...options, billed: 748.07, commit: 500 });
    expect(g.yMax).toBe(1000);
    expect(g.billed).toEqual({ value: 748.07, y: 50 - (748.07 / 1000) * 50 });
    expect(g.commit).toEqual({ value: 500, y: 25 });
    expect(g.yTicks.map((t) => t.value)).toEqual([0, 200, 400, 600, 800, 1000]);
    // A commit above every sample still fits on the chart.
    expect(percentileGraph(series([10, 20]), { ...options, commit: 500 }).commit?.y).toBeGreaterThanOrEqual(0);
  });

  test('a month of samples becomes a few points per column, keeping each column extremes', () => {
    const s = sampleTransitSeries();
    const g = percentileGraph(s, { ...options, width: 480, height: 100, billed: 748.07, commit: 500 });
    const points = g.outbound.flat().length;
    expect(points).toBeLessThan(4 * 960 + 2 * g.outbound.length);
    expect(points).toBeGreaterThan(960);
    // The month's peak (the burst on 15 April) is drawn at its height.
    const peak = Math.max(...s.outbound.filter((v): v is number => v !== null));
    expect(Math.min(...g.outbound.flat().map((p) => p.y))).toBeCloseTo(100 - (peak / g.yMax) * 100, 9);
    // One polyline per run of known slots: the fixture has three outages.
    expect(g.outbound).toHaveLength(4);
    expect(g.gaps).toHaveLength(3);
  });

  test('runs never cross an unknown slot and keep time order (property)', () => {
    const slot = fc.option(fc.double({ min: 0, max: 10_000, noNaN: true }), { nil: null, freq: 4 });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 200 }), (values, columns) => {
        const width = 400;
        const g = percentileGraph(series(values), { ...options, width, columns });
        const slotWidth = width / values.length;
        const knownRuns = values.reduce<number>((runs, v, i) => runs + (v !== null && (i === 0 || values[i - 1] === null) ? 1 : 0), 0);
        expect(g.inbound).toHaveLength(knownRuns);
        for (const run of g.inbound) {
          for (let i = 1; i < run.length; i++) expect((run[i]?.x ?? 0) >= (run[i - 1]?.x ?? 0)).toBe(true);
          const from = Math.floor(((run[0]?.x ?? 0) + 1e-9) / slotWidth);
          const to = Math.min(values.length - 1, Math.floor(((run.at(-1)?.x ?? 0) - 1e-9) / slotWidth));
          for (let s = from; s <= to; s++) expect(values[s]).not.toBeNull();
        }
        const unknown = values.filter((v) => v === null).length;
        expect(g.gaps.reduce((n, gap) => n + gap.toSlot - gap.fromSlot, 0)).toBe(unknown);
      }),
    );
  });

  test('rejects a series whose length does not match its period', () => {
    expect(() => percentileGraph({ ...series([1, 2, 3]), end: '2026-04-01T05:00:00.000Z' }, options)).toThrow(RangeError);
    expect(() => percentileGraph(series([1, 2, 3], [1, 2]), options)).toThrow(RangeError);
  });
});

describe('day ticks', () => {
  test('local midnights across the spring DST change in Berlin', () => {
    const days = localMidnights(new Date('2026-02-28T23:00:00Z'), new Date('2026-03-31T22:00:00Z'), 'Europe/Berlin');
    expect(days).toHaveLength(31);
    expect(days[0]?.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(days[28]?.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(days[29]?.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  test('a period starting mid-day gets ticks from the next midnight', () => {
    const days = localMidnights(new Date('2026-04-01T16:00:00Z'), new Date('2026-04-03T16:00:00Z'), 'America/New_York');
    expect(days.map((d) => d.toISOString())).toEqual(['2026-04-02T04:00:00.000Z', '2026-04-03T04:00:00.000Z']);
  });

  test('a month labels every seventh day', () => {
    const g = percentileGraph(sampleTransitSeries(), { ...options, width: 480 });
    expect(g.dayTicks).toHaveLength(30);
    expect(g.dayTicks.filter((t) => t.labelled).map((t) => t.instant.toISOString().slice(0, 10))).toEqual([
      '2026-04-01', '2026-04-08', '2026-04-15', '2026-04-22', '2026-04-29',
    ]);
  });

  test('niceStep picks 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([niceStep(1000, 5), niceStep(1450, 5), niceStep(12, 5), niceStep(0.7, 5)]).toEqual([200, 500, 2.5, 0.2]);
  });
});
