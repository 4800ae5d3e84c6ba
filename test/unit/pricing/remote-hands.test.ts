import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import type { RemoteHandsSession, SessionsInput } from '../../../domain/pricing/inputs';
import { billedMinutes, rateRemoteHands, remoteHandsConfig } from '../../../domain/pricing/models/remote-hands';

const d = (v: string | number) => new Decimal(v);

// 120.00 an hour, 30-minute minimum, 15-minute increments, ×1.5 outside Mon–Fri 08:00–18:00 Berlin time, 75.00 to expedite.
const CONFIG = {
  model: 'remote_hands',
  hourly_rate: '120.00',
  minimum_minutes: 30,
  increment_minutes: 15,
  business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
  after_hours_multiplier: '1.5',
  expedite_fee: '75.00',
};
const config = remoteHandsConfig.parse(CONFIG);

const TUE_10 = '2026-03-10T09:00:00Z'; // Tue 10:00 CET: business hours
const SAT_10 = '2026-03-14T09:00:00Z'; // Sat 10:00 CET: after hours

function session(iso: string, minutes: number, extra: Partial<RemoteHandsSession> = {}): RemoteHandsSession {
  return { startedAt: new Date(iso), minutes, expedited: false, ...extra };
}
function input(sessions: RemoteHandsSession[], prepaidHours: string | number = 0): SessionsInput {
  return { kind: 'sessions', timezone: 'Europe/Berlin', sessions, prepaidHours: d(prepaidHours) };
}
const amountOf = (sessions: RemoteHandsSession[], prepaid: string | number = 0) => rateRemoteHands(config, input(sessions, prepaid)).amount.toFixed();

