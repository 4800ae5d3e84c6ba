import fc from 'fast-check';
import { type BillingCycle, periodContaining } from '../../../domain/periods/billing-cycle';
import { daysInMonth, fromLocal, localDayNumber, type LocalDateTime, toLocal } from '../../../domain/periods/zoned-time';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond: 0,
});

describe('fromLocal', () => {
  it.each([
    ['UTC', wall(2026, 6, 1, 12), '2026-06-01T12:00:00.000Z'],
    ['Asia/Kolkata', wall(2026, 1, 1), '2025-12-31T18:30:00.000Z'],
    ['Pacific/Chatham', wall(2026, 7, 1), '2026-06-30T11:15:00.000Z'], // +12:45 in winter
    // Gaps: the wall time moves forward by the gap.
    ['America/New_York', wall(2026, 3, 8, 2, 30), '2026-03-08T07:30:00.000Z'], // 03:30 EDT
    ['Europe/Berlin', wall(2026, 3, 29, 2, 30), '2026-03-29T01:30:00.000Z'], // 03:30 CEST
    ['America/Sao_Paulo', wall(2018, 11, 4), '2018-11-04T03:00:00.000Z'], // midnight skipped: 01:00 −02
    ['Australia/Lord_Howe', wall(2026, 10, 4, 2, 15), '2026-10-03T15:45:00.000Z'], // 30-minute gap: 02:45 +11
    // Overlaps: the first occurrence.
    ['America/New_York', wall(2026, 11, 1, 1, 30), '2026-11-01T05:30:00.000Z'], // EDT, not 06:30Z EST
    ['Europe/Berlin', wall(2026, 10, 25, 2, 30), '2026-10-25T00:30:00.000Z'], // CEST, not 01:30Z CET
    ['Australia/Sydney', wall(2026, 4, 5, 2, 30), '2026-04-04T15:30:00.000Z'], // AEDT, not 16:30Z AEST
    ['Australia/Lord_Howe', wall(2026, 4, 5, 1, 45), '2026-04-04T14:45:00.000Z'], // +11, not 15:15Z +10:30
  ])('%s %o is %s', (zone, local, expected) => {
    expect(fromLocal(local, zone).toISOString()).toBe(expected);
  });

  it('handles years before 100 and before the common era', () => {
    expect(fromLocal(wall(50, 3, 1), 'UTC').toISOString()).toBe('0050-03-01T00:00:00.000Z');
    expect(toLocal(Date.UTC(-5, 0, 1), 'UTC')).toMatchObject({ year: -5, month: 1, day: 1 });
  });

  it('reads the wall clock back for any instant, moving only the second occurrence of an hour (property)', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, t) => {
        const back = fromLocal(toLocal(t, zone), zone).getTime();
        expect(toLocal(back, zone)).toEqual(toLocal(t, zone));
        expect(back).toBeLessThanOrEqual(t);
        expect(t - back).toBeLessThanOrEqual(3_600_000);
      }),
    );
  });
});

describe('calendar helpers', () => {
  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [2100, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it('numbers local dates, not UTC dates', () => {
    expect(localDayNumber(Date.parse('1970-01-02T00:00:00Z'), 'UTC')).toBe(1);
    // 2026-01-01T20:00Z is already Jan 2 in Kolkata and still Jan 1 in New York.
    const t = Date.parse('2026-01-01T20:00:00Z');
    expect(localDayNumber(t, 'Asia/Kolkata') - localDayNumber(t, 'America/New_York')).toBe(1);
  });

  it('uses calendar midnight even where midnight is skipped', () => {
    const cycle: BillingCycle = { interval: 'month', timeZone: 'America/Sao_Paulo', anchor: { kind: 'calendar', day: 4 } };
    expect(periodContaining(cycle, new Date('2018-11-20T00:00:00Z')).start.toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });
});
