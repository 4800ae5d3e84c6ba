import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import type { ReadingsInput } from '../../../domain/pricing/inputs';
import { rateTimeOfUse, timeOfUseConfig } from '../../../domain/pricing/models/time-of-use';
import { WEEKDAYS } from '../../../domain/time/local-time';

const d = (v: string | number) => new Decimal(v);
const QUARTER = 15 * 60_000;

/** `count` 15-minute readings of `kwh` each, the first starting at `fromIso`. */
function quarters(fromIso: string, count: number, kwh: string | number = 1): ReadingsInput['readings'] {
  const start = new Date(fromIso).getTime();
  return Array.from({ length: count }, (_, i) => ({ at: new Date(start + i * QUARTER), quantity: d(kwh) }));
}

const readings = (timezone: string, list: ReadingsInput['readings']): ReadingsInput => ({ kind: 'readings', timezone, readings: list });

/** Quantity per line, keyed by the line's first word (the window name). */
function byWindow(config: unknown, input: ReadingsInput): Record<string, string> {
  const rating = rateTimeOfUse(timeOfUseConfig.parse(config), input);
  return Object.fromEntries(rating.lines.map((l) => [l.description.split(' ')[0], l.quantity?.toFixed() ?? '']));
}

const everyDay = [...WEEKDAYS];
const WEEKDAY_PEAK = {
  model: 'time_of_use',
  windows: [{ name: 'peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '20:00', unit_price: '0.21' }],
  default_unit_price: '0.12',
};

describe('time_of_use: worked examples', () => {
  it('prices each window and the off-peak rest, one line each', () => {
    // Tue 2026-03-10 in New York (EDT, UTC−4): 07:45 off-peak, 08:00 and 19:45 peak, 20:00 off-peak.
    const input = readings('America/New_York', [
      { at: new Date('2026-03-10T11:45:00Z'), quantity: d('2.5') },
      { at: new Date('2026-03-10T12:00:00Z'), quantity: d('3') },
      { at: new Date('2026-03-10T23:45:00Z'), quantity: d('4') },
      { at: new Date('2026-03-11T00:00:00Z'), quantity: d('1.5') },
    ]);
    const rating = rateTimeOfUse(timeOfUseConfig.parse(WEEKDAY_PEAK), input);
    // peak 3 + 4 = 7 kWh × 0.21 = 1.47; off-peak 2.5 + 1.5 = 4 kWh × 0.12 = 0.48; total 1.95.
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed()])).toEqual([
      ['peak (mon–fri 08:00–20:00): 7 kWh at 0.21', '1.47'],
      ['off-peak (all other times): 4 kWh at 0.12', '0.48'],
    ]);
    expect(rating.amount.toFixed()).toBe('1.95');
    expect(rating.quantity?.toFixed()).toBe('11');
    expect(rating.details).toEqual({ timezone: 'America/New_York', readings: 4 });
  });

  it('follows the weekday/weekend boundary on the local calendar, not the UTC one', () => {
    // Fri 2026-03-06 19:00–21:00 EST (00:00–02:00Z Saturday UTC): 19:00–19:45 peak (4 readings), 20:00–20:45 off-peak (4).
    // Sat 2026-03-07 08:00–10:00 EST: weekend, off-peak (8).
    const input = readings('America/New_York', [...quarters('2026-03-07T00:00:00Z', 8), ...quarters('2026-03-07T13:00:00Z', 8)]);
    expect(byWindow(WEEKDAY_PEAK, input)).toEqual({ peak: '4', 'off-peak': '12' });
  });

  it('classifies the New York spring-forward day (2026-03-08, 23 hours) by wall time', () => {
    // One reading per real quarter hour from 00:00 EST for 24 real hours = 96 readings of 1 kWh.
    // Local 01:00–04:00 window: 01:00–01:45 EST (4) then 03:00–03:45 EDT (4); 02:xx does not exist. 8 kWh,
    // where a fixed EST offset would have counted 12. The last 4 readings fall on Mon 00:00–01:00: off-peak.
    const config = { ...WEEKDAY_PEAK, windows: [{ name: 'night', days: everyDay, start: '01:00', end: '04:00', unit_price: '0.08' }] };
    expect(byWindow(config, readings('America/New_York', quarters('2026-03-08T05:00:00Z', 96)))).toEqual({ night: '8', 'off-peak': '88' });
  });

  it('classifies both runs of the repeated hour on the New York fall-back day (2026-11-01, 25 hours)', () => {
    // 100 real quarter hours from 00:00 EDT. 01:00–01:45 happens in EDT and again in EST: 8 readings in 01:00–02:00.
    const config = { ...WEEKDAY_PEAK, windows: [{ name: 'night', days: ['sun'], start: '01:00', end: '02:00', unit_price: '0.08' }] };
    const rating = rateTimeOfUse(timeOfUseConfig.parse(config), readings('America/New_York', quarters('2026-11-01T04:00:00Z', 100)));
    // night 8 × 0.08 = 0.64; off-peak 92 × 0.12 = 11.04.
    expect(rating.lines.map((l) => [l.quantity?.toFixed(), l.amount.toFixed()])).toEqual([
      ['8', '0.64'],
      ['92', '11.04'],
    ]);
  });

  it('skips the missing hour in Berlin (2026-03-29) and counts the repeated one twice (2026-10-25)', () => {
    const config = {
      ...WEEKDAY_PEAK,
      windows: [
        { name: 'two', days: ['sun'], start: '02:00', end: '03:00', unit_price: '0.30' },
        { name: 'three', days: ['sun'], start: '03:00', end: '04:00', unit_price: '0.10' },
      ],
    };
    // Spring: the local day from 00:00 CET (23:00Z) has 23 hours = 92 quarters; 02:00–03:00 never happens.
    expect(byWindow(config, readings('Europe/Berlin', quarters('2026-03-28T23:00:00Z', 92)))).toEqual({ two: '0', three: '4', 'off-peak': '88' });
    // Autumn: from 00:00 CEST (22:00Z) the day has 25 hours = 100 quarters; 02:00–03:00 happens twice.
    expect(byWindow(config, readings('Europe/Berlin', quarters('2026-10-24T22:00:00Z', 100)))).toEqual({ two: '8', three: '4', 'off-peak': '88' });
  });

  it('honours a half-hour offset (Asia/Kolkata, UTC+05:30)', () => {
    // Mon 2026-06-01: 02:15Z = 07:45 IST off-peak, 02:30Z = 08:00 peak, 14:15Z = 19:45 peak, 14:30Z = 20:00 off-peak.
    const at = ['2026-06-01T02:15:00Z', '2026-06-01T02:30:00Z', '2026-06-01T14:15:00Z', '2026-06-01T14:30:00Z'];
    const input = readings('Asia/Kolkata', at.map((iso) => ({ at: new Date(iso), quantity: d(1) })));
    expect(byWindow(WEEKDAY_PEAK, input)).toEqual({ peak: '2', 'off-peak': '2' });
  });

  it('gives a window that crosses midnight to the day it starts, including Sunday into Monday', () => {
    const config = {
      ...WEEKDAY_PEAK,
      windows: [
        { name: 'friday-night', days: ['fri'], start: '22:00', end: '06:00', unit_price: '0.05' },
        { name: 'sunday-night', days: ['sun'], start: '23:00', end: '01:00', unit_price: '0.06' },
      ],
    };
    const at = [
      '2026-01-09T22:00:00Z', // Fri 22:00 → friday-night
      '2026-01-10T05:45:00Z', // Sat 05:45 → friday-night (started Friday)
      '2026-01-10T06:00:00Z', // Sat 06:00 → off-peak (window end is exclusive)
      '2026-01-10T23:30:00Z', // Sat 23:30 → off-peak (no Saturday window)
      '2026-01-11T23:00:00Z', // Sun 23:00 → sunday-night
      '2026-01-12T00:45:00Z', // Mon 00:45 → sunday-night, wrapping past the end of the week
      '2026-01-12T01:00:00Z', // Mon 01:00 → off-peak
    ];
    const input = readings('UTC', at.map((iso) => ({ at: new Date(iso), quantity: d(1) })));
    expect(byWindow(config, input)).toEqual({ 'friday-night': '2', 'sunday-night': '2', 'off-peak': '3' });
  });

  it('names the off-peak line and unit as configured, and lists empty windows with zero', () => {
    const config = { ...WEEKDAY_PEAK, default_name: 'night-and-weekend', unit_label: 'MWh' };
    const rating = rateTimeOfUse(timeOfUseConfig.parse(config), readings('UTC', []));
    expect(rating.lines.map((l) => l.description)).toEqual([
      'peak (mon–fri 08:00–20:00): 0 MWh at 0.21',
      'night-and-weekend (all other times): 0 MWh at 0.12',
    ]);
    expect(rating.amount.isZero()).toBe(true);
  });

  it('refuses an unknown zone and negative readings rather than guess', () => {
    const config = timeOfUseConfig.parse(WEEKDAY_PEAK);
    expect(() => rateTimeOfUse(config, readings('Mars/Olympus', []))).toThrow(/unknown time zone/);
    expect(() => rateTimeOfUse(config, readings('UTC', [{ at: new Date('2026-01-01T00:00:00Z'), quantity: d(-1) }]))).toThrow(/negative reading/);
  });
});

