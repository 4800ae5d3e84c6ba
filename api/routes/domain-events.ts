import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { domainEventRepresentation, getDomainEvent, listDomainEvents } from '../../services/domain-events';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';

const tags = ['Domain events'];

const domainEventSchema = z
  .object({
    id: uuid,
    object: z.literal('domain_event'),
    type: z.string().meta({ example: 'account.created' }),
    occurred_at: timestamp,
    resource_type: z.string(),
    resource_id: z.string(),
    data: z.unknown().meta({ description: 'The resource as it was right after the change.' }),
    request_id: z.string().nullable(),
    published_at: timestamp.nullable().meta({ description: 'When webhook delivery picked it up; null until then.' }),
  })
  .meta({ id: 'DomainEvent' });

export const domainEventRoutes = [
  tenantRoute({
    method: 'get',
    path: '/v1/domain_events',
    operationId: 'listDomainEvents',
    summary: 'List domain events',
    description: 'The outbox of events (account.created, ...) that webhooks deliver, newest first.',
    tags,
    auth: 'tenant',
    permission: 'read',
    query: z.strictObject({ ...listQueryFields, type: text(100).optional(), resource_id: text(100).optional() }),
    success: { status: 200, description: 'A page of events', schema: listSchema(domainEventSchema, 'DomainEventList') },
    async handler({ tx, tenantId, query }) {
      const page = await listDomainEvents(tx, tenantId, { type: query.type, resourceId: query.resource_id }, pageRequest(query));
      return { status: 200, body: listBody(page, domainEventRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/domain_events/{id}',
    operationId: 'getDomainEvent',
    summary: 'Retrieve a domain event',
    tags,
    auth: 'tenant',
    permission: 'read',
    params: z.strictObject({ id: uuid }),
    success: { status: 200, description: 'The event', schema: domainEventSchema },
    async handler({ tx, tenantId, params }) {
      const event = await getDomainEvent(tx, tenantId, params.id);
      if (!event) throw notFound('domain event', params.id);
      return { status: 200, body: domainEventRepresentation(event) };
    },
  }),
];
