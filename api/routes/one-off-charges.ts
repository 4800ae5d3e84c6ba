import { z } from 'zod';
import { uuid } from '../../lib/schema-primitives';
import { createOneOffChargeSchema, oneOffChargeSchema } from '../../services/invoicing/one-off-charge-schemas';
import { createOneOffCharge, deleteOneOffCharge, getOneOffCharge, listOneOffCharges, oneOffChargeRepresentation } from '../../services/invoicing/one-off-charges';
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
      const pending = query.pending === undefined ? undefined : query.pending === 'true';
      const page = await listOneOffCharges(tx, tenantId, { accountId: query.account_id, pending }, pageRequest(query));
      return { status: 200, body: listBody(page, oneOffChargeRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/one_off_charges/{id}', operationId: 'getOneOffCharge', summary: 'Retrieve a one-off charge', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The charge', schema: oneOffChargeSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: oneOffChargeRepresentation(await getOneOffCharge(tx, tenantId, params.id)) };
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
