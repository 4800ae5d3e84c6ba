import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { text, uuid } from '../../lib/schema-primitives';
import { accountRepresentation } from '../../services/accounts/account-representation';
import { accountSchema, createAccountSchema, updateAccountSchema } from '../../services/accounts/account-schemas';
import {
  archiveAccount,
  createAccount,
  getAccount,
  listAccounts,
  updateAccount,
} from '../../services/accounts/account-service';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';

const tags = ['Accounts'];
const idParams = z.strictObject({ id: uuid });

export const accountRoutes = [
  tenantRoute({
    method: 'post',
    path: '/v1/accounts',
    operationId: 'createAccount',
    summary: 'Create an account',
    description: 'Creates a customer account. Only `name` and `currency` are required.',
    tags,
    auth: 'tenant',
    permission: 'write',
    body: createAccountSchema,
    success: { status: 201, description: 'The account', schema: accountSchema },
    errors: ['external_id_taken', 'invalid_account_hierarchy'],
    async handler({ tx, change, body }) {
      const account = await createAccount(tx, change, body);
      return { status: 201, body: accountRepresentation(account), headers: { Location: `/v1/accounts/${account.id}` } };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/accounts',
    operationId: 'listAccounts',
    summary: 'List accounts',
    description: 'Newest first. Archived accounts are listed only when asked for with `status`.',
    tags,
    auth: 'tenant',
    permission: 'read',
    query: z.strictObject({
      ...listQueryFields,
      status: z.enum(['active', 'archived', 'all']).default('active'),
      external_id: text(255).optional(),
      parent_id: uuid.optional(),
    }),
    success: { status: 200, description: 'A page of accounts', schema: listSchema(accountSchema, 'AccountList') },
    async handler({ tx, tenantId, query }) {
      const page = await listAccounts(
        tx,
        tenantId,
        { status: query.status, externalId: query.external_id, parentId: query.parent_id },
        pageRequest(query),
      );
      return { status: 200, body: listBody(page, accountRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/accounts/{id}',
    operationId: 'getAccount',
    summary: 'Retrieve an account',
    tags,
    auth: 'tenant',
    permission: 'read',
    params: idParams,
    success: { status: 200, description: 'The account', schema: accountSchema },
    async handler({ tx, tenantId, params }) {
      const account = await getAccount(tx, tenantId, params.id);
      if (!account) throw notFound('account', params.id);
      return { status: 200, body: accountRepresentation(account) };
    },
  }),
  tenantRoute({
    method: 'patch',
    path: '/v1/accounts/{id}',
    operationId: 'updateAccount',
    summary: 'Update an account',
    description:
      'Changes only the fields sent. `null` clears a nullable field; arrays and addresses are replaced whole; ' +
      'metadata is merged, and a `null` value removes a key. A request that changes nothing writes nothing.',
    tags,
    auth: 'tenant',
    permission: 'write',
    params: idParams,
    body: updateAccountSchema,
    success: { status: 200, description: 'The updated account', schema: accountSchema },
    errors: ['external_id_taken', 'invalid_account_hierarchy', 'account_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: accountRepresentation(await updateAccount(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post',
    path: '/v1/accounts/{id}/archive',
    operationId: 'archiveAccount',
    summary: 'Archive an account',
    description:
      'Ends the account: it stays readable but can no longer change. Child accounts must be archived or ' +
      'moved first. Archiving an archived account returns it unchanged.',
    tags,
    auth: 'tenant',
    permission: 'write',
    params: idParams,
    success: { status: 200, description: 'The archived account', schema: accountSchema },
    errors: ['account_has_active_children'],
    async handler({ tx, change, params }) {
      return { status: 200, body: accountRepresentation(await archiveAccount(tx, change, params.id)) };
    },
  }),
];
