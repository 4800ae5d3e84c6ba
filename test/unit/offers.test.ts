import { planDefinitionSchema } from '../../domain/catalog/plan-definition';
import { normalize } from '../../domain/catalog/normalize';
import { Decimal } from '../../domain/money/decimal';
import type { RatingInput } from '../../domain/pricing/inputs';
import type { ChargeKind } from '../../domain/subscriptions/charge-lines';
import {
  accountOffers, isEligible, type CatalogItem, type Offer, type RecordedLine, type SubscriptionHistory,
} from '../../domain/subscriptions/offers';

/**
 * Offers, pure: synthetic charge histories and catalogues, exact amounts.
 * The bandwidth plans bill a flat 100.00 port fee plus a 95th-percentile
 * transit charge; the customer is on a 200 Mbps commit (2.00 per committed
 * Mbps, 5.00 per burst Mbps) and ran at 450, 520 and 480 Mbps in January to
 * March 2043:
 *   Jan 100 + 200 × 2.00 + 250 × 5.00 = 1750.00
 *   Feb 100 + 400        + 320 × 5.00 = 2100.00
 *   Mar 100 + 400        + 280 × 5.00 = 1900.00      paid 5750.00
 * On the 500 Mbps commit (1.60 / Mbps = 800.00, burst 4.00):
 *   Jan 900.00, Feb 100 + 800 + 20 × 4.00 = 980.00, Mar 900.00 = 2780.00, saving 2970.00
 * On the 100 Mbps commit (2.20 / Mbps = 220.00, burst 6.00):
 *   Jan 100 + 220 + 350 × 6 = 2420.00, Feb 2840.00, Mar 2600.00 = 7860.00, saving −2110.00
 */
const MONTHS = ['2043-01-01', '2043-02-01', '2043-03-01', '2043-04-01', '2043-05-01'].map((d) => new Date(`${d}T00:00:00.000Z`));
const NOW = new Date('2043-04-01T00:00:01.000Z');

function item(kind: 'plan' | 'addon', code: string, definition: Record<string, unknown>, extra: Partial<CatalogItem> = {}): CatalogItem {
  const parsed = normalize(planDefinitionSchema.parse({ billing_interval: 'month', currencies: ['USD'], ...definition }));
  return { kind, code, name: code.replace(/(^|-)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()), status: 'active', version: 1, definition: parsed, override: null, ...extra };
}

const port = { key: 'port', product: 'port', type: 'recurring', prices: { USD: { model: 'flat', amount: '100.00' } } };
const transit = (commit: string, commitPrice: string, burst: string, extra: Record<string, unknown> = {}) => ({
  key: 'transit', product: 'transit', type: 'usage', metric: 'bps-95th',
  prices: { USD: { model: 'percentile', commit_mbps: commit, commit_price: commitPrice, burst_price: burst, port_speed_mbps: '1000', ...extra } },
});
const bandwidthPlan = (code: string, ...args: Parameters<typeof transit>) => item('plan', code, { charges: [port, transit(...args)] });

const TRANSIT_200 = bandwidthPlan('transit-200', '200', '2.00', '5.00');
const TRANSIT_500 = bandwidthPlan('transit-500', '500', '1.60', '4.00');
const TRANSIT_100 = bandwidthPlan('transit-100', '100', '2.20', '6.00');
const TRANSIT_500_CACTI = bandwidthPlan('transit-500-cacti', '500', '1.60', '4.00', { method: 'cacti' });
const TRANSIT_GB = item('plan', 'transit-gb', {
  charges: [port, { key: 'transit', product: 'transit', type: 'usage', metric: 'gb', prices: { USD: { model: 'per_unit', unit_price: '0.02' } } }],
});
const IPV4 = item('addon', 'ipv4-block', { charges: [{ key: 'block', product: 'ip', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '25.00' } } }] });
const REMOTE_HANDS = item('addon', 'remote-hands', {
  charges: [{ key: 'hands', product: 'hands', type: 'usage', metric: 'minutes', prices: { USD: { model: 'per_unit', unit_price: '2.00' } } }],
});

