import { effectiveChargePrice, type StoredCharge } from '../catalog/effective-price';
import type { PlanDefinitionInput } from '../catalog/plan-definition';
import type { OverrideCharges } from '../catalog/price-override';
import { Decimal, sum, ZERO } from '../money/decimal';
import { minorUnitsOf, roundMoney } from '../money/money';
import { periodContaining, type BillingCycle, type BillingInterval, type CycleAnchor, type Period } from '../periods/billing-cycle';
import { minimumCommitmentTrueUp, rateCharge, type ChargePrice } from '../pricing/charge';
import type { RatingInput } from '../pricing/inputs';
import { INPUT_KIND, type PriceModel } from '../pricing/price-model';
import type { ChargeKind } from './charge-lines';

/**
 * Upgrade and cross-sell offers: what each other eligible plan, and each
 * add-on the subscription does not have, would have cost over its last full
 * closed billing periods, rated with the same engine on the quantities those
 * periods recorded, against what was actually charged. Pure: services load
 * the recorded charges and the catalogue (docs/offers.md).
 *
 * A plan offer replaces the period's plan charges (its recurring and usage
 * lines) by the candidate's; add-on lines, one-time fees and discounts stay
 * as recorded. An add-on offer adds its recurring charges. Candidates that
 * cannot be rated on what was recorded are listed as not comparable, with
 * the reason, never guessed.
 */

/** One line from subscription_charges. */
export interface RecordedLine {
  kind: ChargeKind;
  itemCode: string | null;
  chargeKey: string | null;
  /** Half-open [periodStart, periodEnd); one-time fees have an empty period at the moment they were charged. */
  periodStart: Date;
  periodEnd: Date;
  quantity: Decimal;
  /** Rounded to the currency; negative for credits and discounts. */
  amount: Decimal;
  /** Usage lines: what the charge was rated on, when metering kept it (e.g. the 5-minute samples); else `quantity` stands for it. */
  input?: RatingInput | undefined;
}

/**
 * A period's usage of the plan's usage charges, by charge key. From a usage
 * line without an input this is `{ kind: 'quantity', quantity }`: the
 * quantity the charge was rated on, which for a 95th-percentile charge is the
 * billed 95th in Mbps.
 */
export type PeriodUsage = Readonly<Record<string, RatingInput>>;

/** A plan or add-on at one version, with the account's contract prices for it active now. */
export interface CatalogItem {
  kind: 'plan' | 'addon';
  code: string;
  name: string;
  status: 'active' | 'archived';
  version: number;
  definition: PlanDefinitionInput;
  override: { charges: OverrideCharges; minimumCommitment: string | null } | null;
}

export interface SubscriptionHistory {
  subscriptionId: string;
  currency: string;
  interval: BillingInterval;
  timeZone: string;
  /** The cycle's anchor; null before billing starts. An anniversary cycle is anchored where the first paid period began (trial end, else activation). */
  anchor: CycleAnchor | null;
  /** The plan at the subscription's version. */
  plan: CatalogItem;
  planQuantity: Decimal;
  addonCodes: readonly string[];
  lines: readonly RecordedLine[];
}

export interface OffersInput {
  now: Date;
  /** How many of the latest closed periods to look at, 1 or more. */
  periods: number;
  subscriptions: readonly SubscriptionHistory[];
  /** Plans and add-ons at their current versions, archived ones included (to tell a past item's kind). */
  catalog: readonly CatalogItem[];
}

export interface ComparedPeriod extends Period {
  paid: Decimal;
  planCode: string;
  quantity: Decimal;
  usage: PeriodUsage;
  /** The plan's recurring and usage lines, which a plan offer replaces. */
  planCharges: Decimal;
  discounts: Decimal;
}

export interface CommitFit {
  chargeKey: string;
  commitMbps: Decimal;
  /** Newest first: the billed 95th of each compared period on the current plan. */
  figures: Array<{ start: Date; end: Date; mbps: Decimal }>;
  /** Consecutive periods, up to the latest, whose 95th exceeded the commit. */
  periodsOverCommit: number;
}

export interface Offer {
  subscriptionId: string;
  kind: 'plan' | 'addon';
  code: string;
  name: string;
  version: number;
  currency: string;
  comparable: boolean;
  reason: string | null;
  /** The candidate's own charges over the compared periods (for an add-on: its cost). */
  candidateCharges: Decimal | null;
  wouldHaveCost: Decimal | null;
  actuallyPaid: Decimal;
  /** actuallyPaid − wouldHaveCost: positive means the candidate was cheaper. */
  saving: Decimal | null;
  /** Charged once when switching or adding; not in the saving. */
  oneTimeFees: Decimal | null;
  contractPrices: boolean;
  perPeriod: Array<{ start: Date; end: Date; paid: Decimal; wouldHaveCost: Decimal }>;
  message: string;
  notes: string[];
}

