import { z } from 'zod';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { createdApiKeySchema } from '../auth/api-key-schemas';

export const tenantSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or hyphens, starting with a letter or digit')
  .meta({ example: 'acme-colo' });

export const createTenantSchema = z
  .strictObject({ name: text(200).meta({ example: 'Acme Colocation' }), slug: tenantSlug })
  .meta({ id: 'CreateTenant' });
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const tenantSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('tenant'),
    name: z.string(),
    slug: z.string(),
    status: z.enum(['active', 'suspended']),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Tenant' });

export const createdTenantSchema = tenantSchema
  .extend({ initial_api_key: createdApiKeySchema })
  .meta({ id: 'CreatedTenant' });
