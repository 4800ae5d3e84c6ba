import type { EntityManager } from 'typeorm';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { percentileLine } from '../../domain/metering/percentile-line';
import { Decimal, sum, ZERO } from '../../domain/money/decimal';
import { minorUnitsOf } from '../../domain/money/money';
import type { Period } from '../../domain/periods/billing-cycle';
import { Account } from '../../db/entities/account';
import type { UsageThreshold } from '../../db/entities/metering/usage-threshold';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { loadMetric, type MetricDefinition } from './metric-definition';
import { aggregateUsage, sampleSeries } from './usage-aggregation';
import { percentileConvention, usageChargesOn, type MetricCharge } from './usage-api-charges';
import { accountMonth } from './usage-api-period';
import type { UsageSelection } from './usage-query';
import { rateSubscriptionUsage } from './usage-rating';
import { commitReference, LIVE_STATUSES, liveSubscriptionsOf } from './threshold-reference';

/**
 * What a threshold measures now (docs/metering.md, "Bill-shock thresholds"):
 *
 * - Subscription threshold: its current billing period. units: the metric
 *   over the period so far; amount: its usage charges rated so far.
 * - Account threshold: the calendar month in the account's time zone (the
 *   announcement period). units: the metric over all the account's own
 *   events (attributed to a subscription or not); amount: the usage charges
 *   so far of every live subscription the account pays for
 *   (billing_account_id), each over its own current period.
 * - Percentile (bandwidth) metrics are measured as the billed rate in bit/s
 *   under the charge's convention (percentile, method, direction, missing
 *   samples), the default convention without one.
 * - Amounts are usage only, in the account's currency: fixed fees are known
 *   in advance and are not what a bill-shock warning is for.
 *
 * A subscription whose recorded period has ended (its workflow renews it
 * within seconds) is `stale`: the queue keeps its account to look again.
 */
export type Observation =
  | { kind: 'observed'; period: Period; observed: Decimal; reference: Decimal; currency: string | null }
  | { kind: 'skip'; reason: string }
  | { kind: 'stale'; accountId: string; reason: string };

/**
 * Usage "so far" runs to now plus the ingest's clock-skew allowance, so an
 * event stamped a little ahead (an agent's clock) counts as soon as it is
 * stored, not minutes later at the next event; the period end caps it.
 */
function horizon(period: Period, now: Date): Date {
  const ahead = now.getTime() + INGEST_LIMITS.maxFutureSkewMs;
  return new Date(Math.min(period.end.getTime(), ahead));
}

/** How long past its recorded end a period may wait for the workflow's renewal before the account stops being kept in the queue. */
const STALE_GRACE_MS = 60 * 60 * 1000;

type PeriodCheck = { ok: true; period: Period } | { ok: false; observation: Observation };

function currentPeriodOf(subscription: Subscription, now: Date): PeriodCheck {
  const { currentPeriodStart: start, currentPeriodEnd: end } = subscription;
  if (!(LIVE_STATUSES as readonly string[]).includes(subscription.status) || !start || !end) {
    return { ok: false, observation: { kind: 'skip', reason: `subscription ${subscription.id} is ${subscription.status} with no current period` } };
  }
  if (now < start) return { ok: false, observation: { kind: 'skip', reason: `subscription ${subscription.id}'s period starts later` } };
  if (now >= end) {
    const reason = `subscription ${subscription.id}'s period ended at ${end.toISOString()} and is not renewed yet`;
    if (now.getTime() - end.getTime() < STALE_GRACE_MS) return { ok: false, observation: { kind: 'stale', accountId: subscription.accountId, reason } };
    return { ok: false, observation: { kind: 'skip', reason } };
  }
  return { ok: true, period: { start, end } };
}

/** The metric's usage in [from, now): the billed rate in bit/s for a percentile metric, else the aggregate over all groups. */
async function unitsOf(tx: EntityManager, sel: UsageSelection, charges: readonly MetricCharge[]): Promise<Decimal> {
  if (sel.metric.aggregation.type === 'percentile') {
    const convention = percentileConvention(sel.metric, charges);
    const groups = await sampleSeries(tx, { ...sel, groupBy: [] });
    const series = groups[0]?.series;
    if (!series) return ZERO;
    const line = percentileLine(series.slots.map((s) => s.in), series.slots.map((s) => s.out), convention);
    return new Decimal(line.billed ?? 0);
  }
  const aggregates = await aggregateUsage(tx, { ...sel, groupBy: [] });
  return aggregates[0]?.quantity ?? ZERO;
}