function line(kind: ChargeKind, itemCode: string | null, chargeKey: string | null, start: Date, end: Date, amount: string, quantity = '1', input?: RatingInput): RecordedLine {
  return { kind, itemCode, chargeKey, periodStart: start, periodEnd: end, amount: new Decimal(amount), quantity: new Decimal(quantity), input };
}

/** 20 five-minute samples: 18 at 100 Mbps, the 95th (nearest rank: index 18), one spike at 950. */
const samples = (p95: number): RatingInput => ({
  kind: 'bandwidth',
  ports: [{ portId: 'xe-0/0/1', in: [...Array<number>(18).fill(100e6), p95 * 1e6, 950e6], out: Array<number>(20).fill(0) }],
});

/** A month on the 200 Mbps plan: port fee and the transit usage line (its quantity is the billed 95th). */
function bandwidthMonth(i: number, p95: number, transitAmount: string, withSamples: boolean): RecordedLine[] {
  const [start, end] = [MONTHS[i]!, MONTHS[i + 1]!];
  return [
    line('recurring', 'transit-200', 'port', start, end, '100.00'),
    line('usage', 'transit-200', 'transit', start, end, transitAmount, String(p95), withSamples ? samples(p95) : undefined),
  ];
}

function history(lines: RecordedLine[], extra: Partial<SubscriptionHistory> = {}): SubscriptionHistory {
  return {
    subscriptionId: 'sub-1', currency: 'USD', interval: 'month', timeZone: 'UTC', anchor: { kind: 'calendar', day: 1 },
    plan: TRANSIT_200, planQuantity: new Decimal(1), addonCodes: [], lines, ...extra,
  };
}

const overCommitHistory = (withSamples: boolean) =>
  history([
    ...bandwidthMonth(0, 450, '1650.00', withSamples),
    ...bandwidthMonth(1, 520, '2000.00', withSamples),
    ...bandwidthMonth(2, 480, '1800.00', withSamples),
    // April is open: not compared.
    line('recurring', 'transit-200', 'port', MONTHS[3]!, MONTHS[4]!, '100.00'),
  ]);

const summary = (o: Offer) => ({
  code: o.code, comparable: o.comparable, would_have_cost: o.wouldHaveCost?.toFixed(2) ?? null, paid: o.actuallyPaid.toFixed(2), saving: o.saving?.toFixed(2) ?? null,
});

