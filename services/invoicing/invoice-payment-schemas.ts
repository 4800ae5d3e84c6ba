import { z } from 'zod';
import { positiveDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, text, timestamp, uuid } from '../../lib/schema-primitives';
import { PAYMENT_METHODS } from '../../db/entities/invoicing/invoice-payment';
import { amountFitsCurrency, EVEN_WITH_FIELD_ERRORS } from './credit-balance-schemas';

/** Request and response shapes of payments recorded against an invoice (docs/invoicing.md, "Payments"). */
export const recordPaymentSchema = z
  .strictObject({
    amount: positiveDecimal.meta({ description: "At most the invoice's amount_remaining, with at most the currency's minor digits.", example: '1250.00' }),
    currency: currencyCode.meta({ description: "Must be the invoice's currency." }),
    method: z.enum(PAYMENT_METHODS),
    reference: text(200).optional().meta({ description: 'Check number, bank reference, transaction id.', example: 'CHK 10442' }),
    received_at: timestamp.optional().meta({ description: 'When the money arrived; not in the future. Default: now.' }),
  })
  .superRefine(amountFitsCurrency, EVEN_WITH_FIELD_ERRORS)
  .meta({ id: 'RecordInvoicePayment' });
export type RecordPaymentInput = z.output<typeof recordPaymentSchema>;

export const invoicePaymentSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('invoice_payment'),
    invoice_id: uuid,
    account_id: uuid,
    amount: z.string(),
    currency: z.string(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().nullable(),
    received_at: timestamp,
    created_at: timestamp,
  })
  .meta({ id: 'InvoicePayment' });