export interface SubscriptionComparison {
  subscriptionId: string;
  planCode: string;
  compared: ComparedPeriod[];
  skipped: Array<Period & { reason: string }>;
  actuallyPaid: Decimal;
  fits: CommitFit[];
}

const PLAN_LINES: ReadonlySet<ChargeKind> = new Set(['recurring', 'usage']);
const INTERVAL_NOUN: Record<BillingInterval, string> = { month: 'month', quarter: 'quarter', year: 'year' };

const periodKey = (p: Period) => `${p.start.toISOString()}/${p.end.toISOString()}`;
const covers = (l: RecordedLine, p: Period) => l.periodStart.getTime() === p.start.getTime() && l.periodEnd.getTime() === p.end.getTime();

function cycleOf(history: SubscriptionHistory): BillingCycle | null {
  return history.anchor === null ? null : { interval: history.interval, timeZone: history.timeZone, anchor: history.anchor };
}

/** The plan's usage by charge key; a key recorded twice in one period is ambiguous and left out. */
function usageOf(lines: readonly RecordedLine[], planCode: string): { usage: Record<string, RatingInput>; twice: Set<string> } {
  const usage: Record<string, RatingInput> = {};
  const twice = new Set<string>();
  for (const l of lines) {
    if (l.kind !== 'usage' || l.itemCode !== planCode || l.chargeKey === null) continue;
    if (l.chargeKey in usage) twice.add(l.chargeKey);
    usage[l.chargeKey] = l.input ?? { kind: 'quantity', quantity: l.quantity };
  }
  for (const key of twice) delete usage[key];
  return { usage, twice };
}

/**
 * The last `count` closed cycle periods that recorded a recurring charge,
 * newest first; only full ones are compared: recurring lines covering the
 * whole period, no mid-period change (prorated lines), and, on the current
 * plan, a usage line for each of its usage charges.
 */
export function comparePeriods(history: SubscriptionHistory, now: Date, count: number, kindOf: (code: string) => 'plan' | 'addon' | undefined) {
  const cycle = cycleOf(history);
  const compared: ComparedPeriod[] = [];
  const skipped: Array<Period & { reason: string }> = [];
  if (cycle === null) return { compared, skipped };
  const periods = new Map<string, Period>();
  for (const l of history.lines) {
    if (l.kind !== 'recurring') continue;
    const p = periodContaining(cycle, l.periodStart);
    if (p.end.getTime() <= now.getTime()) periods.set(periodKey(p), p);
  }
  const latest = [...periods.values()].sort((a, b) => b.start.getTime() - a.start.getTime()).slice(0, count);
  const currentUsageKeys = history.plan.definition.charges.filter((c) => c.type === 'usage').map((c) => c.key);
  for (const p of latest) {
    const lines = history.lines.filter((l) => l.periodStart >= p.start && l.periodStart < p.end);
    const recurring = lines.filter((l) => l.kind === 'recurring');
    if (lines.some((l) => l.kind === 'proration_credit' || l.kind === 'proration_charge')) {
      skipped.push({ ...p, reason: 'the subscription changed during the period' });
      continue;
    }
    if (!recurring.every((l) => covers(l, p))) {
      skipped.push({ ...p, reason: 'billing covered only part of the period (it started, paused or resumed part-way)' });
      continue;
    }
    const planLine = lines.find((l) => l.itemCode !== null && kindOf(l.itemCode) === 'plan');
    const planCode = planLine?.itemCode ?? history.plan.code;
    const { usage, twice } = usageOf(lines, planCode);
    if (planCode === history.plan.code) {
      const missing = currentUsageKeys.filter((k) => usage[k] === undefined);
      if (missing.length > 0) {
        skipped.push({ ...p, reason: `usage of ${missing.join(', ')} is ${missing.some((k) => twice.has(k)) ? 'recorded more than once' : 'not recorded yet'}` });
        continue;
      }
    }
    const planRecurring = recurring.find((l) => l.itemCode === planCode);
    compared.push({
      ...p,
      paid: sum(lines.map((l) => l.amount)),
      planCode,
      quantity: planRecurring?.quantity ?? history.planQuantity,
      usage,
      planCharges: sum(lines.filter((l) => l.itemCode === planCode && PLAN_LINES.has(l.kind)).map((l) => l.amount)),
      discounts: sum(lines.filter((l) => l.kind === 'discount').map((l) => l.amount)),
    });
  }
  return { compared, skipped };
}

