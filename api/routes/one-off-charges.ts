import { z } from 'zod';
import { OneOffCharge } from '../../db/entities/invoicing/one-off-charge';
import { notFound } from '../../lib/errors';
import { uuid } from '../../lib/schema-primitives';
import { paginate } from '../../services/pagination';
import { createOneOffChargeSchema, oneOffChargeSchema } from '../../services/invoicing/one-off-charge-schemas';
import { createOneOffCharge, deleteOneOffCharge, oneOffChargeRepresentation } from '../../services/invoicing/one-off-charges';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { created, idParams } from './catalog/shared';

const tags = ['One-off charges'];

/** One-off charges (remote hands, setup fees, hardware) waiting for the account's next invoice (docs/invoicing.md). */
export const oneOffChargeRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/one_off_charges', operationId: 'createOneOffCharge', summary: 'Add a one-off charge to the next invoice', tags,
    description: "In the account's currency; goes on the billing account's first cycle invoice whose bill date is on or after `service_date`.",
    auth: 'tenant', permission: 'write', body: createOneOffChargeSchema,
    success: { status: 201, description: 'The charge', schema: oneOffChargeSchema }, errors: ['not_found', 'account_archived', 'account_currency_mismatch'],
    async handler({ tx, change, body }) {
      const charge = await createOneOffCharge(tx, change, body);
      return created('/v1/one_off_charges', charge.id, oneOffChargeRepresentation(charge));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/one_off_charges', operationId: 'listOneOffCharges', summary: 'List one-off charges', tags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, account_id: uuid.optional(), pending: z.enum(['true', 'false']).optional().meta({ description: 'true: only those not yet on an invoice.' }) }),
    success: { status: 200, description: 'A page of one-off charges, newest first', schema: listSchema(oneOffChargeSchema, 'OneOffChargeList') },
    async handler({ tx, tenantId, query }) {
      const q = tx.createQueryBuilder(OneOffCharge, 'o').where('o.tenant_id = :tenantId', { tenantId });
      if (query.account_id) q.andWhere('o.account_id = :accountId', { accountId: query.account_id });
      if (query.pending === 'true') q.andWhere('o.invoice_id IS NULL');
      if (query.pending === 'false') q.andWhere('o.invoice_id IS NOT NULL');
      return { status: 200, body: listBody(await paginate(q, 'o', pageRequest(query)), oneOffChargeRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/one_off_charges/{id}', operationId: 'getOneOffCharge', summary: 'Retrieve a one-off charge', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The charge', schema: oneOffChargeSchema },
    async handler({ tx, tenantId, params }) {
      const charge = await tx.findOneBy(OneOffCharge, { tenantId, id: params.id });
      if (!charge) throw notFound('one-off charge', params.id);
      return { status: 200, body: oneOffChargeRepresentation(charge) };
    },
  }),
  tenantRoute({
    method: 'delete', path: '/v1/one_off_charges/{id}', operationId: 'deleteOneOffCharge', summary: 'Delete a one-off charge not yet invoiced', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The deleted charge', schema: oneOffChargeSchema }, errors: ['invoice_state_conflict'],
    async handler({ tx, change, params }) {
      return { status: 200, body: oneOffChargeRepresentation(await deleteOneOffCharge(tx, change, params.id)) };
    },
  }),
];
