import { z } from 'zod';
import {
  ACCOUNT_STATUSES,
  CONTACT_ROLES,
  INVOICE_DELIVERY_METHODS,
  MAX_BILLING_ANCHOR_DAY,
  MAX_NET_TERMS_DAYS,
  METADATA_LIMITS,
  MIN_BILLING_ANCHOR_DAY,
  TAX_EXEMPTIONS,
  TAX_ID_TYPES,
} from '../../domain/accounts/account';
import {
  countryCode,
  currencyCode,
  email,
  locale,
  text,
  timeZone,
  timestamp,
  uuid,
} from '../../lib/schema-primitives';

/**
 * The account resource's wire shape: request bodies (validated once at the
 * API boundary) and the representation returned by the API, written to the
 * audit log and carried by domain events. The OpenAPI document is generated
 * from these same schemas.
 */

export const postalAddressSchema = z
  .strictObject({
    line1: text(200),
    line2: text(200).nullish(),
    city: text(100),
    region: text(100).nullish(),
    postal_code: text(20).nullish(),
    country: countryCode,
  })
  .meta({ id: 'PostalAddress' });

export const taxIdSchema = z
  .strictObject({ type: z.enum(TAX_ID_TYPES), value: text(64) })
  .meta({ id: 'TaxId', example: { type: 'eu_vat', value: 'DE123456789' } });

export const contactSchema = z
  .strictObject({
    name: text(200),
    email,
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ().-]{2,39}$/, 'must be a phone number of digits, spaces and ( ) . - with an optional leading +')
      .nullish(),
    roles: z
      .array(z.enum(CONTACT_ROLES))
      .min(1, 'must name at least one role')
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
  })
  .meta({ id: 'Contact' });

export const paymentTermsSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('due_on_receipt') }),
    z.strictObject({
      type: z.literal('net'),
      days: z.int().min(1, 'must be at least 1 (use due_on_receipt for 0)').max(MAX_NET_TERMS_DAYS),
    }),
  ])
  .meta({ id: 'PaymentTerms', description: 'Due on receipt, or net N days after finalisation.' });

export const metadataSchema = z
  .record(
    z.string().min(1).max(METADATA_LIMITS.maxKeyLength, `keys must be at most ${METADATA_LIMITS.maxKeyLength} characters`),
    z.string().max(METADATA_LIMITS.maxValueLength, `values must be at most ${METADATA_LIMITS.maxValueLength} characters`),
  )
  .refine((m) => Object.keys(m).length <= METADATA_LIMITS.maxKeys, `must have at most ${METADATA_LIMITS.maxKeys} keys`)
  .meta({ id: 'Metadata', description: 'Your own key/value strings; Rackrate stores and returns them.' });

const accountFields = {
  external_id: text(255).nullish().meta({ description: "Your system's customer id; unique among your active accounts." }),
  name: text(200),
  legal_name: text(200).nullish(),
  email: email.nullish(),
  currency: currencyCode,
  timezone: timeZone.optional(),
  locale: locale.optional(),
  billing_anchor_day: z
    .int()
    .min(MIN_BILLING_ANCHOR_DAY)
    .max(MAX_BILLING_ANCHOR_DAY)
    .optional()
    .meta({ description: 'Day of month billing periods start; 29-31 mean the last day in shorter months.' }),
  payment_terms: paymentTermsSchema.optional(),
  tax_ids: z.array(taxIdSchema).max(10).optional(),
  tax_exemption: z.enum(TAX_EXEMPTIONS).optional(),
  billing_address: postalAddressSchema.nullish(),
  service_address: postalAddressSchema.nullish(),
  contacts: z.array(contactSchema).max(20).optional(),
  invoice_delivery: z.enum(INVOICE_DELIVERY_METHODS).optional(),
  metadata: metadataSchema.optional(),
  parent_id: uuid.nullish().meta({ description: 'Parent account in a master-billing hierarchy.' }),
  bill_to_parent: z.boolean().optional().meta({ description: "Roll this account's charges into the parent's invoice." }),
};

export const createAccountSchema = z.strictObject(accountFields).meta({ id: 'CreateAccount' });
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

/**
 * PATCH semantics: absent fields are left alone, null clears a nullable
 * field, arrays and addresses are replaced whole, metadata is merged key by
 * key with null removing a key.
 */
export const updateAccountSchema = z
  .strictObject({
    ...accountFields,
    name: accountFields.name.optional(),
    currency: accountFields.currency.optional(),
    metadata: z
      .record(z.string().min(1).max(METADATA_LIMITS.maxKeyLength), z.string().max(METADATA_LIMITS.maxValueLength).nullable())
      .optional()
      .meta({ description: 'Keys to set; a null value removes the key.' }),
  })
  .meta({ id: 'UpdateAccount' });
export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

export const accountSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('account'),
    external_id: z.string().nullable(),
    name: z.string(),
    legal_name: z.string().nullable(),
    email: z.string().nullable(),
    currency: z.string(),
    timezone: z.string(),
    locale: z.string(),
    billing_anchor_day: z.int(),
    payment_terms: paymentTermsSchema,
    tax_ids: z.array(taxIdSchema),
    tax_exemption: z.enum(TAX_EXEMPTIONS),
    billing_address: postalAddressSchema.nullable(),
    service_address: postalAddressSchema.nullable(),
    contacts: z.array(contactSchema),
    invoice_delivery: z.enum(INVOICE_DELIVERY_METHODS),
    metadata: z.record(z.string(), z.string()),
    parent_id: uuid.nullable(),
    bill_to_parent: z.boolean(),
    status: z.enum(ACCOUNT_STATUSES),
    archived_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'Account' });
export type AccountRepresentation = z.infer<typeof accountSchema>;
