import { z } from 'zod';
import { bindTenant } from '../../db/tenant-transaction';
import { notFound } from '../../lib/errors';
import { uuid } from '../../lib/schema-primitives';
import { createApiKeySchema, createdApiKeySchema } from '../../services/auth/api-key-schemas';
import { apiKeyRepresentation, createApiKey } from '../../services/auth/api-keys';
import { createdTenantSchema, createTenantSchema, tenantSchema, updateTenantSchema } from '../../services/tenants/tenant-schemas';
import { createTenant, getTenant, listTenants, tenantRepresentation, updateTenantSettings } from '../../services/tenants/tenant-service';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { platformRoute } from '../routing/route';

/** Operator endpoints, authenticated with the platform key (RACKRATE_PLATFORM_KEY). */
const tags = ['Platform'];
const idParams = z.strictObject({ id: uuid });

export const tenantRoutes = [
  platformRoute({
    method: 'post',
    path: '/v1/tenants',
    operationId: 'createTenant',
    summary: 'Create a tenant (provider)',
    description: 'Creates the tenant and its first admin API key, whose secret is shown only in this response.',
    tags,
    auth: 'platform',
    body: createTenantSchema,
    success: { status: 201, description: 'The tenant and its first admin key', schema: createdTenantSchema },
    errors: ['tenant_slug_taken'],
    async handler({ tx, actor, requestId, now, body }) {
      const { tenant, apiKey, secret } = await createTenant(tx, { actor, requestId, now }, body);
      return {
        status: 201,
        body: { ...tenantRepresentation(tenant), initial_api_key: { ...apiKeyRepresentation(apiKey), secret } },
        headers: { Location: `/v1/tenants/${tenant.id}` },
      };
    },
  }),
  platformRoute({
    method: 'get',
    path: '/v1/tenants',
    operationId: 'listTenants',
    summary: 'List tenants',
    tags,
    auth: 'platform',
    query: z.strictObject(listQueryFields),
    success: { status: 200, description: 'A page of tenants', schema: listSchema(tenantSchema, 'TenantList') },
    async handler({ tx, query }) {
      return { status: 200, body: listBody(await listTenants(tx, pageRequest(query)), tenantRepresentation) };
    },
  }),
  platformRoute({
    method: 'get',
    path: '/v1/tenants/{id}',
    operationId: 'getTenant',
    summary: 'Retrieve a tenant',
    tags,
    auth: 'platform',
    params: idParams,
    success: { status: 200, description: 'The tenant', schema: tenantSchema },
    async handler({ tx, params }) {
      const tenant = await getTenant(tx, params.id);
      if (!tenant) throw notFound('tenant', params.id);
      return { status: 200, body: tenantRepresentation(tenant) };
    },
  }),
  platformRoute({
    method: 'patch',
    path: '/v1/tenants/{id}',
    operationId: 'updateTenant',
    summary: "Change a tenant's name or settings",
    description: 'proration_unit and trial_ending_notice_days apply to subscriptions created afterwards; running subscriptions keep the rules they started with.',
    tags,
    auth: 'platform',
    params: idParams,
    body: updateTenantSchema,
    success: { status: 200, description: 'The tenant', schema: tenantSchema },
    async handler({ tx, actor, requestId, now, params, body }) {
      return { status: 200, body: tenantRepresentation(await updateTenantSettings(tx, { actor, requestId, now }, params.id, body)) };
    },
  }),
  platformRoute({
    method: 'post',
    path: '/v1/tenants/{id}/api_keys',
    operationId: 'createTenantApiKey',
    summary: "Create an API key for a tenant",
    description: 'For operators: lets a tenant back in when it has lost its admin keys.',
    tags,
    auth: 'platform',
    params: idParams,
    body: createApiKeySchema,
    success: { status: 201, description: 'The key, with its secret', schema: createdApiKeySchema },
    async handler({ tx, actor, requestId, now, params, body }) {
      const tenant = await getTenant(tx, params.id);
      if (!tenant) throw notFound('tenant', params.id);
      await bindTenant(tx, tenant.id);
      const { apiKey, secret } = await createApiKey(tx, { tenantId: tenant.id, actor, requestId, now }, body);
      return { status: 201, body: { ...apiKeyRepresentation(apiKey), secret }, headers: { Location: `/v1/api_keys/${apiKey.id}` } };
    },
  }),
];