type Rated = { ok: true; amount: Decimal } | { ok: false; reason: string };

/** A recorded 95th (billed Mbps) as a one-slot sample set: every percentile method picks that one sample. */
function figureAsSamples(mbps: Decimal, model: Extract<PriceModel, { model: 'percentile' }>): RatingInput | null {
  const bits = mbps.times(1_000_000);
  if (!bits.isInteger() || bits.isNegative() || bits.greaterThan(Number.MAX_SAFE_INTEGER)) return null;
  const value = bits.toNumber();
  const out = model.direction === 'out';
  return { kind: 'bandwidth', ports: [{ portId: 'recorded-95th', in: [out ? 0 : value], out: [out ? value : 0] }] };
}

function sameConvention(a: PriceModel | undefined, b: Extract<PriceModel, { model: 'percentile' }>): boolean {
  return a?.model === 'percentile' && a.method === b.method && a.direction === b.direction && a.missing_samples === b.missing_samples && a.percentile.equals(b.percentile);
}

function priceOf(item: CatalogItem, charge: StoredCharge, currency: string): ChargePrice | null {
  return effectiveChargePrice(charge, currency, item.override?.charges[charge.key])?.price ?? null;
}

/** What rating a candidate needs: the subscription, and the catalogue to find the plan that recorded a period's usage. */
interface RatingContext {
  history: SubscriptionHistory;
  itemOf: (code: string) => CatalogItem | undefined;
}

/**
 * The input a candidate's usage charge is rated on: the usage its plan
 * recorded under the same charge key, measured by the same metric. A
 * recorded quantity rates a percentile price only as the 95th the current
 * plan billed, so the candidate must pick its 95th the same way (method,
 * direction, percentile, missing samples).
 */
function usageInput(charge: StoredCharge, price: ChargePrice, period: ComparedPeriod, ctx: RatingContext): RatingInput | string {
  const { key } = charge;
  const model = price.model;
  const input = period.usage[key];
  if (input === undefined) return `no usage was recorded for its ${key} charge (${model.model})`;
  const current = ctx.history.plan;
  const recorder = period.planCode === current.code ? current : ctx.itemOf(period.planCode);
  const recorded = recorder?.definition.charges.find((c) => c.key === key);
  if (recorded?.metric !== charge.metric) return `its ${key} charge is measured by ${charge.metric ?? 'no metric'}, the recorded ${key} usage by ${recorded?.metric ?? 'an unknown metric'}`;
  const wanted = INPUT_KIND[model.model];
  if (input.kind === wanted) return input;
  if (input.kind === 'quantity' && model.model === 'percentile') {
    const reference = recorder === current && recorded ? priceOf(current, recorded, ctx.history.currency)?.model : undefined;
    if (!sameConvention(reference, model)) return `its ${key} charge picks the 95th differently from the plan that recorded it; the samples are needed`;
    return figureAsSamples(input.quantity, model) ?? `the recorded ${key} figure ${input.quantity.toFixed()} Mbps is not a whole bit/s rate`;
  }
  return `its ${key} charge (${model.model}) is rated on ${wanted}, but ${input.kind} was recorded`;
}