describe('time_of_use: validation', () => {
  const paths = (config: unknown) => {
    const result = timeOfUseConfig.safeParse(config);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('reports every problem at once, each with its path', () => {
    const problems = paths({
      model: 'time_of_use',
      windows: [
        { name: 'peak', days: ['mon', 'tue'], start: '08:00', end: '20:00', unit_price: '0.21' },
        { name: 'shoulder', days: ['tue', 'tue'], start: '8:00', end: '25:00', unit_price: '-0.10' },
        { name: 'evening', days: ['mon', 'fri'], start: '19:00', end: '22:00', unit_price: '0.15' }, // overlaps peak on mon
        { name: 'peak', days: ['sat'], start: '24:00', end: '06:00', unit_price: '0.10' },
        { name: 'all-day', days: ['sun', 'funday'], start: '06:00', end: '06:00', unit_price: '0.1' },
        { name: 'late', days: ['thu'], start: '22:00', end: '07:00', unit_price: '0.1' }, // crosses into fri, no clash
        { name: 'early', days: ['fri'], start: '06:00', end: '08:00', unit_price: '0.1' }, // overlaps late's fri 06:00–07:00
      ],
      default_unit_price: '-1',
    });
    // Field checks first, in document order; then the cross-field checks (repeats, overlaps, names).
    expect(problems).toEqual([
      'windows.1.start: must be HH:MM between 00:00 and 24:00',
      'windows.1.end: must be HH:MM between 00:00 and 24:00',
      'windows.1.unit_price: must not be negative',
      'windows.4.days.1: must be one of mon, tue, wed, thu, fri, sat, sun',
      'default_unit_price: must not be negative',
      'windows.1.days.1: repeats tue',
      'windows.2: overlaps windows[0] "peak"',
      'windows.3.start: must be before 24:00',
      'windows.3.name: must be unique among the windows and the default name',
      'windows.4.end: must differ from start',
      'windows.6: overlaps windows[5] "late"',
    ]);
  });

  it('accepts adjacent windows and a whole day written 00:00–24:00', () => {
    const config = {
      ...WEEKDAY_PEAK,
      windows: [
        { name: 'morning', days: ['mon'], start: '00:00', end: '12:00', unit_price: '0.1' },
        { name: 'afternoon', days: ['mon'], start: '12:00', end: '24:00', unit_price: '0.2' },
        { name: 'sunday', days: ['sun'], start: '00:00', end: '24:00', unit_price: '0.3' },
      ],
    };
    expect(paths(config)).toEqual([]);
  });

  // Window times on a 15-minute grid, so checking each quarter of the week finds every overlap.
  const gridTime = fc.integer({ min: 0, max: 96 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
  const window = fc.record({
    days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
    start: gridTime.filter((t) => t !== '24:00'),
    end: gridTime,
  });

  it('accepts windows exactly when no quarter of the week lies in two of them (property)', () => {
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 4 }), (windows) => {
        fc.pre(windows.every((w) => w.start !== w.end));
        const config = { ...WEEKDAY_PEAK, windows: windows.map((w, i) => ({ ...w, name: `w${i}`, unit_price: '1' })) };
        const owners = new Map<number, number>();
        let clash = false;
        windows.forEach((w, i) => {
          const toQ = (t: string) => Number(t.slice(0, 2)) * 4 + Number(t.slice(3)) / 15;
          const length = toQ(w.end) > toQ(w.start) ? toQ(w.end) - toQ(w.start) : 96 - toQ(w.start) + toQ(w.end);
          for (const day of w.days) {
            for (let q = 0; q < length; q++) {
              const slot = (WEEKDAYS.indexOf(day) * 96 + toQ(w.start) + q) % (7 * 96);
              if (owners.has(slot) && owners.get(slot) !== i) clash = true;
              owners.set(slot, i);
            }
          }
        });
        expect(timeOfUseConfig.safeParse(config).success).toBe(!clash);
      }),
      { numRuns: 500 },
    );
  });
});

