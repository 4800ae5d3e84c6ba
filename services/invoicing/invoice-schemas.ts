import { z } from 'zod';
import { INVOICE_LINE_KINDS, INVOICE_STATUSES } from '../../domain/invoicing/invoice-document';
import { currencyCode, uuid } from '../../lib/schema-primitives';
import { oneOffItemFields } from './one-off-charge-schemas';

/** Request and response shapes of /v1/invoices (docs/invoicing.md). The document parts are described loosely: docs/invoicing.md has every field. */
const money = z.string().meta({ description: "Decimal string with the currency's minor digits.", example: '1250.00' });
const nullableString = z.string().nullable();

const breakdownEntry = z.object({ description: z.string(), quantity: nullableString, unit_price: nullableString, amount: z.string() });
const lineTax = z.object({ rate_id: nullableString, name: z.string(), percentage: z.string(), inclusive: z.boolean(), amount: money });
const percentileFacts = z
  .object({
    billed_rate: z.string(), percentile: z.number(), commit: nullableString, unit: z.string(), method: nullableString,
    samples_expected: z.number().nullable(), samples_known: z.number().nullable(), completeness: nullableString,
    series: z.object({ subscription_id: uuid, account_id: uuid, metric_code: z.string(), group: z.record(z.string(), z.string().nullable()) }).nullable(),
  })
  .meta({ id: 'InvoicePercentileFacts' });

export const invoiceLineSchema = z
  .object({
    key: z.string().meta({ description: 'Deterministic identity: charge:{id}, one_off:{id}, true_up:{subscription}/{period start}.' }),
    kind: z.enum(INVOICE_LINE_KINDS),
    description: z.string(),
    product_code: nullableString, product_name: nullableString, tax_code: nullableString,
    period_start: nullableString, period_end: nullableString,
    quantity: nullableString, unit_price: nullableString, amount: money,
    subscription_id: uuid.nullable(), account_id: uuid,
    breakdown: z.array(breakdownEntry),
    percentile: percentileFacts.nullable(),
    taxes: z.array(lineTax),
  })
  .meta({ id: 'InvoiceLine' });

const group = z.object({ account_id: uuid, account_name: z.string(), path: z.array(z.string()), depth: z.number().int(), lines: z.array(invoiceLineSchema), subtotal: money });
const taxSummary = z.object({ rate_id: nullableString, name: z.string(), percentage: z.string(), inclusive: z.boolean(), jurisdiction: z.string(), taxable_amount: money, amount: money });

const summaryFields = {
  id: uuid,
  object: z.literal('invoice'),
  number: nullableString.meta({ description: 'Given at finalisation: gapless per tenant, with the tenant prefix. Null while draft.' }),
  status: z.enum(INVOICE_STATUSES),
  kind: z.enum(['cycle', 'one_off']),
  account_id: uuid.meta({ description: 'The billing account.' }),
  currency: z.string(),
  period: z.object({ start: z.string(), end: z.string() }).nullable(),
  bill_date: z.string(),
  grace_ends_at: nullableString.meta({ description: 'When a cycle draft is finalised automatically.' }),
  auto_finalize: z.boolean(),
  issued_at: nullableString, due_at: nullableString,
  net_terms_days: z.number().int(),
  po_number: nullableString, memo: nullableString,
  subtotal: money, discount_total: money, tax_total: money, tax_included: money, total: money,
  credit_applied: money, amount_due: money, amount_paid: money, amount_remaining: money, credited_total: money,
  line_count: z.number().int(),
  revision: z.number().int(),
  paid_at: nullableString, voided_at: nullableString, marked_uncollectible_at: nullableString,
  created_at: z.string(), updated_at: z.string(),
};

export const invoiceSummarySchema = z.object(summaryFields).meta({ id: 'InvoiceSummary' });

export const invoiceSchema = z
  .object({
    ...summaryFields,
    seller: z.record(z.string(), z.unknown()),
    customer: z.record(z.string(), z.unknown()),
    locale: z.string(),
    timezone: z.string(),
    groups: z.array(group),
    taxes: z.array(taxSummary),
    tax_notes: z.array(z.string()),
  })
  .meta({ id: 'Invoice' });

export const createOneOffInvoiceSchema = z
  .strictObject({
    account_id: uuid.meta({ description: "The customer; a child that bills to its parent is invoiced on its billing account's invoice, grouped under it." }),
    currency: currencyCode.optional().meta({ description: "Must be the account's billing currency when given." }),
    items: z.array(z.strictObject(oneOffItemFields)).min(1, 'must have at least 1 item').max(100, 'must have at most 100 items'),
    po_number: z.string().trim().min(1).max(100).optional(),
    memo: z.string().max(2000).optional(),
    net_terms_days: z.number().int().min(0).max(365).optional().meta({ description: "Default: the account's payment terms." }),
    finalize: z.boolean().optional().meta({ description: 'Finalise at once (number, issue date); default false: a draft.' }),
  })
  .meta({ id: 'CreateOneOffInvoice' });

export const updateInvoiceSchema = z
  .strictObject({
    po_number: z.string().trim().min(1).max(100).nullable().optional(),
    memo: z.string().max(2000).nullable().optional(),
    auto_finalize: z.boolean().optional().meta({ description: 'false holds a cycle draft past its grace period until finalised through the API.' }),
  })
  .meta({ id: 'UpdateInvoice' });

export const invoiceListQuery = {
  account_id: uuid.optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  kind: z.enum(['cycle', 'one_off']).optional(),
};
