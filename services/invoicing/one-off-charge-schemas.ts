import { z } from 'zod';
import { catalogCode } from '../../domain/catalog/status';
import { nonNegativeDecimal, positiveDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

/** Request and response shapes of /v1/one_off_charges and one-off invoices (docs/invoicing.md). */
export const oneOffItemFields = {
  description: z.string().trim().min(1, 'must not be empty').max(500).meta({ example: 'Remote hands, 2026-12-03 (ticket RH-1042)' }),
  quantity: positiveDecimal.optional().meta({ description: 'Default 1.', example: '1.5' }),
  unit_price: nonNegativeDecimal.meta({ description: 'In the account currency; the amount is quantity × unit price, rounded to the currency.', example: '150.00' }),
  product_code: catalogCode.optional().meta({ description: 'Catalogue product (its name, GL code and tax code apply).' }),
  tax_code: z.string().min(1).max(100).optional().meta({ description: "Overrides the product's tax code." }),
  service_date: timestamp.optional().meta({ description: 'When the work was done or the goods delivered; default now. The charge waits for the first invoice whose bill date is on or after it.' }),
  metadata: metadataSchema.optional(),
};

export const createOneOffChargeSchema = z
  .strictObject({
    account_id: uuid,
    currency: currencyCode.optional().meta({ description: "Must be the account's billing currency when given." }),
    ...oneOffItemFields,
  })
  .meta({ id: 'CreateOneOffCharge' });
export type CreateOneOffChargeInput = z.infer<typeof createOneOffChargeSchema>;
export type OneOffItemInput = Omit<CreateOneOffChargeInput, 'account_id' | 'currency'>;

export const oneOffChargeSchema = z
  .object({
    id: uuid,
    object: z.literal('one_off_charge'),
    account_id: uuid,
    currency: z.string(),
    description: z.string(),
    quantity: z.string(),
    unit_price: z.string(),
    amount: z.string(),
    product_code: z.string().nullable(),
    tax_code: z.string().nullable(),
    service_date: z.string(),
    invoice_id: uuid.nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: z.string(),
  })
  .meta({ id: 'OneOffCharge' });