describe('a 95th-percentile customer over their commit three months running', () => {
  const catalog = [TRANSIT_200, TRANSIT_500, TRANSIT_100, TRANSIT_GB, IPV4, REMOTE_HANDS];

  it.each([
    ['the 5-minute samples metering kept', true],
    ['only the billed 95th recorded as the usage quantity', false],
  ])('rates every candidate on %s, exactly, best saving first', (_name, withSamples) => {
    const { offers, subscriptions } = accountOffers({ now: NOW, periods: 3, subscriptions: [overCommitHistory(withSamples)], catalog });
    expect(subscriptions[0]!.compared.map((p) => [p.start.toISOString().slice(0, 10), p.paid.toFixed(2)])).toEqual([
      ['2043-03-01', '1900.00'], ['2043-02-01', '2100.00'], ['2043-01-01', '1750.00'],
    ]);
    expect(offers.map(summary)).toEqual([
      { code: 'transit-500', comparable: true, would_have_cost: '2780.00', paid: '5750.00', saving: '2970.00' },
      { code: 'ipv4-block', comparable: true, would_have_cost: '5825.00', paid: '5750.00', saving: '-75.00' },
      { code: 'transit-100', comparable: true, would_have_cost: '7860.00', paid: '5750.00', saving: '-2110.00' },
      { code: 'transit-gb', comparable: false, would_have_cost: null, paid: '5750.00', saving: null },
      { code: 'remote-hands', comparable: false, would_have_cost: null, paid: '5750.00', saving: null },
    ]);
    const [upgrade, addon, , gb, hands] = offers;
    expect(upgrade!.perPeriod.map((p) => p.wouldHaveCost.toFixed(2))).toEqual(['900.00', '980.00', '900.00']);
    expect(upgrade!.message).toBe(
      'Your 95th percentile on transit exceeded your 200 Mbps commit 3 months running; the 500 Mbps commit (Transit 500) would have saved 2970.00 USD over the last 3 months.',
    );
    expect(addon!.candidateCharges?.toFixed(2)).toBe('75.00');
    expect(addon!.message).toBe('Adding Ipv4 Block would have cost 75.00 USD over the last 3 months.');
    expect(hands!.reason).toMatch(/^its hands charge is billed on usage the subscription has not had/);
    // Matched by charge key, but a 95th in Mbps is not a quantity of GB: refused, never rated as one.
    expect(gb!.reason).toBe('its transit charge is measured by gb, the recorded transit usage by bps-95th (period 2043-03-01T00:00:00.000Z to 2043-04-01T00:00:00.000Z)');
    expect(gb!.message).toBe(`Transit Gb cannot be compared: ${gb!.reason}.`);
  });

  it('a usage quantity stands for the 95th under the same convention; otherwise the samples are needed', () => {
    const catalog2 = [TRANSIT_200, TRANSIT_500_CACTI];
    const fromSamples = accountOffers({ now: NOW, periods: 3, subscriptions: [overCommitHistory(true)], catalog: catalog2 }).offers;
    const fromFigure = accountOffers({ now: NOW, periods: 3, subscriptions: [overCommitHistory(false)], catalog: catalog2 }).offers;
    // Cacti on 20 samples bills index 20 − 1 − ⌈0.05 · 20⌉ = 18: the same 95th here, so the same 2970.00.
    expect(fromSamples.map(summary)).toEqual([{ code: 'transit-500-cacti', comparable: true, would_have_cost: '2780.00', paid: '5750.00', saving: '2970.00' }]);
    expect(fromFigure.map(summary)).toEqual([{ code: 'transit-500-cacti', comparable: false, would_have_cost: null, paid: '5750.00', saving: null }]);
    expect(fromFigure[0]!.reason).toBe('its transit charge picks the 95th differently from the plan that recorded it; the samples are needed (period 2043-03-01T00:00:00.000Z to 2043-04-01T00:00:00.000Z)');
  });

  it.each([
    // Newest first: March, February, January.
    { p95s: [450, 520, 480], running: 3, words: '3 months running' },
    { p95s: [450, 150, 480], running: 1, words: 'in the last month' },
    { p95s: [450, 520, 200], running: 0, words: null },
  ])('counts the periods over commit running up to the latest: $p95s → $running', ({ p95s, running, words }) => {
    const burst = (p: number) => new Decimal(400).plus(Decimal.max(0, p - 200).times(5)).toFixed(2);
    const h = history(p95s.flatMap((p, i) => bandwidthMonth(i, p, burst(p), true)));
    const { subscriptions, offers } = accountOffers({ now: NOW, periods: 3, subscriptions: [h], catalog: [TRANSIT_500] });
    expect(subscriptions[0]!.fits.map((f) => [f.chargeKey, f.commitMbps.toFixed(), f.periodsOverCommit, f.figures.map((x) => x.mbps.toFixed())])).toEqual([
      ['transit', '200', running, [...p95s].reverse().map(String)],
    ]);
    if (words) expect(offers[0]!.message).toContain(`exceeded your 200 Mbps commit ${words}; the 500 Mbps commit (Transit 500) would have saved`);
    else expect(offers[0]!.message).not.toContain('exceeded');
  });
});

