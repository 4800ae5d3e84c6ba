import type { EntityManager } from 'typeorm';
import { OutboxEvent } from '../db/entities/outbox-event';
import { uuidv7 } from '../lib/ids';
import type { ChangeContext } from './change-context';
import { paginate, type Page, type PageRequest } from './pagination';

export interface DomainEventInput {
  /** `<resource>.<past-tense verb>`, e.g. account.created. */
  type: string;
  resourceType: string;
  resourceId: string;
  /** The resource as the API shows it after the change. */
  payload: object;
}

/** Writes to the outbox in the caller's transaction: the event commits with the change or not at all. */
export async function emitDomainEvent(tx: EntityManager, ctx: ChangeContext, event: DomainEventInput): Promise<void> {
  await tx.insert(OutboxEvent, {
    id: uuidv7(ctx.now.getTime()),
    tenantId: ctx.tenantId,
    type: event.type,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    payload: event.payload,
    occurredAt: ctx.now,
    requestId: ctx.requestId,
    publishedAt: null,
  });
}

export async function listDomainEvents(
  tx: EntityManager,
  tenantId: string,
  filter: { type?: string | undefined; resourceId?: string | undefined },
  page: PageRequest,
): Promise<Page<OutboxEvent>> {
  const query = tx.createQueryBuilder(OutboxEvent, 'e').where('e.tenant_id = :tenantId', { tenantId });
  if (filter.type) query.andWhere('e.type = :type', { type: filter.type });
  if (filter.resourceId) query.andWhere('e.resource_id = :rid', { rid: filter.resourceId });
  return paginate(query, 'e', page);
}

export async function getDomainEvent(tx: EntityManager, tenantId: string, id: string): Promise<OutboxEvent | null> {
  return tx.findOneBy(OutboxEvent, { tenantId, id });
}

export function domainEventRepresentation(e: OutboxEvent) {
  return {
    id: e.id,
    object: 'domain_event' as const,
    type: e.type,
    occurred_at: e.occurredAt.toISOString(),
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    data: e.payload,
    request_id: e.requestId,
    published_at: e.publishedAt?.toISOString() ?? null,
  };
}