describe('remote_hands: worked examples', () => {
  it.each([
    // actual → max(30, actual) rounded up to 15 → hours × 120.00
    [10, 30, '60'], // 10 < 30 minimum → 30 min = 0.5 h × 120 = 60.00
    [30, 30, '60'], // exactly the minimum
    [31, 45, '90'], // 31 → next 15-minute step 45 = 0.75 h × 120 = 90.00
    [40, 45, '90'], // 40 → 45
    [61, 75, '150'], // 61 → 75 = 1.25 h × 120 = 150.00
  ])('%i min in business hours bills %i min = %s', (actual, billed, amount) => {
    expect(billedMinutes(config, actual)).toBe(billed);
    expect(amountOf([session(TUE_10, actual)])).toBe(amount);
  });

  it('reads well on the invoice', () => {
    const rating = rateRemoteHands(config, input([session(SAT_10, 40, { expedited: true }), session(TUE_10, 40)]));
    // Lines in start order. Tue 45 min × 120 = 90.00; Sat 45 min × 180 (120 × 1.5) = 135.00; one expedite 75.00. Total 300.00.
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed()])).toEqual([
      ['Remote hands 2026-03-10 10:00 (business hours): 40 min, billed 45 min = 0.75 h × 120.00', '90'],
      ['Remote hands 2026-03-14 10:00 (after hours ×1.5, expedited): 40 min, billed 45 min = 0.75 h × 180.00', '135'],
      ['Expedite fee: 1 session × 75.00', '75'],
    ]);
    expect(rating.amount.toFixed()).toBe('300');
    expect(rating.quantity?.toFixed()).toBe('1.5');
    // An override says so, whichever way it goes.
    const agreed = rateRemoteHands(config, input([session(TUE_10, 61, { afterHours: true })]));
    expect(agreed.lines[0]?.description).toBe('Remote hands 2026-03-10 10:00 (after hours ×1.5 by agreement): 61 min, billed 75 min = 1.25 h × 180.00');
  });

  // A 40-minute job bills 45 min: 0.75 h × 120 = 90.00 in business hours, 0.75 h × 180 = 135.00 after hours.
  it.each([
    ['Tue 07:59 (before opening)', '135', '2026-03-10T06:59:00Z', undefined],
    ['Tue 08:00 (opening, inclusive)', '90', '2026-03-10T07:00:00Z', undefined],
    ['Tue 17:59', '90', '2026-03-10T16:59:00Z', undefined],
    ['Tue 18:00 (closing, exclusive)', '135', '2026-03-10T17:00:00Z', undefined],
    ['Sat 10:00', '135', SAT_10, undefined],
    ['Tue 10:00 flagged after hours (emergency call-out)', '135', TUE_10, true],
    ['Sat 10:00 agreed at the business rate', '90', SAT_10, false],
    // Berlin moves to CEST on 2026-03-29: Mon 30 Mar 06:30Z is 08:30 local (a fixed +01:00 would say 07:30).
    ['Mon 08:30 CEST, the day after the DST change', '90', '2026-03-30T06:30:00Z', undefined],
  ])('a 40-minute job starting %s bills %s', (_label, amount, iso, afterHours) => {
    expect(amountOf([session(iso, 40, afterHours === undefined ? {} : { afterHours })])).toBe(amount);
  });

  it('adds the expedite fee per expedited session', () => {
    // Two expedited 30-minute minimums on Tuesday: 2 × 60.00; a cancelled Saturday visit (0 min) still bills
    // the minimum: 0.5 h × 180 = 90.00; expedite 2 × 75.00 = 150.00. Total 60 + 60 + 90 + 150 = 360.00.
    expect(amountOf([session(TUE_10, 10, { expedited: true }), session(SAT_10, 0), session(TUE_10, 5, { expedited: true })])).toBe('360');
  });

  it('consumes a prepaid bundle first, an after-hours hour drawing 1.5 bundle hours (partly consumed)', () => {
    // Needs: Tue 0.75 h + Sat 0.75 h × 1.5 = 1.125 h → 1.875 bundle hours; the bundle has 1.
    // Full price 90 + 135 = 225.00; bundle pays 1 h × 120 = 120.00; due 105.00 (= 0.875 h × 120).
    const rating = rateRemoteHands(config, input([session(TUE_10, 40), session(SAT_10, 40)], 1));
    expect(rating.lines.at(-1)?.description).toBe('Prepaid remote-hands hours applied: 1 h of 1 h (0 h left)');
    expect(rating.lines.at(-1)?.amount.toFixed()).toBe('-120');
    expect(rating.amount.toFixed()).toBe('105');
    expect(rating.details).toMatchObject({ prepaid_hours_available: '1', prepaid_hours_used: '1', prepaid_hours_remaining: '0' });
  });

  it('covers all labour when the bundle is large enough, never the expedite fee (fully consumed)', () => {
    // 1.875 bundle hours of 10 used, 8.125 left; 225.00 of labour paid by the bundle; 75.00 expedite still due.
    const rating = rateRemoteHands(config, input([session(TUE_10, 40), session(SAT_10, 40, { expedited: true })], 10));
    expect(rating.amount.toFixed()).toBe('75');
    expect(rating.details).toMatchObject({ prepaid_hours_used: '1.875', prepaid_hours_remaining: '8.125', after_hours_sessions: 1 });
  });

  it('adds no bundle line when there is no bundle', () => {
    expect(rateRemoteHands(config, input([session(TUE_10, 40)])).lines).toHaveLength(1);
  });

  it('refuses inputs it cannot bill honestly', () => {
    expect(() => rateRemoteHands(config, input([session(TUE_10, 1.5)]))).toThrow(/whole, non-negative/);
    expect(() => rateRemoteHands(config, input([session(TUE_10, -1)]))).toThrow(/whole, non-negative/);
    expect(() => rateRemoteHands(config, input([session('not a date', 10)]))).toThrow(/invalid date/);
    expect(() => rateRemoteHands(config, input([], -1))).toThrow(/prepaid hours/);
    expect(() => rateRemoteHands(config, { ...input([]), timezone: 'Nowhere/Else' })).toThrow(/unknown time zone/);
  });
});

