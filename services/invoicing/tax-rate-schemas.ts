import { z } from 'zod';
import { Decimal } from '../../domain/money/decimal';
import { countryCode, text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

/** Request and response shapes of /v1/tax_rates (docs/taxes.md). */

// Up to 100 with at most 4 decimals: "20", "7.25", "8.875" (New York City), "0".
const PERCENTAGE = /^(0|[1-9]\d{0,2})(\.\d{1,4})?$/;

const percentage = z
  .string()
  .regex(PERCENTAGE, 'must be a decimal string with at most 4 decimals, e.g. "20" or "8.875"')
  .refine((v) => !PERCENTAGE.test(v) || new Decimal(v).lessThanOrEqualTo(100), 'must be between 0 and 100')
  .transform((v) => new Decimal(v))
  .meta({ description: 'Percent, 0-100 with at most 4 decimals; "0" zero-rates the tax code at its level.', example: '20' });

const region = text(50).meta({
  description: 'A region of the country (state, province), compared case-insensitively with the billing address region; absent: the country level.',
  example: 'BC',
});
const taxCode = text(100).meta({
  description: 'Only lines whose product (or one-off charge) has this tax code; absent: the generic rate of its level.',
  example: 'digital-services',
});

/** Cross-field rules run even when a field failed, so every problem is listed at once. */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const createTaxRateSchema = z
  .strictObject({
    name: text(100).meta({ description: 'Printed on invoices next to the tax.', example: 'VAT' }),
    country: countryCode,
    region: region.nullish(),
    tax_code: taxCode.nullish(),
    percentage,
    inclusive: z.boolean().default(false).meta({ description: 'True: prices already contain the tax; false (default): it is added on top.' }),
    valid_from: timestamp.optional().meta({ description: 'When the rate starts applying (inclusive); default now.' }),
    valid_to: timestamp.nullish().meta({ description: 'When it stops applying (exclusive); absent: until ended.' }),
    description: text(500).nullish(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (typeof r.valid_from === 'string' && typeof r.valid_to === 'string' && new Date(r.valid_to) <= new Date(r.valid_from)) {
      ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'must be after valid_from' });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .meta({ id: 'CreateTaxRate' });
export type CreateTaxRateInput = z.output<typeof createTaxRateSchema>;

/**
 * Invoices name the rate they applied by id, so what a rate charges never
 * changes: these fields are refused on update, with a message saying what
 * to do instead.
 */
const immutable = z
  .unknown()
  .refine(() => false, 'cannot be changed: end this rate with valid_to and create a new one (invoices refer to rate ids)')
  .optional()
  .meta({ description: 'Immutable; sending it is refused.' });

export const updateTaxRateSchema = z
  .strictObject({
    name: text(100).optional(),
    description: text(500).nullable().optional(),
    metadata: metadataSchema.optional(),
    valid_to: timestamp.nullable().optional().meta({
      description: 'Ends the rate (exclusive), or moves its end; must stay after valid_from. null or a later end is checked again for overlaps.',
    }),
    country: immutable,
    region: immutable,
    tax_code: immutable,
    percentage: immutable,
    inclusive: immutable,
    valid_from: immutable,
  })
  .meta({ id: 'UpdateTaxRate', description: 'Only name, description, metadata and valid_to change; a different figure or place is a new rate.' });
export type UpdateTaxRateInput = Pick<z.output<typeof updateTaxRateSchema>, 'name' | 'description' | 'metadata' | 'valid_to'>;

export const taxRateListQuery = {
  country: countryCode.optional(),
  active_at: timestamp.optional().meta({ description: 'Only rates valid at this instant (valid_from <= active_at < valid_to).' }),
};

export const taxRateSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('tax_rate'),
    name: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    tax_code: z.string().nullable(),
    percentage: z.string().meta({ example: '20' }),
    inclusive: z.boolean(),
    valid_from: timestamp,
    valid_to: timestamp.nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'TaxRate' });
