import type { EntityManager } from 'typeorm';
import type { MetricFilter } from '../../domain/catalog/metric';
import { percentileLine } from '../../domain/metering/percentile-line';
import { bucketEdges } from '../../domain/metering/usage-buckets';
import { slotWindow } from '../../domain/metering/sample-days';
import { Account } from '../../db/entities/account';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { RackrateError, type FieldError } from '../../lib/errors';
import { loadMetric, type MetricDefinition } from './metric-definition';
import { aggregateUsage, sampleSeries, usageSeries } from './usage-aggregation';
import { percentileConvention, usageChargesOn } from './usage-api-charges';
import type { UsageQuery, UsageSeriesQuery } from './usage-api-schemas';
import { accountMonth } from './usage-api-period';
import type { UsageSelection } from './usage-query';

/**
 * Read use cases of the usage API: totals, hourly/daily series and the
 * 5-minute samples with the percentile line, for an account or one
 * subscription, over [from, to) (default the subscription's current period,
 * or the account's current calendar month in its time zone).
 */

/** Hourly buckets for a quarter, daily ones for years; more is a chart nobody reads. */
export const MAX_SERIES_BUCKETS = 2500;
/** Per group: a 31-day month is 8,928 five-minute slots; a little more leaves room for a DST hour. */
export const MAX_SAMPLE_SLOTS = 9000;
/** Per response, over all groups: about 10 port-months. */
export const MAX_SAMPLES = 100_000;

export interface ResolvedSelection {
  account: Account;
  subscription: Subscription | null;
  metric: MetricDefinition;
  sel: UsageSelection;
}

function invalidQuery(errors: FieldError[]): RackrateError {
  return new RackrateError('validation_failed', errors.map((e) => `query ${e.field}: ${e.message}`).join('; '), { errors });
}

/** Loads what the query names; every unknown reference is reported at once. */
export async function resolveSelection(tx: EntityManager, tenantId: string, q: UsageQuery, now: Date): Promise<ResolvedSelection> {
  const errors: FieldError[] = [];
  let subscription: Subscription | null = null;
  let account: Account | null = null;
  if (q.subscription_id !== undefined) {
    subscription = await tx.findOneBy(Subscription, { tenantId, id: q.subscription_id });
    if (!subscription) errors.push({ in: 'query', field: 'subscription_id', code: 'unknown', message: `there is no subscription ${q.subscription_id}` });
    else if (q.account_id !== undefined && subscription.accountId !== q.account_id) {
      errors.push({ in: 'query', field: 'subscription_id', code: 'not_of_account', message: 'is not a subscription of account_id' });
    }
  }
  const accountId = subscription?.accountId ?? q.account_id;
  if (accountId !== undefined) {
    account = await tx.findOneBy(Account, { tenantId, id: accountId });
    if (!account && q.account_id !== undefined) errors.push({ in: 'query', field: 'account_id', code: 'unknown', message: `there is no account ${q.account_id}` });
  }
  let metric: MetricDefinition | null = null;
  try {
    metric = await loadMetric(tx, tenantId, q.metric);
  } catch (error) {
    if (!(error instanceof RackrateError && error.code === 'not_found')) throw error;
    errors.push({ in: 'query', field: 'metric', code: 'unknown', message: `there is no billable metric "${q.metric}"` });
  }
  if (errors.length > 0 || !account || !metric) throw invalidQuery(errors);

  let from: Date;
  let to: Date;
  if (q.from !== undefined && q.to !== undefined) {
    from = new Date(q.from);
    to = new Date(q.to);
  } else if (subscription) {
    if (!subscription.currentPeriodStart || !subscription.currentPeriodEnd) {
      throw invalidQuery([{ in: 'query', field: 'from', code: 'required', message: `is required: subscription ${subscription.id} is ${subscription.status} and has no current period` }]);
    }
    from = subscription.currentPeriodStart;
    to = subscription.currentPeriodEnd;
  } else {
    ({ start: from, end: to } = accountMonth(account, now));
  }
  const filters: MetricFilter[] | undefined = q.filters;
  return {
    account,
    subscription,
    metric,
    sel: { tenantId, accountId: account.id, subscriptionId: subscription?.id, metric, from, to, filters, groupBy: q.group_by },
  };
}

