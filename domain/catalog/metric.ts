import { z } from 'zod';
import { percent } from '../pricing/decimal-input';
import type { Normalized } from './normalize';

/**
 * How a billable metric turns usage events into what a usage charge is rated
 * on. `property` names the event property holding the value.
 * - count: number of events; sum / max / latest / unique_count: of a property;
 * - time_weighted: a gauge integrated over time into unit-hours (e.g. kW → kWh, GB → GB-hours);
 * - percentile: rate samples per slot of `window_minutes` (5 for bandwidth), rated by the percentile model;
 * - peak: the highest average over windows of `window_minutes` (15-minute kW demand).
 */
const property = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.]{0,62}$/, 'must be a property name: letters, digits, "_" and "." (for nested properties)');

export const metricAggregationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('count') }),
  z.strictObject({ type: z.literal('sum'), property }),
  z.strictObject({ type: z.literal('max'), property }),
  z.strictObject({ type: z.literal('latest'), property }),
  z.strictObject({ type: z.literal('unique_count'), property }),
  z.strictObject({ type: z.literal('time_weighted'), property, unit: z.enum(['hour']).default('hour') }),
  z.strictObject({
    type: z.literal('percentile'),
    property,
    percentile: percent.refine((p) => p.greaterThan(0), 'must be greater than 0'),
    // Slots tile the UTC day, so the 5-minute rollup (usage_samples) can hold them.
    window_minutes: z.int().min(1).max(60).refine((m) => 1440 % m === 0, 'must divide a day: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60').default(5),
  }),
  z.strictObject({ type: z.literal('peak'), property, window_minutes: z.int().min(1).max(1440).default(15) }),
]);
/** As stored: defaults filled in, decimals as strings (normalize.ts). */
export type MetricAggregation = Normalized<z.output<typeof metricAggregationSchema>>;
export type AggregationType = MetricAggregation['type'];

export const metricFilterSchema = z
  .strictObject({
    property,
    operator: z.enum(['eq', 'neq', 'in', 'not_in']),
    values: z.array(z.string().max(200)).min(1).max(100),
  })
  .superRefine((f, ctx) => {
    if ((f.operator === 'eq' || f.operator === 'neq') && f.values.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `${f.operator} compares with exactly one value; use in or not_in for several` });
    }
  });
export type MetricFilter = z.output<typeof metricFilterSchema>;

export const groupBySchema = z
  .array(property)
  .max(5)
  .refine((names) => new Set(names).size === names.length, 'must not repeat a property');
