import fc from 'fast-check';
import type { TaxExemption } from '../../domain/accounts/account';
import { billingAccountOf, type AccountNode } from '../../domain/invoicing/billing-group';
import type { InvoiceLineKind } from '../../domain/invoicing/invoice-document';
import type { BillableItem, MinimumCommitment } from '../../domain/invoicing/invoice-generator';
import { Decimal } from '../../domain/money/decimal';
import { minorUnitsOf, toMinorUnits } from '../../domain/money/money';
import { boundaryAfter, type BillingCycle } from '../../domain/periods/billing-cycle';
import { overlappingRate, type TaxPlace, type TaxRate } from '../../domain/tax/tax-rate';

/**
 * fast-check arbitraries for the invoicing invariants: account forests with
 * master billing, billable items and minimum commitments in currencies of
 * 0, 2 and 3 minor digits, rate tables, and whole billing scenarios (trees,
 * subscriptions and the charges they record over three cycles) that the
 * database tests replay through the real services.
 */
export const INVOICE_CURRENCIES = ['USD', 'EUR', 'JPY', 'BHD', 'KWD'] as const;

/** `minor` minor units written with the currency's digits: "-12.50", "1250" (JPY), "1.005" (BHD). */
export function written(minor: bigint | number, currency: string): string {
  const digits = minorUnitsOf(currency);
  return new Decimal(minor.toString()).dividedBy(new Decimal(10).pow(digits)).toFixed(digits);
}

/** An exact amount in minor units (throws unless rounded to the currency). */
export function minorOf(amount: string | Decimal, currency: string): bigint {
  return toMinorUnits(new Decimal(amount), currency);
}

// Repeated and case-varied names, so sibling order falls back to ids.
const NAMES = ['Acme', 'Acme', 'acme', 'Beta Labs', 'Zulu', 'Émile & Co', 'Rack 7'] as const;

/**
 * A forest of accounts (parents before children in the array), at most
 * `maxLevels` deep, with random `bill_to_parent` on children; roots bill to
 * their parent only when `rootsMayBillToParent` (bad data the pure
 * functions must still handle).
 */
export function arbAccountForest(opts: { minAccounts?: number; maxAccounts: number; maxLevels?: number; rootsMayBillToParent?: boolean }): fc.Arbitrary<AccountNode[]> {
  const maxLevels = opts.maxLevels ?? 5;
  const record = fc.record({ id: fc.uuid(), name: fc.constantFrom(...NAMES), parent: fc.nat(), deep: fc.boolean(), billToParent: fc.boolean() });
  return fc.uniqueArray(record, { minLength: opts.minAccounts ?? 1, maxLength: opts.maxAccounts, selector: (r) => r.id }).map((records) => {
    const depth: number[] = [];
    return records.map((r, i): AccountNode => {
      const eligible = records.slice(0, i).map((_, j) => j).filter((j) => depth[j]! < maxLevels - 1);
      // `deep` hangs the account under the deepest candidate, so five-level chains are common.
      const pick = r.deep && eligible.length > 0 ? eligible.reduce((a, b) => (depth[b]! > depth[a]! ? b : a)) : eligible[r.parent % (eligible.length + 1)];
      const parent = pick === undefined ? null : records[pick]!;
      depth.push(parent === null ? 0 : depth[pick!]! + 1);
      return { id: r.id, name: r.name, parentId: parent?.id ?? null, billToParent: parent === null ? (opts.rootsMayBillToParent ?? false) && r.billToParent : r.billToParent };
    });
  });
}

export type ItemKind = Exclude<InvoiceLineKind, 'minimum_true_up'>;
const ITEM_KINDS: readonly ItemKind[] = ['recurring', 'proration_charge', 'proration_credit', 'one_time', 'discount', 'usage', 'usage_adjustment', 'one_off'];
const SIGN: Record<ItemKind, 1 | -1 | 0> = {
  recurring: 1, proration_charge: 1, one_time: 1, usage: 1, one_off: 1, proration_credit: -1, discount: -1, usage_adjustment: 0,
};
// Few distinct periods and descriptions: many lines tie on both and are ordered by key.
const PERIODS = [
  ['2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z'],
  ['2031-01-17T09:30:00.000Z', '2031-02-01T00:00:00.000Z'],
  ['2031-02-01T00:00:00.000Z', '2031-03-01T00:00:00.000Z'],
] as const;
const DESCRIPTIONS = ['Cabinet', 'Power 32A', 'Cross-connect', 'Bandwidth 95th'] as const;
export const TAX_CODES = [null, 'power', 'space'] as const;

