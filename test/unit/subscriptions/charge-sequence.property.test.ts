import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { roundMoney } from '../../../domain/money/money';
import { applyChangeNow, initialRuntime, pause, resume, startBilling, type SubscriptionSetup } from '../../../domain/subscriptions/lifecycle';
import type { SubscriptionItem } from '../../../domain/subscriptions/subscription-terms';

/**
 * Properties of the charges a subscription records over a sequence of
 * immediate changes inside one period, checked on the pure lifecycle steps
 * the workflow takes:
 * - no second is charged twice: at every instant of the period, the lines
 *   covering it (fees and charges +1, credits −1) net to exactly one;
 * - each change's credit plus charge is the rounded price difference over
 *   the rest of the period, exactly;
 * - the total is the time-weighted price to within one minor unit per step.
 */
const START = Date.parse('2045-01-01T00:00:00.000Z');
const END = Date.parse('2045-02-01T00:00:00.000Z');

function plan(code: string, amount: string): SubscriptionItem {
  return {
    kind: 'plan', code, name: code, planId: code, version: 1, quantity: '1',
    recurring: [{ key: 'rack', product: 'cabinet', description: 'Cabinet', timing: 'in_advance', periodAmount: amount }],
    oneTime: [], usage: [],
  };
}

function setup(currency: string, unit: 'second' | 'day'): SubscriptionSetup {
  return {
    tenantId: 't', subscriptionId: 's', accountId: 'a', billingAccountId: 'a', currency, timeZone: 'UTC', interval: 'month',
    anchor: { kind: 'anniversary' }, prorationUnit: unit, trialDays: 0, trialEndingNoticeDays: 3, trialEndBehavior: 'convert',
    requiresProvisioning: false, orderedAt: new Date(START).toISOString(), startAt: new Date(START).toISOString(), endsAt: null,
  };
}

// Prices of at least 100 and changes at least a day before the period ends: every prorated line is non-zero
// in every currency, so each appears in the record (a line that rounds to nothing is not recorded).
const amount = fc.integer({ min: 10_000, max: 10_000_000 }).map((cents) => new Decimal(cents).dividedBy(100).toFixed(2));
const DAY = 86_400_000;
const scenario = fc.record({
  currency: fc.constantFrom('USD', 'JPY', 'BHD'),
  unit: fc.constantFrom<'second' | 'day'>('second', 'day'),
  prices: fc.array(amount, { minLength: 2, maxLength: 8 }),
  // Change instants (ms into the period), sorted and distinct.
  offsets: fc.uniqueArray(fc.integer({ min: 1, max: END - START - DAY - 1 }), { minLength: 7, maxLength: 7 }).map((a) => a.sort((x, y) => x - y)),
});

it('a sequence of immediate changes never charges any second twice, and each change nets exactly', () => {
  fc.assert(
    fc.property(scenario, ({ currency, unit, prices, offsets }) => {
      const s = setup(currency, unit);
      let step = startBilling(s, initialRuntime({ items: [plan('p0', prices[0]!)], coupon: null }), s.startAt);
      const lines = [...step.lines];
      const times = offsets.slice(0, prices.length - 1).map((o) => new Date(START + o).toISOString());
      for (const [k, at] of times.entries()) {
        const before = step.runtime;
        step = applyChangeNow(s, before, { plan: plan(`p${k + 1}`, prices[k + 1]!) }, `c${k}`, 'change', at);
        // credit + charge = the rounded difference over the rest of the period, to the minor unit.
        const net = step.lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0));
        const remaining = unit === 'second'
          ? new Decimal(END - Date.parse(at)).dividedBy(END - START)
          : new Decimal(31 - new Date(at).getUTCDate() + 1).dividedBy(31);
        const diff = new Decimal(prices[k + 1]!).minus(prices[k]!);
        expect(net.equals(roundMoney(diff.times(remaining), currency))).toBe(true);
        lines.push(...step.lines);
      }
      // Coverage: sample every change instant and a point just before/after it.
      const probes = [START, ...times.flatMap((t) => [Date.parse(t) - 1, Date.parse(t), Date.parse(t) + 1]), END - 1];
      for (const probe of probes) {
        const coverage = lines
          .filter((l) => Date.parse(l.periodStart) <= probe && probe < Date.parse(l.periodEnd))
          .reduce((acc, l) => acc + (l.kind === 'proration_credit' ? -1 : 1), 0);
        expect(coverage).toBe(1);
      }
      // The total is the time-weighted price, to within one minor unit per recorded line.
      const bounds = [START, ...times.map((t) => Date.parse(t)), END];
      const exact = prices.slice(0, times.length + 1).reduce((acc, p, k) => {
        if (unit === 'second') return acc.plus(new Decimal(p).times(bounds[k + 1]! - bounds[k]!).dividedBy(END - START));
        const day = (ms: number) => Math.floor(ms / DAY);
        return acc.plus(new Decimal(p).times(day(bounds[k + 1]!) - day(bounds[k]!)).dividedBy(31));
      }, new Decimal(0));
      const total = lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0));
      const minor = new Decimal(10).pow(-({ USD: 2, JPY: 0, BHD: 3 } as Record<string, number>)[currency]!);
      expect(total.minus(exact).abs().lessThanOrEqualTo(minor.times(lines.length))).toBe(true);
    }),
    { numRuns: 300 },
  );
});

it('pause and resume credit and re-bill without overlap', () => {
  fc.assert(
    fc.property(amount, fc.integer({ min: 1, max: 15 * 86_400_000 }), fc.integer({ min: 1, max: 15 * 86_400_000 }), (price, pauseAt, gap) => {
      const s = setup('USD', 'second');
      const started = startBilling(s, initialRuntime({ items: [plan('p', price)], coupon: null }), s.startAt);
      const paused = pause(s, started.runtime, 'r1', null, new Date(START + pauseAt).toISOString());
      const resumed = resume(s, paused.runtime, new Date(START + pauseAt + gap).toISOString());
      const lines = [...started.lines, ...paused.lines, ...resumed.lines];
      // While paused nothing is owed; elsewhere in the month exactly one line covers each instant.
      for (const probe of [START, START + pauseAt - 1, START + pauseAt, START + pauseAt + gap - 1, START + pauseAt + gap, END - 1]) {
        const coverage = lines
          .filter((l) => Date.parse(l.periodStart) <= probe && probe < Date.parse(l.periodEnd))
          .reduce((acc, l) => acc + (l.kind === 'proration_credit' ? -1 : 1), 0);
        const isPaused = probe >= START + pauseAt && probe < START + pauseAt + gap;
        expect(coverage).toBe(isPaused ? 0 : 1);
      }
    }),
    { numRuns: 200 },
  );
});