describe('remote_hands: validation', () => {
  it('reports every problem at once, each with its path', () => {
    const result = remoteHandsConfig.safeParse({
      ...CONFIG,
      hourly_rate: '-120',
      minimum_minutes: -5,
      increment_minutes: 0,
      business_hours: { days: ['mon', 'mon', 'someday'], start: '18:00', end: '8:00' },
      after_hours_multiplier: '0.5',
      expedite_fee: '-1',
    });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'hourly_rate: must not be negative',
      'minimum_minutes: must not be negative',
      'increment_minutes: must be at least 1 minute',
      'business_hours.days.2: must be one of mon, tue, wed, thu, fri, sat, sun',
      'business_hours.end: must be HH:MM between 00:00 and 24:00',
      'after_hours_multiplier: must be at least 1',
      'expedite_fee: must not be negative',
      'business_hours.days.1: repeats mon',
    ]);
  });

  it('refuses business hours that end before they start, a negative increment and a non-numeric multiplier', () => {
    const result = remoteHandsConfig.safeParse({
      ...CONFIG,
      increment_minutes: -15,
      business_hours: { days: ['mon'], start: '18:00', end: '08:00' },
      after_hours_multiplier: 'x1.5',
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['increment_minutes', 'after_hours_multiplier', 'business_hours.end']);
  });
});

describe('remote_hands: properties', () => {
  const rules = fc.record({
    minimum_minutes: fc.integer({ min: 0, max: 120 }),
    increment_minutes: fc.constantFrom(1, 5, 6, 10, 15, 20, 30, 60),
  });

  it('bills at least the actual minutes and the minimum, in whole increments, less than one increment over (property)', () => {
    fc.assert(
      fc.property(rules, fc.integer({ min: 0, max: 100_000 }), (r, actual) => {
        const billed = billedMinutes(r, actual);
        expect(billed).toBeGreaterThanOrEqual(actual);
        expect(billed).toBeGreaterThanOrEqual(r.minimum_minutes);
        expect(billed % r.increment_minutes).toBe(0);
        expect(billed - Math.max(actual, r.minimum_minutes)).toBeLessThan(r.increment_minutes);
      }),
      { numRuns: 2000 },
    );
  });

  const sessionOf = <T>(afterHours: fc.Arbitrary<T>) =>
    fc.record({
      startedAt: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms)),
      minutes: fc.integer({ min: 0, max: 600 }),
      expedited: fc.boolean(),
      afterHours,
    });
  const prepaid = fc.integer({ min: 0, max: 4000 }).map((quarters) => d(quarters).dividedBy(4));

  it('equals max(0, labour − bundle value) + expedite fees, computed independently (property)', () => {
    fc.assert(
      fc.property(fc.array(sessionOf(fc.boolean()), { maxLength: 12 }), prepaid, (list, hours) => {
        // Labour in business-rate hours: ceil(max(30, min) / 15) × 15 minutes, × 1.5 after hours, / 60.
        const businessHours = sum(list.map((s) => d(Math.ceil(Math.max(30, s.minutes) / 15) * 15).times(s.afterHours ? '1.5' : 1).dividedBy(60)));
        const due = businessHours.greaterThan(hours) ? businessHours.minus(hours).times(120) : d(0);
        const fees = d(list.filter((s) => s.expedited).length).times(75);
        const rating = rateRemoteHands(config, input(list, hours.toFixed()));
        expect(rating.amount.equals(due.plus(fees))).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is independent of session order and accounts for every bundle hour (property)', () => {
    fc.assert(
      fc.property(fc.array(sessionOf(fc.constant(undefined)), { maxLength: 12 }), prepaid, (list, hours) => {
        const clean = list.map(({ startedAt, minutes, expedited }) => ({ startedAt, minutes, expedited }));
        const rating = rateRemoteHands(config, input(clean, hours.toFixed()));
        const reversed = rateRemoteHands(config, input([...clean].reverse(), hours.toFixed()));
        expect(reversed.amount.equals(rating.amount)).toBe(true);
        expect(rating.amount.isNegative()).toBe(false);
        const used = d(String(rating.details?.prepaid_hours_used));
        const left = d(String(rating.details?.prepaid_hours_remaining));
        expect(used.plus(left).equals(hours)).toBe(true);
        for (const l of rating.lines) expect(l.quantity?.times(l.unitPrice ?? 0).equals(l.amount)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