describe('time_of_use: properties', () => {
  const config = timeOfUseConfig.parse({
    model: 'time_of_use',
    windows: [
      { name: 'peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '20:00', unit_price: '0.213' },
      { name: 'night', days: everyDay, start: '23:00', end: '05:30', unit_price: '0.071' },
      { name: 'weekend', days: ['sat', 'sun'], start: '10:00', end: '18:00', unit_price: '0.15' },
    ],
    default_unit_price: '0.1234',
  });
  const zone = fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham');
  const reading = fc.record({
    at: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms)),
    quantity: fc.bigInt({ min: 0n, max: 10n ** 12n }).map((milli) => d(milli.toString()).dividedBy(1000)),
  });

  it('conserves quantity, and the lines sum to the total (property)', () => {
    fc.assert(
      fc.property(zone, fc.array(reading, { maxLength: 60 }), (timezone, list) => {
        const rating = rateTimeOfUse(config, readings(timezone, list));
        const inputTotal = sum(list.map((r) => r.quantity));
        expect(sum(rating.lines.map((l) => l.quantity ?? d(0))).equals(inputTotal)).toBe(true);
        expect(rating.quantity?.equals(inputTotal)).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
        for (const l of rating.lines) expect(l.quantity?.times(l.unitPrice ?? d(0)).equals(l.amount)).toBe(true);
        expect(rating.lines).toHaveLength(4);
      }),
      { numRuns: 300 },
    );
  });
});
