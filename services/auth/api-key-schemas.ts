import { z } from 'zod';
import { API_KEY_SCOPES } from '../../domain/auth/scopes';
import { text, timestamp, uuid } from '../../lib/schema-primitives';

export const createApiKeySchema = z
  .strictObject({
    name: text(100).meta({ example: 'Provisioning system' }),
    scopes: z
      .array(z.enum(API_KEY_SCOPES))
      .min(1, 'must name at least one scope')
      .refine((s) => new Set(s).size === s.length, 'must not repeat a scope'),
    expires_at: timestamp.nullish().meta({ description: 'When the key stops working; never when absent.' }),
  })
  .meta({ id: 'CreateApiKey' });
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const apiKeySchema = z
  .strictObject({
    id: uuid,
    object: z.literal('api_key'),
    name: z.string(),
    prefix: z.string().meta({ description: 'Public part of the key, shown in lists and logs.' }),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    created_at: timestamp,
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    last_used_at: timestamp.nullable().meta({ description: 'Updated at most hourly.' }),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().meta({ description: 'The whole key. Shown only in this response; store it now.' }),
  })
  .meta({ id: 'CreatedApiKey' });
