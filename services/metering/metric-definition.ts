import type { EntityManager } from 'typeorm';
import type { MetricAggregation, MetricFilter } from '../../domain/catalog/metric';
import { notFound } from '../../lib/errors';

/**
 * What the aggregation reads of a billable metric. Loaded by code whatever
 * its status: an archived metric's past usage stays readable.
 */
export interface MetricDefinition {
  id: string;
  code: string;
  eventName: string;
  aggregation: MetricAggregation;
  filters: MetricFilter[];
  groupBy: string[];
  unitLabel: string | null;
}

interface MetricRow {
  id: string;
  code: string;
  event_name: string;
  aggregation: MetricAggregation;
  filters: MetricFilter[];
  group_by: string[];
  unit_label: string | null;
}

export async function loadMetric(tx: EntityManager, tenantId: string, code: string): Promise<MetricDefinition> {
  const rows: MetricRow[] = await tx.query(
    `SELECT id, code, event_name, aggregation, filters, group_by, unit_label
       FROM billable_metrics WHERE tenant_id = $1 AND code = $2`,
    [tenantId, code],
  );
  const row = rows[0];
  if (!row) throw notFound('billable_metric', code);
  return {
    id: row.id,
    code: row.code,
    eventName: row.event_name,
    aggregation: row.aggregation,
    filters: row.filters,
    groupBy: row.group_by,
    unitLabel: row.unit_label,
  };
}