function header(r: ResolvedSelection) {
  return {
    account_id: r.account.id,
    subscription_id: r.subscription?.id ?? null,
    metric: r.metric.code,
    from: r.sel.from.toISOString(),
    to: r.sel.to.toISOString(),
    group_by: r.sel.groupBy ?? r.metric.groupBy,
  };
}

const unitOf = (metric: MetricDefinition) => (metric.aggregation.type === 'percentile' ? 'bit/s' : metric.unitLabel);

export async function usageTotals(tx: EntityManager, tenantId: string, q: UsageQuery, now: Date) {
  const r = await resolveSelection(tx, tenantId, q, now);
  const groups = await aggregateUsage(tx, r.sel);
  return {
    object: 'usage' as const,
    ...header(r),
    aggregation: r.metric.aggregation.type,
    unit: unitOf(r.metric),
    groups: groups.map((g) => ({ group: g.group, quantity: g.quantity.toFixed(), events: g.events })),
  };
}

export async function usageTimeSeries(tx: EntityManager, tenantId: string, q: UsageSeriesQuery, now: Date) {
  const r = await resolveSelection(tx, tenantId, q, now);
  const timezone = q.timezone ?? r.account.timezone;
  const buckets = bucketEdges(r.sel.from, r.sel.to, q.bucket, timezone).length - 1;
  if (buckets > MAX_SERIES_BUCKETS) {
    throw invalidQuery([{
      in: 'query', field: 'to', code: 'range_too_large',
      message: `the range holds ${buckets} ${q.bucket === 'hour' ? 'hourly' : 'daily'} buckets; at most ${MAX_SERIES_BUCKETS} per request${q.bucket === 'hour' ? ': narrow from/to or use bucket=day' : ''}`,
    }]);
  }
  const groups = await usageSeries(tx, r.sel, q.bucket, timezone);
  return {
    object: 'usage_series' as const,
    ...header(r),
    unit: unitOf(r.metric),
    bucket: q.bucket,
    timezone,
    groups: groups.map((g) => ({
      group: g.group,
      buckets: g.buckets.map((b) => ({ start: b.start.toISOString(), end: b.end.toISOString(), quantity: b.quantity.toFixed(), events: b.events })),
    })),
  };
}

export async function usageSamples(tx: EntityManager, tenantId: string, q: UsageQuery, now: Date) {
  const r = await resolveSelection(tx, tenantId, q, now);
  const aggregation = r.metric.aggregation;
  if (aggregation.type !== 'percentile') {
    throw invalidQuery([{ in: 'query', field: 'metric', code: 'not_percentile', message: `is a ${aggregation.type} metric; samples exist for percentile metrics only` }]);
  }
  const window = slotWindow(r.sel.from, r.sel.to, aggregation.window_minutes);
  if (window.count > MAX_SAMPLE_SLOTS) {
    throw invalidQuery([{
      in: 'query', field: 'to', code: 'range_too_large',
      message: `the range holds ${window.count} ${aggregation.window_minutes}-minute slots; at most ${MAX_SAMPLE_SLOTS} per request (a 31-day month is 8,928)`,
    }]);
  }
  const charges = r.subscription ? await usageChargesOn(tx, r.subscription, r.metric.code, r.sel.from) : [];
  const convention = percentileConvention(r.metric, charges);
  const groups = await sampleSeries(tx, r.sel);
  const total = groups.length * window.count;
  if (total > MAX_SAMPLES) {
    throw new RackrateError('usage_result_too_large', `${groups.length} groups × ${window.count} slots = ${total} samples; at most ${MAX_SAMPLES} per response. Narrow from/to, add filters or group by fewer properties.`);
  }
  return {
    object: 'usage_samples' as const,
    ...header(r),
    slot_minutes: aggregation.window_minutes,
    percentile: convention.percentile.toFixed(),
    method: convention.method,
    direction: convention.direction,
    missing_samples: convention.missing,
    convention: convention.source,
    groups: groups.map((g) => {
      const line = percentileLine(g.series.slots.map((s) => s.in), g.series.slots.map((s) => s.out), convention);
      return {
        group: g.group,
        ports: g.series.ports,
        samples: g.series.slots.map((s) => ({ start: s.start.toISOString(), in: s.in, out: s.out })),
        percentile_bps: { in: line.in, out: line.out, billed: line.billed },
        known_slots: line.known,
        expected_slots: window.count,
      };
    }),
  };
}