/** What an item's recurring and usage charges come to for one period (rounded per charge, minimum true-up included). */
function ratePeriod(item: CatalogItem, period: ComparedPeriod, ctx: RatingContext, quantity: Decimal): Rated {
  const currency = ctx.history.currency;
  const amounts: Decimal[] = [];
  for (const charge of item.definition.charges) {
    if (charge.type === 'one_time') continue;
    const price = priceOf(item, charge, currency);
    if (price === null) continue;
    let input: RatingInput | string;
    if (charge.type === 'recurring') {
      input = INPUT_KIND[price.model.model] === 'quantity' ? { kind: 'quantity', quantity } : `its ${charge.key} charge is a ${price.model.model} price, rated on ${INPUT_KIND[price.model.model]}, which recorded charges do not hold`;
    } else {
      input = item.kind === 'addon' ? `its ${charge.key} charge is billed on usage the subscription has not had` : usageInput(charge, price, period, ctx);
    }
    if (typeof input === 'string') return { ok: false, reason: input };
    try {
      amounts.push(rateCharge(price, input, currency).amount);
    } catch (error) {
      return { ok: false, reason: `its ${charge.key} charge cannot be rated: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const minimum = item.override?.minimumCommitment ?? item.definition.minimum_commitment?.[currency];
  const trueUp = minimum == null ? null : minimumCommitmentTrueUp(new Decimal(minimum), amounts, currency);
  return { ok: true, amount: roundMoney(sum(amounts).plus(trueUp?.amount ?? ZERO), currency) };
}

function oneTimeFees(item: CatalogItem, currency: string, quantity: Decimal): Decimal | null {
  const fees: Decimal[] = [];
  for (const charge of item.definition.charges.filter((c) => c.type === 'one_time')) {
    const price = priceOf(item, charge, currency);
    if (price === null) continue;
    if (INPUT_KIND[price.model.model] !== 'quantity') return null;
    fees.push(rateCharge(price, { kind: 'quantity', quantity }, currency).amount);
  }
  return sum(fees);
}

function billed95th(price: ChargePrice, input: RatingInput, currency: string): Decimal | null {
  try {
    return rateCharge(price, input, currency).rating.quantity;
  } catch {
    return null;
  }
}

/** The current plan's 95th-percentile charges against their commits, period by period. */
export function commitFits(history: SubscriptionHistory, compared: readonly ComparedPeriod[]): CommitFit[] {
  const fits: CommitFit[] = [];
  for (const charge of history.plan.definition.charges) {
    const price = charge.type === 'usage' ? priceOf(history.plan, charge, history.currency) : null;
    if (price?.model.model !== 'percentile') continue;
    const commit = price.model.commit_mbps;
    const figures: CommitFit['figures'] = [];
    for (const p of compared) {
      const input = p.planCode === history.plan.code ? p.usage[charge.key] : undefined;
      let mbps: Decimal | null = null;
      if (input?.kind === 'quantity') mbps = input.quantity;
      else if (input?.kind === 'bandwidth') mbps = billed95th(price, input, history.currency);
      // A period without a usable figure ends the run: the count never skips over a gap.
      if (mbps === null) break;
      figures.push({ start: p.start, end: p.end, mbps });
    }
    const over = figures.findIndex((f) => !f.mbps.greaterThan(commit));
    fits.push({ chargeKey: charge.key, commitMbps: commit, figures, periodsOverCommit: over === -1 ? figures.length : over });
  }
  return fits;
}

/** Plans the subscription could move to and add-ons it could take: active, same interval, priced in its currency. */
export function isEligible(candidate: CatalogItem, history: SubscriptionHistory): boolean {
  const d = candidate.definition;
  if (candidate.status !== 'active' || d.billing_interval !== history.interval || !d.currencies.includes(history.currency)) return false;
  if (candidate.kind === 'plan') return candidate.code !== history.plan.code;
  return !history.addonCodes.includes(candidate.code) && (d.applies_to_plans === undefined || d.applies_to_plans.includes(history.plan.code));
}

const text = (amount: Decimal, currency: string) => `${amount.abs().toFixed(minorUnitsOf(currency))} ${currency}`;

/** The commit of each of the candidate's 95th-percentile charges, by charge key. */
function commitsOf(candidate: CatalogItem, currency: string): Map<string, Decimal> {
  const byKey = new Map<string, Decimal>();
  for (const c of candidate.definition.charges) {
    const model = priceOf(candidate, c, currency)?.model;
    if (model?.model === 'percentile') byKey.set(c.key, model.commit_mbps);
  }
  return byKey;
}

function messageOf(offer: Offer, interval: BillingInterval, fits: readonly CommitFit[], commits: ReadonlyMap<string, Decimal>, n: number): string {
  const { currency, saving } = offer;
  if (!offer.comparable || saving === null || offer.wouldHaveCost === null || offer.candidateCharges === null) return `${offer.name} cannot be compared: ${offer.reason ?? ''}.`;
  const noun = INTERVAL_NOUN[interval];
  const over = n === 1 ? `the last ${noun}` : `the last ${n} ${noun}s`;
  const once = offer.oneTimeFees?.isZero() === false ? `, plus ${text(offer.oneTimeFees, currency)} once` : '';
  if (offer.kind === 'addon') return `Adding ${offer.name} would have cost ${text(offer.candidateCharges, currency)} over ${over}${once}.`;
  if (saving.greaterThan(0)) {
    for (const fit of fits) {
      const commit = commits.get(fit.chargeKey);
      if (fit.periodsOverCommit === 0 || commit === undefined || !commit.greaterThan(fit.commitMbps)) continue;
      const running = fit.periodsOverCommit === 1 ? `in the last ${noun}` : `${fit.periodsOverCommit} ${noun}s running`;
      return `Your 95th percentile on ${fit.chargeKey} exceeded your ${fit.commitMbps.toFixed()} Mbps commit ${running}; the ${commit.toFixed()} Mbps commit (${offer.name}) would have saved ${text(saving, currency)} over ${over}${once}.`;
    }
    return `${offer.name} would have cost ${text(saving, currency)} less over ${over} (${text(offer.wouldHaveCost, currency)} instead of ${text(offer.actuallyPaid, currency)})${once}.`;
  }
  if (saving.isZero()) return `${offer.name} would have cost the same over ${over}${once}.`;
  return `${offer.name} would have cost ${text(saving, currency)} more over ${over}${once}.`;
}

function offerFor(candidate: CatalogItem, ctx: RatingContext, compared: readonly ComparedPeriod[], fits: readonly CommitFit[]): Offer {
  const { history } = ctx;
  const currency = history.currency;
  const actuallyPaid = sum(compared.map((p) => p.paid));
  const quantity = candidate.kind === 'plan' ? history.planQuantity : new Decimal(1);
  const perPeriod: Offer['perPeriod'] = [];
  let reason: string | null = compared.length === 0 ? 'there is no full closed billing period to compare yet' : null;
  let candidateCharges = ZERO;
  for (const p of compared) {
    if (reason !== null) break;
    const rated = ratePeriod(candidate, p, ctx, candidate.kind === 'plan' ? p.quantity : quantity);
    if (!rated.ok) {
      reason = `${rated.reason} (period ${p.start.toISOString()} to ${p.end.toISOString()})`;
      break;
    }
    candidateCharges = candidateCharges.plus(rated.amount);
    const replaced = candidate.kind === 'plan' ? p.planCharges : ZERO;
    perPeriod.push({ start: p.start, end: p.end, paid: p.paid, wouldHaveCost: p.paid.minus(replaced).plus(rated.amount) });
  }
  const comparable = reason === null;
  const wouldHaveCost = comparable ? sum(perPeriod.map((p) => p.wouldHaveCost)) : null;
  const discounts = sum(compared.map((p) => p.discounts));
  const notes: string[] = [];
  if (comparable && !discounts.isZero()) notes.push(`Discounts of ${text(discounts, currency)} are kept as recorded; a coupon may have discounted this ${candidate.kind === 'plan' ? 'plan' : 'add-on'} differently.`);
  if (candidate.override) notes.push('Priced at the contract prices active now.');
  const offer: Offer = {
    subscriptionId: history.subscriptionId, kind: candidate.kind, code: candidate.code, name: candidate.name, version: candidate.version, currency,
    comparable, reason, candidateCharges: comparable ? candidateCharges : null, wouldHaveCost, actuallyPaid,
    saving: wouldHaveCost === null ? null : actuallyPaid.minus(wouldHaveCost), oneTimeFees: oneTimeFees(candidate, currency, quantity),
    contractPrices: candidate.override !== null, perPeriod: comparable ? perPeriod : [], message: '', notes,
  };
  offer.message = messageOf(offer, history.interval, fits, commitsOf(candidate, currency), compared.length);
  return offer;
}

/** Comparable offers first, biggest saving first; then the rest. Ties: plans before add-ons, then by code. */
function byValue(a: Offer, b: Offer): number {
  const rest = (Number(a.kind === 'addon') - Number(b.kind === 'addon')) || a.code.localeCompare(b.code);
  if (a.saving !== null && b.saving !== null) return b.saving.comparedTo(a.saving) || rest;
  return Number(a.saving === null) - Number(b.saving === null) || rest;
}

export function accountOffers(input: OffersInput): { subscriptions: SubscriptionComparison[]; offers: Offer[] } {
  if (!Number.isInteger(input.periods) || input.periods < 1) throw new RangeError('periods must be a positive integer');
  const items = new Map(input.catalog.map((c) => [c.code, c]));
  const subscriptions: SubscriptionComparison[] = [];
  const offers: Offer[] = [];
  for (const history of input.subscriptions) {
    const { compared, skipped } = comparePeriods(history, input.now, input.periods, (code) => items.get(code)?.kind);
    const fits = commitFits(history, compared);
    subscriptions.push({ subscriptionId: history.subscriptionId, planCode: history.plan.code, compared, skipped, actuallyPaid: sum(compared.map((p) => p.paid)), fits });
    for (const candidate of input.catalog.filter((c) => isEligible(c, history))) {
      offers.push(offerFor(candidate, { history, itemOf: (code) => items.get(code) }, compared, fits));
    }
  }
  return { subscriptions, offers: offers.sort(byValue) };
}
