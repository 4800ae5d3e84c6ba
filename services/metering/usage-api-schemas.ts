import { z } from 'zod';
import type { MetricFilter } from '../../domain/catalog/metric';
import { catalogCode } from '../../domain/catalog/status';
import { timestamp, timeZone, uuid } from '../../lib/schema-primitives';

/**
 * Query and response shapes of the usage API (docs/metering.md, "Usage
 * API"). Query strings are flat: `group_by=port,region` and
 * `filters=port:xe-0/0/1,port:xe-0/0/2,region:ams1` (property:value pairs;
 * a property named twice matches any of its values; values cannot hold a
 * comma).
 */
const PROPERTY = '[A-Za-z_][A-Za-z0-9_.]{0,62}';
export const MAX_GROUP_BY = 5;
export const MAX_FILTER_PAIRS = 20;

const groupBy = z
  .string()
  .regex(new RegExp(`^${PROPERTY}(,${PROPERTY})*$`), 'must be property names separated by commas, e.g. "port,region"')
  .transform((text) => text.split(','))
  .refine((names) => names.length <= MAX_GROUP_BY, `must name at most ${MAX_GROUP_BY} properties`)
  .refine((names) => new Set(names).size === names.length, 'must not repeat a property')
  .meta({ description: `Event properties to group by, comma-separated (at most ${MAX_GROUP_BY}); default the metric's group_by.`, example: 'port' });

const filters = z
  .string()
  .max(4000)
  .regex(new RegExp(`^${PROPERTY}:[^,]{1,200}(,${PROPERTY}:[^,]{1,200})*$`), 'must be property:value pairs separated by commas, e.g. "port:xe-0/0/1,region:ams1"')
  .transform((text): MetricFilter[] => {
    const byProperty = new Map<string, string[]>();
    for (const pair of text.split(',')) {
      const colon = pair.indexOf(':');
      const property = pair.slice(0, colon);
      const values = byProperty.get(property) ?? [];
      if (!values.includes(pair.slice(colon + 1))) values.push(pair.slice(colon + 1));
      byProperty.set(property, values);
    }
    return [...byProperty].map(([property, values]) => (values.length === 1 ? { property, operator: 'eq', values } : { property, operator: 'in', values }));
  })
  .refine((parsed) => parsed.reduce((n, f) => n + f.values.length, 0) <= MAX_FILTER_PAIRS, `must have at most ${MAX_FILTER_PAIRS} pairs`)
  .meta({
    description: 'Only events whose properties match: property:value pairs, comma-separated; a property named twice matches either value. Added to the metric\'s own filters.',
    example: 'port:xe-0/0/1,region:ams1',
  });

/** Cross-field rules run even when a field failed, so every problem is listed at once. */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

const selectionFields = {
  account_id: uuid.optional().meta({ description: "The account: all its usage, attributed to a subscription or not. Give account_id or subscription_id." }),
  subscription_id: uuid.optional().meta({ description: 'Only usage attributed to this subscription.' }),
  metric: catalogCode.meta({ description: 'Billable metric code.', example: 'transit-gb' }),
  from: timestamp.optional().meta({ description: "Start (inclusive). With `to`; default the subscription's current period, or the account's current calendar month in its time zone." }),
  to: timestamp.optional().meta({ description: 'End (exclusive).' }),
  group_by: groupBy.optional(),
  filters: filters.optional(),
};

function selectionRules(q: { account_id?: string | undefined; subscription_id?: string | undefined; from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (q.account_id === undefined && q.subscription_id === undefined) ctx.addIssue({ code: 'custom', path: ['account_id'], message: 'give account_id or subscription_id' });
  if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'give both from and to, or neither' });
  if (typeof q.from === 'string' && typeof q.to === 'string' && !(Date.parse(q.to) > Date.parse(q.from))) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
}

export const usageQuerySchema = z.strictObject(selectionFields).superRefine(selectionRules, EVEN_WITH_FIELD_ERRORS);
export type UsageQuery = z.output<typeof usageQuerySchema>;

