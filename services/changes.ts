import type { EntityManager } from 'typeorm';
import { appendAuditEntry } from './audit-log';
import type { ChangeContext } from './change-context';
import { emitDomainEvent } from './domain-events';

export interface Change {
  /** Both the audit action and the domain event type, e.g. account.updated. */
  action: string;
  resourceType: string;
  resourceId: string;
  /** API representations before and after; before is null on create. */
  before: object | null;
  after: object;
}

/**
 * Every change to tenant data leaves an audit entry (who, before, after) and
 * a domain event (what happened, for integrations), in the transaction of
 * the change itself.
 */
export async function recordChange(tx: EntityManager, ctx: ChangeContext, change: Change): Promise<void> {
  await appendAuditEntry(tx, ctx, change);
  await emitDomainEvent(tx, ctx, {
    type: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    payload: change.after,
  });
}
