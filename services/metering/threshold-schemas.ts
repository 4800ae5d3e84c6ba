import { z } from 'zod';
import { catalogCode } from '../../domain/catalog/status';
import { MAX_LEVELS, MAX_PERCENT } from '../../domain/metering/thresholds';
import { positiveDecimal } from '../../domain/pricing/decimal-input';
import { timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

/** Request and response shapes of /v1/usage_thresholds (docs/metering.md, "Bill-shock thresholds"). */
/** Cross-field rules run even when a field failed, so every problem is listed at once. */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

const BASES = ['units', 'amount'] as const;
const REFERENCES = ['value', 'commit'] as const;

const percents = z
  .array(z.number().positive('must be greater than 0').max(MAX_PERCENT, `must be at most ${MAX_PERCENT}`))
  .min(1, 'must have at least 1 level')
  .max(MAX_LEVELS, `must have at most ${MAX_LEVELS} levels`)
  .refine((levels) => new Set(levels).size === levels.length, 'must not repeat a level')
  .meta({ description: `Levels in percent of the reference, 1-${MAX_LEVELS} distinct numbers in (0, ${MAX_PERCENT}], e.g. [50, 80, 100].`, example: [50, 80, 100] });

const referenceValue = positiveDecimal.meta({
  description:
    'Reference `value` only. amount: a budget in the account currency; units: in the metric unit (bit/s for percentile metrics, e.g. "1000000000" for 1 Gbit/s).',
  example: '5000.00',
});

export const createThresholdSchema = z
  .strictObject({
    account_id: uuid.meta({ description: 'The account watched; for a subscription threshold, the subscription’s account or its billing account.' }),
    subscription_id: uuid.optional().meta({ description: 'Watch one subscription (its current billing period); absent: the whole account.' }),
    basis: z.enum(BASES).meta({ description: 'units: usage of `metric_code`; amount: the usage charges rated so far.' }),
    metric_code: catalogCode.optional().meta({ description: 'Units thresholds only: the billable metric.' }),
    reference: z.enum(REFERENCES).meta({
      description: 'value: `reference_value`; commit (units only): the commit of the usage charges on the metric (commit_mbps, committed_kw or included_quantity).',
    }),
    reference_value: referenceValue.optional(),
    percents,
    metadata: metadataSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.basis === 'units' && t.metric_code === undefined) ctx.addIssue({ code: 'custom', path: ['metric_code'], message: 'is required for a units threshold' });
    if (t.basis === 'amount' && t.metric_code !== undefined) ctx.addIssue({ code: 'custom', path: ['metric_code'], message: 'is only for a units threshold' });
    if (t.basis === 'amount' && t.reference === 'commit') {
      ctx.addIssue({ code: 'custom', path: ['reference'], message: 'an amount threshold takes a budget: use reference "value" with reference_value' });
    }
    if (t.reference === 'value' && t.reference_value === undefined) ctx.addIssue({ code: 'custom', path: ['reference_value'], message: 'is required when reference is "value"' });
    if (t.reference === 'commit' && t.reference_value !== undefined) ctx.addIssue({ code: 'custom', path: ['reference_value'], message: 'is only for reference "value"' });
  }, EVEN_WITH_FIELD_ERRORS)
  .meta({ id: 'CreateUsageThreshold' });
export type CreateThresholdInput = z.output<typeof createThresholdSchema>;

export const updateThresholdSchema = z
  .strictObject({
    percents: percents.optional(),
    reference_value: referenceValue.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateUsageThreshold', description: 'Levels already announced this period are not announced again; new levels already reached are announced at the next check.' });
export type UpdateThresholdInput = z.output<typeof updateThresholdSchema>;

export const thresholdSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('usage_threshold'),
    account_id: uuid,
    subscription_id: uuid.nullable(),
    basis: z.enum(BASES),
    metric_code: z.string().nullable(),
    reference: z.enum(REFERENCES),
    reference_value: z.string().nullable(),
    percents: z.array(z.number()),
    status: z.enum(['active', 'archived']),
    metadata: z.record(z.string(), z.string()),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'UsageThreshold' });

/** The payload of usage.threshold_crossed. */
export const thresholdCrossingSchema = z
  .strictObject({
    object: z.literal('usage_threshold_crossing'),
    threshold_id: uuid,
    account_id: uuid,
    subscription_id: uuid.nullable(),
    basis: z.enum(BASES),
    metric_code: z.string().nullable(),
    percent: z.number(),
    observed: z.string(),
    reference_value: z.string(),
    currency: z.string().nullable(),
    period: z.strictObject({ start: timestamp, end: timestamp }),
    crossed_at: timestamp,
  })
  .meta({ id: 'UsageThresholdCrossing' });