describe('which periods count', () => {
  const CABINET = item('plan', 'cabinet-full', { charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '1200.00' } } }] });
  const HALF = item('plan', 'cabinet-half', { charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '600.00' } } }] });
  const month = (i: number, amount = '1200.00') => line('recurring', 'cabinet-full', 'rack', MONTHS[i]!, MONTHS[i + 1]!, amount);
  const cabinet = (lines: RecordedLine[], extra: Partial<SubscriptionHistory> = {}) => history(lines, { plan: CABINET, ...extra });
  const run = (h: SubscriptionHistory, periods = 3, now = NOW) => {
    const result = accountOffers({ now, periods, subscriptions: [h], catalog: [CABINET, HALF] });
    const s = result.subscriptions[0]!;
    return {
      compared: s.compared.map((p) => p.start.toISOString().slice(0, 10)),
      skipped: s.skipped.map((p) => `${p.start.toISOString().slice(0, 10)}: ${p.reason}`),
      saving: result.offers[0]!.saving?.toFixed(2) ?? result.offers[0]!.reason,
    };
  };

  it.each([
    { name: 'three full closed months', lines: [month(0), month(1), month(2), month(3)], periods: 3, compared: ['2043-03-01', '2043-02-01', '2043-01-01'], skipped: [], saving: '1800.00' },
    { name: 'only the last two when asked', lines: [month(0), month(1), month(2)], periods: 2, compared: ['2043-03-01', '2043-02-01'], skipped: [], saving: '1200.00' },
    {
      name: 'a calendar stub (started 15 January) is not a full period',
      lines: [line('recurring', 'cabinet-full', 'rack', new Date('2043-01-15T00:00:00Z'), MONTHS[1]!, '658.06'), month(1), month(2)],
      periods: 3, compared: ['2043-03-01', '2043-02-01'],
      skipped: ['2043-01-01: billing covered only part of the period (it started, paused or resumed part-way)'], saving: '1200.00',
    },
    {
      name: 'a month with a mid-period change is not compared',
      lines: [
        month(0), month(1), month(2),
        line('proration_credit', 'cabinet-full', 'rack', new Date('2043-02-15T00:00:00Z'), MONTHS[2]!, '-600.00'),
        line('proration_charge', 'cabinet-full', 'rack', new Date('2043-02-15T00:00:00Z'), MONTHS[2]!, '650.00'),
      ],
      periods: 3, compared: ['2043-03-01', '2043-01-01'], skipped: ['2043-02-01: the subscription changed during the period'], saving: '1200.00',
    },
    { name: 'nothing closed yet', lines: [month(3)], periods: 3, compared: [], skipped: [], saving: 'there is no full closed billing period to compare yet' },
    { name: 'billing not started (no anchor)', lines: [], periods: 3, compared: [], skipped: [], saving: 'there is no full closed billing period to compare yet', anchor: null },
  ])('$name', ({ lines, periods, compared, skipped, saving, ...rest }) => {
    expect(run(cabinet(lines, rest), periods)).toEqual({ compared, skipped, saving });
  });

  it('anniversary periods follow the anchor, clamped months included (31 Jan → 28 Feb → 31 Mar)', () => {
    const d = (s: string) => new Date(`${s}T10:00:00.000Z`);
    const lines = [
      line('recurring', 'cabinet-full', 'rack', d('2043-01-31'), d('2043-02-28'), '1200.00'),
      line('recurring', 'cabinet-full', 'rack', d('2043-02-28'), d('2043-03-31'), '1200.00'),
      line('recurring', 'cabinet-full', 'rack', d('2043-03-31'), d('2043-04-30'), '1200.00'),
    ];
    expect(run(cabinet(lines, { anchor: { kind: 'anniversary', at: d('2043-01-31') } }), 3, d('2043-04-30'))).toEqual({
      compared: ['2043-03-31', '2043-02-28', '2043-01-31'], skipped: [], saving: '1800.00',
    });
  });

  it('skips a period on a plan with usage charges until its usage is recorded', () => {
    const lines = [...bandwidthMonth(0, 450, '1650.00', false), line('recurring', 'transit-200', 'port', MONTHS[1]!, MONTHS[2]!, '100.00')];
    const result = accountOffers({ now: new Date('2043-03-01T00:00:00Z'), periods: 3, subscriptions: [history(lines)], catalog: [TRANSIT_500] });
    expect(result.subscriptions[0]!.skipped.map((p) => `${p.start.toISOString().slice(0, 10)}: ${p.reason}`)).toEqual(['2043-02-01: usage of transit is not recorded yet']);
    expect(result.offers.map(summary)).toEqual([{ code: 'transit-500', comparable: true, would_have_cost: '900.00', paid: '1750.00', saving: '850.00' }]);
  });

  it('replaces only the plan charges: add-on lines, one-time fees and discounts stay as recorded', () => {
    const XC = item('addon', 'cross-connect', {
      charges: [
        { key: 'xc', product: 'xc', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '300.00' } } },
        { key: 'install', product: 'setup', type: 'one_time', prices: { USD: { model: 'flat', amount: '150.00' } } },
      ],
    });
    const lines = [0, 1, 2].flatMap((i) => [
      month(i),
      line('recurring', 'cross-connect', 'xc', MONTHS[i]!, MONTHS[i + 1]!, '300.00'),
      line('discount', null, null, MONTHS[i]!, MONTHS[i + 1]!, '-150.00'),
    ]);
    lines.push(line('one_time', 'cross-connect', 'install', MONTHS[0]!, MONTHS[0]!, '150.00'));
    const h = cabinet(lines, { addonCodes: ['cross-connect'] });
    const { offers } = accountOffers({ now: NOW, periods: 3, subscriptions: [h], catalog: [CABINET, HALF, XC] });
    // Paid: 3 × (1200 + 300 − 150) + 150 = 4200.00; on the half cabinet 3 × (600 + 300 − 150) + 150 = 2400.00.
    expect(offers.map(summary)).toEqual([{ code: 'cabinet-half', comparable: true, would_have_cost: '2400.00', paid: '4200.00', saving: '1800.00' }]);
    expect(offers[0]!.notes).toEqual(['Discounts of 450.00 USD are kept as recorded; a coupon may have discounted this plan differently.']);
    expect(offers[0]!.message).toBe('Cabinet Half would have cost 1800.00 USD less over the last 3 months (2400.00 USD instead of 4200.00 USD).');
  });

  it('applies the candidate minimum commitment and the contract prices active now', () => {
    const MIN = item('plan', 'cabinet-min', {
      charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '600.00' } } }],
      minimum_commitment: { USD: '1000.00' },
    });
    const CONTRACT = { ...HALF, code: 'cabinet-contract', override: { charges: { rack: { price: { model: 'per_unit' as const, unit_price: '450.00' } } }, minimumCommitment: null } };
    const h = cabinet([month(0), month(1), month(2)], { planQuantity: new Decimal(2) });
    const { offers } = accountOffers({ now: NOW, periods: 3, subscriptions: [h], catalog: [MIN, CONTRACT] });
    // Recorded quantity is 1 per period (the line's quantity), not the current 2.
    expect(offers.map(summary)).toEqual([
      { code: 'cabinet-contract', comparable: true, would_have_cost: '1350.00', paid: '3600.00', saving: '2250.00' },
      { code: 'cabinet-min', comparable: true, would_have_cost: '3000.00', paid: '3600.00', saving: '600.00' },
    ]);
    expect(offers[0]!.contractPrices).toBe(true);
    expect(offers[0]!.notes).toEqual(['Priced at the contract prices active now.']);
  });
});

