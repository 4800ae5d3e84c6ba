import { z } from 'zod';
import { CURRENCY_MINOR_UNITS } from '../../domain/money/currencies';
import { Decimal } from '../../domain/money/decimal';
import { positiveDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, text, timestamp, uuid } from '../../lib/schema-primitives';
import { CREDIT_ENTRY_KINDS } from '../../db/entities/invoicing/credit-balance-entry';

/** Request and response shapes of an account's credit balance (docs/invoicing.md, "Credit balance"). */

/** Cross-field rules run even when a field failed, so every problem is listed at once. */
export const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

/**
 * `amount` must be written in whole minor units of `currency` ("10.005" USD
 * is refused, not rounded). Guards itself: it also runs when either field failed.
 */
export function amountFitsCurrency(value: { amount?: unknown; currency?: unknown }, ctx: z.RefinementCtx): void {
  const digits = typeof value.currency === 'string' ? CURRENCY_MINOR_UNITS[value.currency] : undefined;
  if (digits === undefined || !Decimal.isDecimal(value.amount)) return;
  if ((value.amount as Decimal).decimalPlaces() > digits) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: `${value.currency} amounts have at most ${digits} decimal places` });
  }
}

const GRANT_KINDS = ['prepaid', 'adjustment'] as const;

export const grantCreditSchema = z
  .strictObject({
    amount: positiveDecimal.meta({ description: 'Credit to add, in the account currency with at most its minor digits.', example: '500.00' }),
    currency: currencyCode.meta({ description: "Must be the account's billing currency." }),
    kind: z.enum(GRANT_KINDS).meta({ description: 'prepaid: credit bought in advance; adjustment: a goodwill or correcting credit.' }),
    description: text(500).meta({ example: 'Prepaid credit, PO 4471' }),
  })
  .superRefine(amountFitsCurrency, EVEN_WITH_FIELD_ERRORS)
  .meta({ id: 'GrantCredit', description: 'Adds credit to the account balance; the balance is applied to the next finalised invoices.' });
export type GrantCreditInput = z.output<typeof grantCreditSchema>;

export const creditBalanceEntrySchema = z
  .strictObject({
    id: uuid,
    object: z.literal('credit_balance_entry'),
    account_id: uuid,
    currency: z.string(),
    kind: z.enum(CREDIT_ENTRY_KINDS),
    amount: z.string().meta({ description: 'Positive adds credit, negative uses it.', example: '-120.00' }),
    invoice_id: uuid.nullable(),
    credit_note_id: uuid.nullable(),
    description: z.string(),
    created_at: timestamp,
  })
  .meta({ id: 'CreditBalanceEntry' });

export const creditBalanceSchema = z
  .strictObject({
    object: z.literal('credit_balance'),
    account_id: uuid,
    currency: z.string(),
    balance: z.string().meta({ description: "Sum of the entries in the account's currency.", example: '380.00' }),
    entries: z.array(creditBalanceEntrySchema).meta({ description: 'The latest 50 entries, newest first.' }),
  })
  .meta({ id: 'CreditBalance' });
