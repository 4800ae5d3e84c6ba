import type { EntityManager } from 'typeorm';
import { AuditEntry } from '../db/entities/audit-entry';
import { uuidv7 } from '../lib/ids';
import type { ChangeContext } from './change-context';
import { paginate, type Page, type PageRequest } from './pagination';

export interface AuditedChange {
  action: string;
  resourceType: string;
  resourceId: string;
  before: object | null;
  after: object | null;
}

export async function appendAuditEntry(tx: EntityManager, ctx: ChangeContext, change: AuditedChange): Promise<void> {
  await tx.insert(AuditEntry, {
    id: uuidv7(ctx.now.getTime()),
    tenantId: ctx.tenantId,
    occurredAt: ctx.now,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorLabel: ctx.actor.label,
    action: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    before: change.before,
    after: change.after,
    requestId: ctx.requestId,
  });
}

export interface AuditLogFilter {
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  action?: string | undefined;
}

export async function listAuditEntries(
  tx: EntityManager,
  tenantId: string,
  filter: AuditLogFilter,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  const query = tx.createQueryBuilder(AuditEntry, 'e').where('e.tenant_id = :tenantId', { tenantId });
  if (filter.resourceType) query.andWhere('e.resource_type = :rt', { rt: filter.resourceType });
  if (filter.resourceId) query.andWhere('e.resource_id = :rid', { rid: filter.resourceId });
  if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
  return paginate(query, 'e', page);
}

export async function getAuditEntry(tx: EntityManager, tenantId: string, id: string): Promise<AuditEntry | null> {
  return tx.findOneBy(AuditEntry, { tenantId, id });
}

export function auditEntryRepresentation(e: AuditEntry) {
  return {
    id: e.id,
    object: 'audit_entry' as const,
    occurred_at: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    before: e.before,
    after: e.after,
    request_id: e.requestId,
  };
}