describe('eligibility', () => {
  const base = history([], { plan: TRANSIT_200, addonCodes: ['ipv4-block'] });
  it.each([
    ['another active monthly USD plan', true, TRANSIT_500],
    ['the current plan', false, TRANSIT_200],
    ['a plan priced only in JPY', false, item('plan', 'transit-jpy', { currencies: ['JPY'], charges: [{ ...port, prices: { JPY: { model: 'flat', amount: '15000' } } }] })],
    ['a quarterly plan', false, item('plan', 'transit-q', { billing_interval: 'quarter', charges: [port] })],
    ['an archived plan', false, { ...TRANSIT_500, status: 'archived' as const }],
    ['an add-on already on the subscription', false, IPV4],
    ['an add-on for any plan', true, REMOTE_HANDS],
    ['an add-on for this plan', true, item('addon', 'burst-guard', { charges: [port], applies_to_plans: ['transit-200'] })],
    ['an add-on for other plans only', false, item('addon', 'cage-lock', { charges: [port], applies_to_plans: ['cage'] })],
  ])('%s → %s', (_name, eligible, candidate) => {
    expect(isEligible(candidate, base)).toBe(eligible);
  });

  it('refuses a period count below one', () => {
    expect(() => accountOffers({ now: NOW, periods: 0, subscriptions: [], catalog: [] })).toThrow(RangeError);
  });
});
