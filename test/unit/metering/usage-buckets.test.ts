import fc from 'fast-check';
import { toLocal } from '../../../domain/periods/zoned-time';
import { bucketEdges, bucketIndex, MAX_BUCKETS } from '../../../domain/metering/usage-buckets';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace('.000', ''));
const at = (text: string) => new Date(text);

describe('bucketEdges', () => {
  it.each([
    [
      'New York hours over the fall-back night: 01:00 twice',
      'America/New_York', 'hour', '2031-11-02T04:00:00Z', '2031-11-02T08:00:00Z',
      ['2031-11-02T04:00:00Z', '2031-11-02T05:00:00Z', '2031-11-02T06:00:00Z', '2031-11-02T07:00:00Z', '2031-11-02T08:00:00Z'],
    ],
    [
      'New York days around spring-forward: 24 h, 23 h, 24 h',
      'America/New_York', 'day', '2031-03-08T05:00:00Z', '2031-03-11T04:00:00Z',
      ['2031-03-08T05:00:00Z', '2031-03-09T05:00:00Z', '2031-03-10T04:00:00Z', '2031-03-11T04:00:00Z'],
    ],
    [
      'Kolkata hours start at half past the UTC hour',
      'Asia/Kolkata', 'hour', '2031-01-01T00:00:00Z', '2031-01-01T02:00:00Z',
      ['2031-01-01T00:00:00Z', '2031-01-01T00:30:00Z', '2031-01-01T01:30:00Z', '2031-01-01T02:00:00Z'],
    ],
    [
      'Lord Howe springs forward 30 minutes: 01:00 to 03:00 is one 90-minute bucket',
      'Australia/Lord_Howe', 'hour', '2026-10-03T13:30:00Z', '2026-10-03T17:00:00Z',
      ['2026-10-03T13:30:00Z', '2026-10-03T14:30:00Z', '2026-10-03T16:00:00Z', '2026-10-03T17:00:00Z'],
    ],
    [
      'Lord Howe falls back 30 minutes: 01:00 (+11) to 02:00 (+10:30) is 90 minutes',
      'Australia/Lord_Howe', 'hour', '2026-04-04T13:00:00Z', '2026-04-04T16:30:00Z',
      ['2026-04-04T13:00:00Z', '2026-04-04T14:00:00Z', '2026-04-04T15:30:00Z', '2026-04-04T16:30:00Z'],
    ],
    [
      'São Paulo 2018 skipped midnight: the day starts at 01:00',
      'America/Sao_Paulo', 'day', '2018-11-03T03:00:00Z', '2018-11-05T02:00:00Z',
      ['2018-11-03T03:00:00Z', '2018-11-04T03:00:00Z', '2018-11-05T02:00:00Z'],
    ],
    [
      'a range between edges: partial first and last buckets',
      'Europe/Amsterdam', 'hour', '2031-06-01T10:20:00Z', '2031-06-01T12:10:00Z',
      ['2031-06-01T10:20:00Z', '2031-06-01T11:00:00Z', '2031-06-01T12:00:00Z', '2031-06-01T12:10:00Z'],
    ],
    ['an empty range: no bucket', 'UTC', 'day', '2031-06-01T00:00:00Z', '2031-06-01T00:00:00Z', ['2031-06-01T00:00:00Z']],
  ] as const)('%s', (_label, zone, size, from, to, expected) => {
    expect(iso(bucketEdges(at(from), at(to), size, zone))).toEqual(expected);
  });

  it('refuses a reversed range, an unknown zone and too many buckets', () => {
    expect(() => bucketEdges(at('2031-01-02T00:00:00Z'), at('2031-01-01T00:00:00Z'), 'day', 'UTC')).toThrow(RangeError);
    expect(() => bucketEdges(at('2031-01-01T00:00:00Z'), at('2031-01-02T00:00:00Z'), 'day', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => bucketEdges(at('2000-01-01T00:00:00Z'), new Date(Date.parse('2000-01-01T00:00:00Z') + (MAX_BUCKETS + 1) * 3_600_000), 'hour', 'UTC')).toThrow(/more than/);
  });

  const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo'];
  it('property: edges tile [from, to); every inner edge is a local :00 (hour) or a local day start (day), and no local :00 lies strictly inside an hour bucket', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('hour' as const, 'day' as const),
        fc.integer({ min: Date.parse('2015-01-01T00:00:00Z') / 60_000, max: Date.parse('2035-01-01T00:00:00Z') / 60_000 }),
        fc.integer({ min: 0, max: 4 * 24 * 60 }),
        (zone, size, startMinute, minutes) => {
          const from = new Date(startMinute * 60_000);
          const to = new Date((startMinute + minutes) * 60_000);
          const edges = bucketEdges(from, to, size, zone);
          expect(edges[0]).toEqual(from);
          expect(edges.at(-1)).toEqual(to);
          for (let i = 1; i < edges.length; i++) expect(edges[i]!.getTime()).toBeGreaterThan(edges[i - 1]!.getTime());
          for (const edge of edges.slice(1, -1)) {
            const local = toLocal(edge.getTime(), zone);
            expect([local.minute, local.second]).toEqual([0, 0]);
            // A day starts at midnight unless the zone skipped it (then the first instant after the gap, still :00).
            if (size === 'day') expect(local.hour === 0 || toLocal(edge.getTime() - 1, zone).day !== local.day).toBe(true);
          }
          if (size === 'hour') {
            // Every offset in these zones is a multiple of 15 minutes, so checking quarter hours is enough.
            for (let i = 0; i + 1 < edges.length; i++) {
              for (let t = Math.floor(edges[i]!.getTime() / 900_000 + 1) * 900_000; t < edges[i + 1]!.getTime(); t += 900_000) {
                expect(toLocal(t, zone).minute === 0).toBe(false);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bucketIndex', () => {
  const edges = [10, 20, 35, 50];
  it.each([
    [9, -1], [10, 0], [19, 0], [20, 1], [34, 1], [35, 2], [49, 2], [50, -1],
  ])('instant %d is in bucket %d', (t, expected) => {
    expect(bucketIndex(edges, t)).toBe(expected);
  });
  it('has no bucket with fewer than two edges', () => {
    expect(bucketIndex([10], 10)).toBe(-1);
  });
});
