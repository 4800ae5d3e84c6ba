import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { uuid } from '../../lib/schema-primitives';
import { apiKeySchema, createApiKeySchema, createdApiKeySchema } from '../../services/auth/api-key-schemas';
import { apiKeyRepresentation, createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../../services/auth/api-keys';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';

const tags = ['API keys'];
const idParams = z.strictObject({ id: uuid });

export const apiKeyRoutes = [
  tenantRoute({
    method: 'post',
    path: '/v1/api_keys',
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description: 'The response is the only time the whole key (`secret`) is shown; Rackrate keeps only its digest.',
    tags,
    auth: 'tenant',
    permission: 'write',
    body: createApiKeySchema,
    success: { status: 201, description: 'The key, with its secret', schema: createdApiKeySchema },
    async handler({ tx, change, body }) {
      const { apiKey, secret } = await createApiKey(tx, change, body);
      return {
        status: 201,
        body: { ...apiKeyRepresentation(apiKey), secret },
        headers: { Location: `/v1/api_keys/${apiKey.id}` },
      };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/api_keys',
    operationId: 'listApiKeys',
    summary: 'List API keys',
    tags,
    auth: 'tenant',
    permission: 'read',
    query: z.strictObject(listQueryFields),
    success: { status: 200, description: 'A page of keys (never their secrets)', schema: listSchema(apiKeySchema, 'ApiKeyList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listApiKeys(tx, tenantId, pageRequest(query)), apiKeyRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get',
    path: '/v1/api_keys/{id}',
    operationId: 'getApiKey',
    summary: 'Retrieve an API key',
    tags,
    auth: 'tenant',
    permission: 'read',
    params: idParams,
    success: { status: 200, description: 'The key (never its secret)', schema: apiKeySchema },
    async handler({ tx, tenantId, params }) {
      const apiKey = await getApiKey(tx, tenantId, params.id);
      if (!apiKey) throw notFound('API key', params.id);
      return { status: 200, body: apiKeyRepresentation(apiKey) };
    },
  }),
  tenantRoute({
    method: 'post',
    path: '/v1/api_keys/{id}/revoke',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description: 'Takes effect at once. The last working admin key cannot be revoked.',
    tags,
    auth: 'tenant',
    permission: 'write',
    params: idParams,
    success: { status: 200, description: 'The revoked key', schema: apiKeySchema },
    errors: ['api_key_revoked', 'last_admin_key'],
    async handler({ tx, change, params, deps, onCommit }) {
      const apiKey = await revokeApiKey(tx, change, params.id);
      // Other API processes learn of it by NOTIFY; this one forgets the key before it answers.
      onCommit(() => deps.authenticator.evict(apiKey.prefix));
      return { status: 200, body: apiKeyRepresentation(apiKey) };
    },
  }),
];