export const usageSeriesQuerySchema = z
  .strictObject({
    ...selectionFields,
    bucket: z.enum(['hour', 'day']).default('day').meta({ description: 'Bucket width; days (and hours, in zones with half-hour offsets) follow `timezone`.' }),
    timezone: timeZone.optional().meta({ description: "IANA zone the buckets' boundaries follow; default the account's." }),
  })
  .superRefine(selectionRules, EVEN_WITH_FIELD_ERRORS);
export type UsageSeriesQuery = z.output<typeof usageSeriesQuerySchema>;

export const usageSamplesQuerySchema = usageQuerySchema;

const group = z.record(z.string(), z.string().nullable()).meta({ description: 'The group-by values (null: the property was absent); {} without grouping.' });
const decimalString = z.string().meta({ description: 'Decimal number as a string.', example: '1234.5' });

export const usageTotalsSchema = z
  .strictObject({
    object: z.literal('usage'),
    account_id: uuid,
    subscription_id: uuid.nullable(),
    metric: z.string(),
    aggregation: z.string(),
    unit: z.string().nullable().meta({ description: "The metric's unit label; bit/s for percentile metrics." }),
    from: timestamp,
    to: timestamp,
    group_by: z.array(z.string()),
    groups: z.array(z.strictObject({ group, quantity: decimalString, events: z.int().meta({ description: 'Events counted (known 5-minute slots for percentile metrics).' }) })),
  })
  .meta({ id: 'UsageTotals' });

export const usageSeriesSchema = z
  .strictObject({
    object: z.literal('usage_series'),
    account_id: uuid,
    subscription_id: uuid.nullable(),
    metric: z.string(),
    unit: z.string().nullable(),
    bucket: z.enum(['hour', 'day']),
    timezone: z.string(),
    from: timestamp,
    to: timestamp,
    group_by: z.array(z.string()),
    groups: z.array(z.strictObject({ group, buckets: z.array(z.strictObject({ start: timestamp, end: timestamp, quantity: decimalString, events: z.int() })) })),
  })
  .meta({ id: 'UsageSeries' });

const bps = z.number().int().nullable().meta({ description: 'bit/s; null when no slot is known.' });

export const usageSamplesSchema = z
  .strictObject({
    object: z.literal('usage_samples'),
    account_id: uuid,
    subscription_id: uuid.nullable(),
    metric: z.string(),
    from: timestamp,
    to: timestamp,
    slot_minutes: z.int(),
    percentile: decimalString,
    method: z.string(),
    direction: z.string(),
    missing_samples: z.enum(['drop', 'zero']),
    convention: z.enum(['charge', 'default']).meta({ description: "charge: the subscription's usage charge on this metric; default: nearest rank, max of in and out, unknown slots dropped." }),
    group_by: z.array(z.string()),
    groups: z.array(
      z.strictObject({
        group,
        ports: z.array(z.string()),
        samples: z.array(z.strictObject({ start: timestamp, in: bps, out: bps })).meta({ description: 'Pooled rates per slot (sum over the ports); null where a port is unknown.' }),
        percentile_bps: z.strictObject({ in: bps, out: bps, billed: bps }),
        known_slots: z.int(),
        expected_slots: z.int(),
      }),
    ),
  })
  .meta({ id: 'UsageSamples' });

const estimateLine = z.strictObject({
  subscription_id: uuid,
  kind: z.string().meta({ description: 'recurring, proration_credit, proration_charge, one_time, discount (recorded) or usage (rated so far).' }),
  description: z.string(),
  item_code: z.string().nullable(),
  charge_key: z.string().nullable(),
  product: z.string().nullable(),
  metric: z.string().nullable(),
  group: group.nullable(),
  quantity: decimalString,
  amount: decimalString.meta({ description: 'Rounded to the currency.' }),
  currency: z.string(),
  period: z.strictObject({ start: timestamp, end: timestamp }),
});

export const usageEstimateSchema = z
  .strictObject({
    object: z.literal('usage_estimate'),
    account_id: uuid,
    subscription_id: uuid.nullable(),
    as_of: timestamp,
    subscriptions: z.array(z.strictObject({ id: uuid, currency: z.string(), period: z.strictObject({ start: timestamp, end: timestamp }).nullable() })),
    lines: z.array(estimateLine),
    totals: z.array(z.strictObject({ currency: z.string(), amount: decimalString })),
  })
  .meta({ id: 'UsageEstimate' });