/** Up to `maxItems` items of the given accounts, each with a unique key and an amount rounded to `currency`. */
export function arbBillableItems(currency: string, accountIds: readonly string[], maxItems = 25): fc.Arbitrary<BillableItem[]> {
  const record = fc.record({
    id: fc.uuid(),
    kind: fc.constantFrom(...ITEM_KINDS),
    account: fc.constantFrom(...accountIds),
    subscription: fc.constantFrom('0190a000-0000-7000-8000-00000000000a', '0190a000-0000-7000-8000-00000000000b'),
    minor: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 99 })),
    negative: fc.boolean(),
    period: fc.constantFrom(...PERIODS),
    description: fc.constantFrom(...DESCRIPTIONS),
    taxCode: fc.constantFrom(...TAX_CODES),
  });
  return fc.uniqueArray(record, { maxLength: maxItems, selector: (r) => r.id }).map((records) =>
    records.map((r): BillableItem => {
      const sign = SIGN[r.kind] === 0 ? (r.negative ? -1 : 1) : SIGN[r.kind];
      const oneOff = r.kind === 'one_off';
      return {
        key: oneOff ? `one_off:${r.id}` : `charge:${r.id}`,
        kind: r.kind,
        accountId: r.account,
        subscriptionId: oneOff ? null : r.subscription,
        description: r.description,
        productCode: null,
        productName: null,
        taxCode: r.taxCode,
        periodStart: r.period[0],
        periodEnd: oneOff ? r.period[0] : r.period[1],
        quantity: '1',
        unitPrice: null,
        amount: written(sign * r.minor, currency),
        breakdown: [],
        percentile: null,
      };
    }),
  );
}

/** Minimum commitments of distinct subscription periods; `billed` may exceed, equal or fall short of the minimum. */
export function arbMinimums(currency: string, accountIds: readonly string[], maxLength = 4): fc.Arbitrary<MinimumCommitment[]> {
  const record = fc.record({
    subscriptionId: fc.uuid(),
    account: fc.constantFrom(...accountIds),
    period: fc.constantFrom(...PERIODS),
    minimum: fc.integer({ min: 0, max: 3_000_000 }),
    billed: fc.oneof(fc.integer({ min: -50_000, max: 4_000_000 }), fc.constant(null)),
  });
  return fc.uniqueArray(record, { maxLength, selector: (r) => r.subscriptionId }).map((records) =>
    records.map((r) => ({
      subscriptionId: r.subscriptionId,
      accountId: r.account,
      planName: 'Committed plan',
      periodStart: r.period[0],
      periodEnd: r.period[1],
      minimum: written(r.minimum, currency),
      // null: billed exactly the minimum (the boundary: no true-up).
      billed: written(r.billed ?? r.minimum, currency),
      taxCode: null,
    })),
  );
}

export const TAX_START = new Date('2031-01-01T00:00:00.000Z');
const DAY = 86_400_000;

const arbPercentage = fc.oneof(
  fc.constantFrom('0', '5', '7', '8.875', '13', '19', '20', '100'),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Decimal(n).dividedBy(10_000).toFixed()),
);

/** A Canadian rate table (country and region levels, tax codes, inclusive and exclusive, validity windows) without overlaps. */
export const arbTaxTable: fc.Arbitrary<TaxRate[]> = fc
  .array(
    fc.record({
      region: fc.constantFrom(null, 'ON', 'on', 'BC'),
      taxCode: fc.constantFrom(...TAX_CODES),
      percentage: arbPercentage,
      inclusive: fc.boolean(),
      fromDay: fc.integer({ min: 0, max: 40 }),
      days: fc.option(fc.integer({ min: 1, max: 60 })),
    }),
    { maxLength: 10 },
  )
  .map((candidates) => {
    const table: TaxRate[] = [];
    candidates.forEach((c, i) => {
      const rate: TaxRate = {
        id: `rate-${String(i).padStart(2, '0')}`, name: `${c.percentage} %`, country: 'CA', region: c.region, taxCode: c.taxCode,
        percentage: new Decimal(c.percentage), inclusive: c.inclusive,
        validFrom: new Date(TAX_START.getTime() + c.fromDay * DAY),
        validTo: c.days === null ? null : new Date(TAX_START.getTime() + (c.fromDay + c.days) * DAY),
      };
      if (overlappingRate(table, rate) === null) table.push(rate);
    });
    return table;
  });

