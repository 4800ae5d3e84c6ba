import { z } from 'zod';
import { email, text, timestamp, uuid } from '../../lib/schema-primitives';
import { postalAddressSchema, taxIdSchema } from '../accounts/account-schemas';
import { createdApiKeySchema } from '../auth/api-key-schemas';

export const tenantSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or hyphens, starting with a letter or digit')
  .meta({ example: 'acme-colo' });

const numberPrefix = z.string().regex(/^[A-Za-z0-9/_.-]{0,20}$/, 'must be at most 20 letters, digits or / _ . -');

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #1f4e79');

/** The seller block of every invoice and credit note (docs/invoice-documents.md). */
export const brandingSchema = z
  .strictObject({
    display_name: text(200).optional(),
    legal_name: text(200).nullable().optional(),
    address: postalAddressSchema.nullable().optional(),
    email: email.nullable().optional(),
    phone: text(50).nullable().optional(),
    website: text(200).nullable().optional(),
    tax_ids: z.array(taxIdSchema).max(5).optional(),
    primary_color: colour.optional(),
    accent_color: colour.optional(),
    logo: z
      .strictObject({
        media_type: z.enum(['image/png', 'image/jpeg']),
        base64: z.string().max(400_000, 'must be at most 300 kB of image').regex(/^[A-Za-z0-9+/=]+$/, 'must be base64'),
      })
      .nullable()
      .optional(),
    remittance: z
      .strictObject({
        bank_name: text(200).nullable(),
        account_name: text(200).nullable(),
        account_number: text(50).nullable(),
        routing_number: z.string().regex(/^[0-9]{9}$/, 'must be a 9-digit ABA routing number').nullable(),
        iban: z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'must be an IBAN without spaces').nullable(),
        swift_bic: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'must be an 8 or 11 character SWIFT/BIC').nullable(),
        check_address: postalAddressSchema.nullable(),
        instructions: text(500).nullable(),
      })
      .nullable()
      .optional(),
    footer: text(500).nullable().optional(),
  })
  .meta({ id: 'TenantBranding' });

const tenantSettings = {
  proration_unit: z
    .enum(['second', 'day'])
    .meta({ description: 'How subscriptions created afterwards prorate: by the second (Stripe) or by local calendar day (Kill Bill). See docs/subscriptions.md.' }),
  trial_ending_notice_days: z
    .int()
    .min(0)
    .max(30)
    .meta({ description: 'Days before a trial ends that subscription.trial_will_end is emitted.' }),
  invoice_number_prefix: numberPrefix.meta({ description: 'Prefix of invoice numbers ("INV-" gives INV-000001); numbers are gapless per tenant whatever the prefix.' }),
  credit_note_number_prefix: numberPrefix.meta({ description: 'Prefix of credit-note numbers.' }),
  invoice_grace_period_hours: z
    .int()
    .min(0)
    .max(168)
    .meta({ description: 'How long a cycle invoice stays a draft after its bill date (late usage still lands) before it is finalised. Applies to drafts created afterwards.' }),
  tax_provider: z.enum(['rate_table']).meta({ description: 'Who computes tax: the tax rates of /v1/tax_rates. Other engines plug in behind the same interface (docs/taxes.md).' }),
  branding: brandingSchema,
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
    invoice_number_prefix: tenantSettings.invoice_number_prefix.optional(),
    credit_note_number_prefix: tenantSettings.credit_note_number_prefix.optional(),
    invoice_grace_period_hours: tenantSettings.invoice_grace_period_hours.optional(),
    tax_provider: tenantSettings.tax_provider.optional(),
    branding: tenantSettings.branding.optional(),
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
    invoice_number_prefix: z.string(),
    credit_note_number_prefix: z.string(),
    invoice_grace_period_hours: z.int(),
    tax_provider: z.string(),
    branding: z.record(z.string(), z.unknown()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Tenant' });

export const createdTenantSchema = tenantSchema
  .extend({ initial_api_key: createdApiKeySchema })
  .meta({ id: 'CreatedTenant' });
