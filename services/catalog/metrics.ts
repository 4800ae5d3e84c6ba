import type { EntityManager } from 'typeorm';
import { normalize } from '../../domain/catalog/normalize';
import { BillableMetric } from '../../db/entities/catalog/billable-metric';
import { notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateMetricInput, UpdateMetricInput } from './metric-schemas';
import { archived, codeTaken, insertUnique, loadForUpdate, saveChange } from './store';

export function metricRepresentation(m: BillableMetric) {
  return {
    id: m.id,
    object: 'billable_metric' as const,
    code: m.code,
    name: m.name,
    description: m.description,
    event_name: m.eventName,
    aggregation: m.aggregation,
    filters: m.filters,
    group_by: m.groupBy,
    unit_label: m.unitLabel,
    status: m.status,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    version: m.version,
  };
}

export async function createMetric(tx: EntityManager, ctx: ChangeContext, input: CreateMetricInput): Promise<BillableMetric> {
  const metric = tx.create(BillableMetric, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    eventName: input.event_name,
    aggregation: normalize(input.aggregation),
    filters: input.filters,
    groupBy: input.group_by,
    unitLabel: input.unit_label ?? null,
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, BillableMetric, metric, () => codeTaken('billable metric', input.code));
  await recordChange(tx, ctx, { action: 'billable_metric.created', resourceType: 'billable_metric', resourceId: metric.id, before: null, after: metricRepresentation(metric) });
  return metric;
}

export async function getMetric(tx: EntityManager, tenantId: string, id: string): Promise<BillableMetric> {
  const metric = await tx.findOneBy(BillableMetric, { tenantId, id });
  if (!metric) throw notFound('billable metric', id);
  return metric;
}

export async function listMetrics(tx: EntityManager, tenantId: string, status: 'active' | 'archived' | 'all', page: PageRequest): Promise<Page<BillableMetric>> {
  const query = tx.createQueryBuilder(BillableMetric, 'm').where('m.tenant_id = :tenantId', { tenantId });
  if (status !== 'all') query.andWhere('m.status = :status', { status });
  return paginate(query, 'm', page);
}

export async function updateMetric(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateMetricInput): Promise<BillableMetric> {
  const metric = await loadForUpdate(tx, BillableMetric, ctx.tenantId, id, 'billable metric');
  if (metric.status === 'archived') throw archived('billable metric', metric.code);
  return saveChange(tx, ctx, BillableMetric, metric, {
    action: 'billable_metric.updated',
    resourceType: 'billable_metric',
    represent: metricRepresentation,
    mutate: (m) => {
      if (patch.name !== undefined) m.name = patch.name;
      if (patch.description !== undefined) m.description = patch.description;
      if (patch.unit_label !== undefined) m.unitLabel = patch.unit_label;
    },
  });
}

export async function archiveMetric(tx: EntityManager, ctx: ChangeContext, id: string): Promise<BillableMetric> {
  const metric = await loadForUpdate(tx, BillableMetric, ctx.tenantId, id, 'billable metric');
  return saveChange(tx, ctx, BillableMetric, metric, {
    action: 'billable_metric.archived',
    resourceType: 'billable_metric',
    represent: metricRepresentation,
    mutate: (m) => {
      m.status = 'archived';
    },
  });
}
