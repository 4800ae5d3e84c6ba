import fc from 'fast-check';
import { formatClockTime, parseClockTime } from '../../domain/time/clock-time';
import { localParts, WEEKDAYS } from '../../domain/time/local-time';

describe('parseClockTime', () => {
  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['23:59', 1439],
    ['24:00', 1440], // end of the day, for windows that run to midnight
  ])('%s is %i minutes after midnight', (text, minutes) => {
    expect(parseClockTime(text)).toBe(minutes);
  });

  it.each(['8:00', '24:01', '25:00', '12:60', '', ' 08:00', '08:00:00', '08h00', '-1:00', '٠٨:٠٠'])('refuses %p', (text) => {
    expect(parseClockTime(text)).toBeNull();
  });

  it('round-trips every minute of the day (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1440 }), (m) => expect(parseClockTime(formatClockTime(m))).toBe(m)));
  });

  it('refuses to format what is not a time of day', () => {
    expect(() => formatClockTime(1441)).toThrow();
    expect(() => formatClockTime(1.5)).toThrow();
  });
});

describe('localParts', () => {
  const at = (iso: string, zone: string) => localParts(new Date(iso), zone);

  it.each([
    // America/New_York, spring forward Sun 2026-03-08: 01:59 EST is followed by 03:00 EDT.
    ['2026-03-08T06:59:00Z', 'America/New_York', 'sun', '01:59', '2026-03-08'],
    ['2026-03-08T07:00:00Z', 'America/New_York', 'sun', '03:00', '2026-03-08'],
    // Fall back Sun 2026-11-01: 01:30 happens at 05:30Z (EDT, −4) and again at 06:30Z (EST, −5).
    ['2026-11-01T05:30:00Z', 'America/New_York', 'sun', '01:30', '2026-11-01'],
    ['2026-11-01T06:30:00Z', 'America/New_York', 'sun', '01:30', '2026-11-01'],
    // Europe/Berlin: 02:00 CET becomes 03:00 CEST on 2026-03-29; 03:00 CEST becomes 02:00 CET on 2026-10-25.
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', 'sun', '01:59', '2026-03-29'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', 'sun', '03:00', '2026-03-29'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', 'sun', '02:30', '2026-10-25'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', 'sun', '02:30', '2026-10-25'],
    // Half- and quarter-hour offsets: Kolkata +05:30, Kathmandu +05:45.
    ['2026-06-01T02:30:00Z', 'Asia/Kolkata', 'mon', '08:00', '2026-06-01'],
    ['2026-06-01T18:30:00Z', 'Asia/Kolkata', 'tue', '00:00', '2026-06-02'],
    ['2026-06-01T18:14:00Z', 'Asia/Kathmandu', 'mon', '23:59', '2026-06-01'], // 18:14 + 05:45
    // The local day differs from the UTC day: Saturday 02:00 UTC is Friday 21:00 in New York (EST).
    ['2026-03-07T02:00:00Z', 'America/New_York', 'fri', '21:00', '2026-03-06'],
    // Midnight reads 00:00, never 24:00.
    ['2026-01-01T00:00:00Z', 'UTC', 'thu', '00:00', '2026-01-01'],
  ])('%s in %s is %s %s on %s', (iso, zone, weekday, clock, date) => {
    const parts = at(iso, zone);
    expect([parts.weekday, formatClockTime(parts.minutesOfDay), parts.date]).toEqual([weekday, clock, date]);
  });

  it('drops seconds: a reading at 08:00:59 is an 08:00 reading', () => {
    expect(at('2026-06-01T08:00:59.999Z', 'UTC').minutesOfDay).toBe(480);
  });

  it('accepts aliases the runtime knows and refuses unknown zones and invalid dates', () => {
    expect(at('2026-07-01T12:00:00Z', 'US/Eastern').minutesOfDay).toBe(8 * 60);
    expect(() => at('2026-07-01T12:00:00Z', 'Mars/Olympus')).toThrow(/unknown time zone/);
    expect(() => at('2026-07-01T12:00:00Z', '+02:00')).toThrow(/unknown time zone/);
    expect(() => localParts(new Date(Number.NaN), 'UTC')).toThrow(/invalid date/);
  });

  const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));

  it('agrees with the Date UTC getters in UTC (property)', () => {
    fc.assert(
      fc.property(instant, (date) => {
        const parts = localParts(date, 'UTC');
        expect(parts.weekday).toBe(WEEKDAYS[(date.getUTCDay() + 6) % 7]);
        expect(parts.minutesOfDay).toBe(date.getUTCHours() * 60 + date.getUTCMinutes());
        expect(parts.date).toBe(date.toISOString().slice(0, 10));
      }),
      { numRuns: 500 },
    );
  });

  it('is UTC + 05:30 in Asia/Kolkata, which has had no DST since 1945 (property)', () => {
    fc.assert(
      fc.property(instant, (date) => {
        const shifted = new Date(date.getTime() + 330 * 60_000);
        const parts = localParts(date, 'Asia/Kolkata');
        expect(parts.minutesOfDay).toBe(shifted.getUTCHours() * 60 + shifted.getUTCMinutes());
        expect(parts.date).toBe(shifted.toISOString().slice(0, 10));
      }),
      { numRuns: 500 },
    );
  });
});