async function ratedSoFar(tx: EntityManager, subscription: Subscription, period: Period, now: Date): Promise<Decimal> {
  const rated = await rateSubscriptionUsage(tx, subscription.tenantId, subscription.id, { start: period.start, end: horizon(period, now) });
  return sum(rated.map((r) => new Decimal(r.amount)));
}

async function reference(tx: EntityManager, t: UsageThreshold, subscription: Subscription | null, now: Date): Promise<Decimal | string> {
  if (t.reference === 'value') return new Decimal(t.referenceValue!);
  const commit = await commitReference(tx, t.tenantId, { accountId: t.accountId, subscription, metricCode: t.metricCode! }, now);
  return commit.ok ? commit.value : commit.reason;
}

async function observeSubscription(tx: EntityManager, t: UsageThreshold, now: Date): Promise<Observation> {
  const subscription = await tx.findOneBy(Subscription, { tenantId: t.tenantId, id: t.subscriptionId! });
  if (!subscription) return { kind: 'skip', reason: `subscription ${t.subscriptionId} is gone` };
  const current = currentPeriodOf(subscription, now);
  if (!current.ok) return current.observation;
  const ref = await reference(tx, t, subscription, now);
  if (typeof ref === 'string') return { kind: 'skip', reason: ref };
  let observed: Decimal;
  if (t.basis === 'amount') {
    observed = await ratedSoFar(tx, subscription, current.period, now);
  } else {
    const metric: MetricDefinition = await loadMetric(tx, t.tenantId, t.metricCode!);
    const charges = await usageChargesOn(tx, subscription, metric.code, now);
    const sel = { tenantId: t.tenantId, accountId: subscription.accountId, subscriptionId: subscription.id, metric, from: current.period.start, to: horizon(current.period, now) };
    observed = await unitsOf(tx, sel, charges);
  }
  return { kind: 'observed', period: current.period, observed, reference: ref, currency: t.basis === 'amount' ? subscription.currency : null };
}

async function observeAccount(tx: EntityManager, t: UsageThreshold, now: Date): Promise<Observation> {
  const account = await tx.findOneBy(Account, { tenantId: t.tenantId, id: t.accountId });
  if (!account) return { kind: 'skip', reason: `account ${t.accountId} is gone` };
  const month = accountMonth(account, now);
  const ref = await reference(tx, t, null, now);
  if (typeof ref === 'string') return { kind: 'skip', reason: ref };
  if (t.basis === 'units') {
    const metric = await loadMetric(tx, t.tenantId, t.metricCode!);
    const charges = [];
    for (const s of await liveSubscriptionsOf(tx, t.tenantId, account.id)) charges.push(...(await usageChargesOn(tx, s, metric.code, now)));
    const observed = await unitsOf(tx, { tenantId: t.tenantId, accountId: account.id, metric, from: month.start, to: horizon(month, now) }, charges);
    return { kind: 'observed', period: month, observed, reference: ref, currency: null };
  }
  const payer = await tx
    .createQueryBuilder(Subscription, 's')
    .where('s.tenant_id = :tenantId AND s.billing_account_id = :accountId AND s.status IN (:...live)', { tenantId: t.tenantId, accountId: account.id, live: LIVE_STATUSES })
    .orderBy('s.id')
    .getMany();
  let observed = ZERO;
  for (const subscription of payer) {
    const current = currentPeriodOf(subscription, now);
    if (!current.ok) {
      if (current.observation.kind === 'stale') return current.observation;
      continue;
    }
    observed = observed.plus(await ratedSoFar(tx, subscription, current.period, now));
  }
  return { kind: 'observed', period: month, observed, reference: ref, currency: account.currency };
}

export async function observeThreshold(tx: EntityManager, threshold: UsageThreshold, now: Date): Promise<Observation> {
  return threshold.subscriptionId ? observeSubscription(tx, threshold, now) : observeAccount(tx, threshold, now);
}

/** Observed values as the crossing event shows them: amounts with the currency's minor digits. */
export function observedText(observed: Decimal, currency: string | null): string {
  return currency ? observed.toFixed(minorUnitsOf(currency)) : observed.toFixed();
}