export interface TaxContext {
  at: Date;
  place: TaxPlace | null;
  exemption: TaxExemption;
}

export const arbTaxContext: fc.Arbitrary<TaxContext> = fc.record({
  at: fc.integer({ min: 0, max: 90 }).map((d) => new Date(TAX_START.getTime() + d * DAY + 1)),
  place: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<TaxPlace>({ country: 'CA', region: 'ON' }, { country: 'CA', region: 'BC' }, { country: 'CA', region: null }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  exemption: fc.oneof({ weight: 8, arbitrary: fc.constant<TaxExemption>('none') }, { weight: 1, arbitrary: fc.constantFrom<TaxExemption>('exempt', 'reverse_charge') }),
});

// ---------------------------------------------------------------------------
// Billing scenarios for the database tests.

export const SCENARIO_ZONES = ['America/New_York', 'UTC', 'Asia/Kolkata'] as const;
export const SCENARIO_PLACES = [
  { country: 'US', region: 'NY' }, // exclusive 8.875 %
  { country: 'DE', region: null }, // inclusive 19 %, 7 % for tax code "power"
  { country: 'CA', region: 'ON' }, // exclusive 5 % + 8 %, stacked
  { country: 'FR', region: null }, // no rate
  null, // no address anywhere: no tax, with a note
] as const;
export type ScenarioPlace = (typeof SCENARIO_PLACES)[number];

export interface ScenarioAccount {
  name: string;
  parent: number | null;
  billToParent: boolean;
  /** Index into the scenario's schedules (anchor day and zone). */
  schedule: number;
  place: ScenarioPlace;
  exemption: TaxExemption;
}

export interface ScenarioCycle {
  /** When the in-advance fee is recorded, relative to its period start. */
  recordOffsetMinutes: number;
  usageMinor: number;
  usageDelayMinutes: number;
  change: { permille: number; newFeeMinor: number } | null;
  adjustment: { minor: number; delayHours: number } | null;
}

export interface ScenarioSubscription {
  account: number;
  feeMinor: number;
  discountPercent: number;
  minimumMinor: number | null;
  taxCode: string | null;
  cycles: ScenarioCycle[];
}

export interface BillingScenario {
  currency: string;
  graceHours: number;
  schedules: Array<{ anchorDay: number; timeZone: string }>;
  accounts: ScenarioAccount[];
  subscriptions: ScenarioSubscription[];
  oneOffs: Array<{ account: number; hoursAfterStart: number; backdateHours: number; quantity: string; unitPriceMinor: number }>;
  /** Prepaid credit for billing accounts at the start (account index, minor units). */
  grants: Array<{ account: number; minor: number }>;
}

const arbCycle: fc.Arbitrary<ScenarioCycle> = fc.record({
  recordOffsetMinutes: fc.integer({ min: -180, max: 180 }),
  usageMinor: fc.integer({ min: 0, max: 300_000 }),
  usageDelayMinutes: fc.integer({ min: 0, max: 600 }),
  change: fc.option(fc.record({ permille: fc.integer({ min: 50, max: 950 }), newFeeMinor: fc.integer({ min: 0, max: 400_000 }) }), { freq: 3 }),
  // Up to 20 days late: many land after the invoice of their period was finalised.
  adjustment: fc.option(fc.record({ minor: fc.integer({ min: -20_000, max: 50_000 }).filter((m) => m !== 0), delayHours: fc.integer({ min: 1, max: 480 }) }), { freq: 2 }),
});

export const arbBillingScenario: fc.Arbitrary<BillingScenario> = fc
  .record({
    currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'),
    graceHours: fc.constantFrom(0, 24, 48),
    // Two or three zones, New York (DST) always among them; anchor days that clamp (31 in February and April).
    schedules: fc
      .tuple(fc.shuffledSubarray(SCENARIO_ZONES.slice(1), { minLength: 1 }), fc.array(fc.constantFrom(1, 15, 28, 31), { minLength: 3, maxLength: 3 }))
      .map(([zones, days]) => [SCENARIO_ZONES[0], ...zones].map((timeZone, k) => ({ anchorDay: days[k]!, timeZone }))),
    forest: arbAccountForest({ minAccounts: 5, maxAccounts: 15, maxLevels: 4 }),
    extra: fc.array(fc.record({ schedule: fc.nat(), place: fc.nat(), exempt: fc.integer({ min: 0, max: 9 }) }), { minLength: 15, maxLength: 15 }),
    subscriptions: fc.array(
      fc.record({
        account: fc.nat(), feeMinor: fc.integer({ min: 1_000, max: 500_000 }), discountPercent: fc.constantFrom(0, 0, 10, 25),
        minimumMinor: fc.option(fc.integer({ min: 100_000, max: 900_000 }), { freq: 3 }), taxCode: fc.constantFrom(...TAX_CODES),
        cycles: fc.array(arbCycle, { minLength: 4, maxLength: 4 }),
      }),
      { minLength: 4, maxLength: 14 },
    ),
    oneOffs: fc.array(
      fc.record({ account: fc.nat(), hoursAfterStart: fc.integer({ min: 0, max: 2_600 }), backdateHours: fc.integer({ min: 0, max: 200 }),
        quantity: fc.constantFrom('1', '2', '1.5', '0.25'), unitPriceMinor: fc.integer({ min: 0, max: 200_000 }) }),
      { maxLength: 6 },
    ),
    grants: fc.array(fc.record({ account: fc.nat(), minor: fc.integer({ min: 1, max: 800_000 }) }), { maxLength: 2 }),
  })
  .map(({ forest, extra, schedules, subscriptions, oneOffs, grants, ...rest }): BillingScenario => {
    const index = new Map(forest.map((a, i) => [a.id, i]));
    const accounts = forest.map((a, i): ScenarioAccount => {
      const e = extra[i]!;
      return {
        name: `${a.name} ${i}`, parent: a.parentId === null ? null : index.get(a.parentId)!, billToParent: a.billToParent,
        schedule: e.schedule % schedules.length, place: SCENARIO_PLACES[e.place % SCENARIO_PLACES.length]!,
        exemption: e.exempt === 0 ? 'exempt' : e.exempt === 1 ? 'reverse_charge' : 'none',
      };
    });
    const n = accounts.length;
    const nodes = new Map(forest.map((a) => [a.id, a]));
    return {
      ...rest, schedules, accounts,
      subscriptions: subscriptions.map((s) => ({ ...s, account: s.account % n })),
      oneOffs: oneOffs.map((o) => ({ ...o, account: o.account % n })),
      // Credit is granted to billing accounts: that is where finalisation looks for it.
      grants: grants.map((g) => ({ ...g, account: index.get(billingAccountOf(nodes, forest[g.account % n]!.id))! })),
    };
  });

export function scheduleCycle(schedule: { anchorDay: number; timeZone: string }): BillingCycle {
  return { interval: 'month', timeZone: schedule.timeZone, anchor: { kind: 'calendar', day: schedule.anchorDay } };
}

export type ScenarioChargeKind = 'recurring' | 'proration_credit' | 'proration_charge' | 'discount' | 'usage' | 'usage_adjustment';

/** What the world records at `at`: a subscription charge, a one-off charge, or prepaid credit. */
export type ScenarioEvent =
  | { type: 'charge'; at: Date; subscription: number; account: number; kind: ScenarioChargeKind; periodStart: Date; periodEnd: Date; minor: bigint; description: string }
  | { type: 'one_off'; at: Date; account: number; serviceDate: Date; quantity: string; unitPriceMinor: number }
  | { type: 'grant'; at: Date; account: number; minor: number };

const MINUTE = 60_000;

/** The share `(end − from) / (end − start)` of `minor` minor units, rounded half up to a whole minor unit (a proration). */
function prorated(minor: number, from: number, start: number, end: number): bigint {
  const exact = new Decimal(minor).times(end - from).dividedBy(end - start);
  return BigInt(exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/**
 * The charges the subscriptions record, in time order: each subscription
 * bills on its own account's cycle (a child's periods need not match its
 * billing account's bill dates): an in-advance fee per period (with the
 * coupon's discount), a mid-period change (credit for the old fee, charge
 * for the new one), usage at period close, and late usage adjustments.
 */
export function scenarioEvents(scenario: BillingScenario, start: Date): ScenarioEvent[] {
  const events: ScenarioEvent[] = [];
  scenario.subscriptions.forEach((s, si) => {
    const cycle = scheduleCycle(scenario.schedules[scenario.accounts[s.account]!.schedule]!);
    const bounds = [boundaryAfter(cycle, start)];
    for (let k = 0; k < s.cycles.length; k++) bounds.push(boundaryAfter(cycle, bounds[k]!));
    let fee = s.feeMinor;
    const charge = (at: number, kind: ScenarioChargeKind, from: number, to: number, minor: bigint, description: string) =>
      events.push({ type: 'charge', at: new Date(at), subscription: si, account: s.account, kind, periodStart: new Date(from), periodEnd: new Date(to), minor, description });
    s.cycles.forEach((c, k) => {
      const ps = bounds[k]!.getTime();
      const pe = bounds[k + 1]!.getTime();
      const recorded = ps + c.recordOffsetMinutes * MINUTE;
      charge(recorded, 'recurring', ps, pe, BigInt(fee), `Fee, period ${k}`);
      if (s.discountPercent > 0) charge(recorded, 'discount', ps, pe, -((BigInt(fee) * BigInt(s.discountPercent)) / 100n), `Coupon ${s.discountPercent} %, period ${k}`);
      // The last cycle only bills its fee in advance: its usage would close after the scenario.
      if (k === s.cycles.length - 1) return;
      if (c.change) {
        const at = ps + Math.floor(((pe - ps) * c.change.permille) / 1000 / 1000) * 1000;
        charge(at, 'proration_credit', at, pe, -prorated(fee, at, ps, pe), `Change credit, period ${k}`);
        charge(at, 'proration_charge', at, pe, prorated(c.change.newFeeMinor, at, ps, pe), `Change charge, period ${k}`);
        fee = c.change.newFeeMinor;
      }
      charge(pe + c.usageDelayMinutes * MINUTE, 'usage', ps, pe, BigInt(c.usageMinor), `Usage, period ${k}`);
      if (c.adjustment) charge(pe + c.adjustment.delayHours * 60 * MINUTE, 'usage_adjustment', ps, pe, BigInt(c.adjustment.minor), `Late usage, period ${k}`);
    });
  });
  for (const o of scenario.oneOffs) {
    const at = start.getTime() + o.hoursAfterStart * 60 * MINUTE + 7 * MINUTE;
    events.push({ type: 'one_off', at: new Date(at), account: o.account, serviceDate: new Date(at - o.backdateHours * 60 * MINUTE), quantity: o.quantity, unitPriceMinor: o.unitPriceMinor });
  }
  for (const g of scenario.grants) events.push({ type: 'grant', at: start, account: g.account, minor: g.minor });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The bill dates (cycle boundaries) from `from` to `to`, both inclusive. */
export function billDatesOf(cycle: BillingCycle, from: Date, to: Date): Date[] {
  const dates: Date[] = [];
  for (let b = boundaryAfter(cycle, new Date(from.getTime() - 1)); b <= to; b = boundaryAfter(cycle, b)) dates.push(b);
  return dates;
}

/**
 * Whether `instant` is local midnight on the anchor day (clamped to the
 * month's length) in the schedule's zone, read with Intl rather than the
 * domain's own calendar code.
 */
export function isLocalBillDate(instant: Date, schedule: { anchorDay: number; timeZone: string }): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: schedule.timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const lastDay = new Date(Date.UTC(get('year'), get('month'), 0)).getUTCDate();
  return get('hour') === 0 && get('minute') === 0 && get('second') === 0 && instant.getUTCMilliseconds() === 0 && get('day') === Math.min(schedule.anchorDay, lastDay);
}

/** A small seeded PRNG (mulberry32) for the replay's choices: which attempts crash, which run twice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
