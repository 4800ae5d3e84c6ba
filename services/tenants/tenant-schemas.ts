import { z } from 'zod';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { createdApiKeySchema } from '../auth/api-key-schemas';

export const tenantSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or hyphens, starting with a letter or digit')
  .meta({ example: 'acme-colo' });

const tenantSettings = {
  proration_unit: z
    .enum(['second', 'day'])
    .meta({ description: 'How subscriptions created afterwards prorate: by the second (Stripe) or by local calendar day (Kill Bill). See docs/subscriptions.md.' }),
  trial_ending_notice_days: z
    .int()
    .min(0)
    .max(30)
    .meta({ description: 'Days before a trial ends that subscription.trial_will_end is emitted.' }),
};

export const createTenantSchema = z
  .strictObject({
    name: text(200).meta({ example: 'Acme Colocation' }),
    slug: tenantSlug,
    proration_unit: tenantSettings.proration_unit.optional(),
    trial_ending_notice_days: tenantSettings.trial_ending_notice_days.optional(),
  })
  .meta({ id: 'CreateTenant' });
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z
  .strictObject({
    name: text(200).optional(),
    proration_unit: tenantSettings.proration_unit.optional(),
    trial_ending_notice_days: tenantSettings.trial_ending_notice_days.optional(),
  })
  .meta({ id: 'UpdateTenant' });
export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export const tenantSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('tenant'),
    name: z.string(),
    slug: z.string(),
    status: z.enum(['active', 'suspended']),
    proration_unit: tenantSettings.proration_unit,
    trial_ending_notice_days: tenantSettings.trial_ending_notice_days,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Tenant' });

export const createdTenantSchema = tenantSchema
  .extend({ initial_api_key: createdApiKeySchema })
  .meta({ id: 'CreatedTenant' });
