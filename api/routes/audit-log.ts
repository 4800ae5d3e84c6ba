import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { auditEntryRepresentation, getAuditEntry, listAuditEntries } from '../../services/audit-log';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';

const tags = ['Audit log'];

export const auditEntrySchema = z
  .object({
    id: uuid,
    object: z.literal('audit_entry'),
    occurred_at: timestamp,
    actor: z.object({
      type: z.enum(['api_key', 'platform', 'system']),
      id: z.string().nullable().meta({ description: 'API key id, or the system job name.' }),
      label: z.string().meta({ example: 'rr_ab12cd34ef56 (Billing ops)' }),
    }),
    action: z.string().meta({ example: 'account.updated' }),
    resource_type: z.string().meta({ example: 'account' }),
    resource_id: z.string(),
    before: z.unknown().meta({ description: 'The resource before the change; null on create.' }),
    after: z.unknown().meta({ description: 'The resource after the change.' }),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const auditLogRoutes = [
  tenantRoute({
    method: 'get',
    path: '/v1/audit_log',
    operationId: 'listAuditEntries',
    summary: 'List audit entries',
    description: 'Every change to your data, newest first: who made it, with which key, the state before and after.',
    tags,
    auth: 'tenant',
    permission: 'read',
    query: z.strictObject({
      ...listQueryFields,
      resource_type: text(50).optional(),
      resource_id: text(100).optional(),
      action: text(100).optional(),
    }),
    success: { status: 200, description: 'A page of audit entries', schema: listSchema(auditEntrySchema, 'AuditEntryList') },
    async handler({ tx, tenantId, query }) {
      const page = await listAuditEntries(
        tx,
        tenantId,
        { resourceType: query.resource_type, resourceId: query.resource_id, action: query.action },
        pageRequest(query),
      );
      return { status: 200, body: listBody(page, auditEntryRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/audit_log/{id}',
    operationId: 'getAuditEntry',
    summary: 'Retrieve an audit entry',
    tags,
    auth: 'tenant',
    permission: 'read',
    params: z.strictObject({ id: uuid }),
    success: { status: 200, description: 'The audit entry', schema: auditEntrySchema },
    async handler({ tx, tenantId, params }) {
      const entry = await getAuditEntry(tx, tenantId, params.id);
      if (!entry) throw notFound('audit entry', params.id);
      return { status: 200, body: auditEntryRepresentation(entry) };
    },
  }),
];
