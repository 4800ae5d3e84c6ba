import { z } from 'zod';
import { groupBySchema, metricAggregationSchema, metricFilterSchema } from '../../domain/catalog/metric';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { text, timestamp, uuid } from '../../lib/schema-primitives';

/**
 * A metric's code, event name, aggregation, filters and grouping decide what
 * running subscriptions are billed, so they never change after creation;
 * make a new metric (and a new plan version) instead. Names and labels can.
 */
export const createMetricSchema = z
  .strictObject({
    code: catalogCode.meta({ example: 'transit-95th' }),
    name: text(200).meta({ example: 'IP transit, 95th percentile' }),
    description: text(1000).nullish(),
    event_name: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1-100 letters, digits, "_", ".", ":" or "-"')
      .meta({ example: 'interface.rate' }),
    aggregation: metricAggregationSchema,
    filters: z.array(metricFilterSchema).max(20).default([]),
    group_by: groupBySchema.default([]),
    unit_label: text(50).nullish().meta({ example: 'Mbps' }),
  })
  .meta({ id: 'CreateBillableMetric' });
export type CreateMetricInput = z.output<typeof createMetricSchema>;

export const updateMetricSchema = z
  .strictObject({ name: text(200).optional(), description: text(1000).nullish(), unit_label: text(50).nullish() })
  .meta({ id: 'UpdateBillableMetric' });
export type UpdateMetricInput = z.output<typeof updateMetricSchema>;

export const metricSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('billable_metric'),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    event_name: z.string(),
    aggregation: z.record(z.string(), z.unknown()).meta({ description: 'As created, with defaults filled in.' }),
    filters: z.array(z.record(z.string(), z.unknown())),
    group_by: z.array(z.string()),
    unit_label: z.string().nullable(),
    status: z.enum(CATALOG_STATUSES),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'BillableMetric' });
