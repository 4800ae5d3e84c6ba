import { z } from 'zod';
import { CREDIT_NOTE_REASONS, CREDIT_OUTCOMES } from '../../domain/invoicing/credit-note';
import { positiveDecimal } from '../../domain/pricing/decimal-input';
import { text, timestamp, uuid } from '../../lib/schema-primitives';

/** Request and response shapes of credit notes (docs/invoicing.md, "Credit notes"). */
export const MAX_CREDIT_NOTE_LINES = 500;

export const createCreditNoteSchema = z
  .strictObject({
    reason: z.enum(CREDIT_NOTE_REASONS),
    outcome: z.enum(CREDIT_OUTCOMES).default('credit_balance').meta({
      description:
        'What happens to the part of the credit the invoice no longer owes. credit_balance: added to the account balance, used by the next invoices. ' +
        'refund: recorded as owed back to the customer (at most what was paid in money; the rest goes to the balance).',
    }),
    memo: text(2000).optional(),
    lines: z
      .array(
        z.strictObject({
          line_key: z.string().min(1).max(300).meta({ description: "The invoice line's key." }),
          amount: positiveDecimal.optional().meta({ description: 'Net amount to credit (tax is added in proportion). Absent: what is left of the line.' }),
        }),
      )
      .min(1)
      .max(MAX_CREDIT_NOTE_LINES)
      .optional()
      .meta({ description: 'Charge lines to credit. Absent: everything the invoice has left to credit.' }),
  })
  .meta({ id: 'CreateCreditNote' });
export type CreateCreditNoteInput = z.output<typeof createCreditNoteSchema>;

export const creditNoteSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('credit_note'),
    number: z.string(),
    invoice_id: uuid,
    invoice_number: z.string(),
    account_id: uuid,
    currency: z.string(),
    reason: z.enum(CREDIT_NOTE_REASONS),
    outcome: z.enum(CREDIT_OUTCOMES),
    memo: z.string().nullable(),
    status: z.enum(['issued', 'void']),
    lines: z.array(
      z.strictObject({ invoice_line_key: z.string(), description: z.string(), amount: z.string(), tax_amount: z.string(), total: z.string() }),
    ),
    subtotal: z.string(),
    tax_total: z.string(),
    total: z.string(),
    applied_to_invoice: z.string().meta({ description: 'The part that reduced what the invoice still owed.' }),
    refund_amount: z.string().meta({ description: 'Owed back to the customer; sent through the payment gateway by the payments feature.' }),
    credit_balance_amount: z.string().meta({ description: "Added to the account's credit balance." }),
    issued_at: timestamp,
    voided_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'CreditNote' });
