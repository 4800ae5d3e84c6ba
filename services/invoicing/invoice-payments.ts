import type { EntityManager } from 'typeorm';
import { InvoicePayment } from '../../db/entities/invoicing/invoice-payment';
import { becomesPaid } from '../../domain/invoicing/credit-note';
import type { InvoiceDocument, InvoiceStatus } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { RecordPaymentInput } from './invoice-payment-schemas';

/**
 * Payments recorded against a finalised invoice (check, ACH, wire…), and the
 * invoice settlement figures they and credit notes move. Invoices are read
 * and changed with SQL here (the finalisation trigger allows only these
 * figures to move); every change locks the invoice row first, so concurrent
 * payments and credit notes take turns and never together exceed it.
 */
export interface InvoiceRow {
  id: string;
  account_id: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  total: string;
  amount_due: string;
  amount_paid: string;
  amount_remaining: string;
  credited_total: string;
  document: InvoiceDocument;
  paid_at: Date | null;
  updated_at: Date;
}

const INVOICE_COLUMNS = 'id, account_id, number, status, currency, total, amount_due, amount_paid, amount_remaining, credited_total, document, paid_at, updated_at';

async function selectInvoice(tx: EntityManager, tenantId: string, id: string, lock: boolean): Promise<InvoiceRow> {
  const rows = (await tx.query(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  )) as InvoiceRow[];
  if (!rows[0]) throw notFound('invoice', id);
  return rows[0];
}

export const findInvoice = (tx: EntityManager, tenantId: string, id: string) => selectInvoice(tx, tenantId, id, false);
export const lockInvoice = (tx: EntityManager, tenantId: string, id: string) => selectInvoice(tx, tenantId, id, true);

/** The invoice's settlement figures, as audit entries and events carry them (the full invoice representation is invoiceSummary). */
export function invoiceFigures(row: InvoiceRow) {
  const m = (v: string) => money(new Decimal(v), row.currency);
  return {
    id: row.id,
    object: 'invoice' as const,
    number: row.number,
    status: row.status,
    account_id: row.account_id,
    currency: row.currency,
    total: m(row.total),
    amount_due: m(row.amount_due),
    amount_paid: m(row.amount_paid),
    amount_remaining: m(row.amount_remaining),
    credited_total: m(row.credited_total),
    paid_at: row.paid_at?.toISOString() ?? null,
    updated_at: row.updated_at.toISOString(),
  };
}

export interface Settlement {
  amountPaid: Decimal;
  amountRemaining: Decimal;
  creditedTotal: Decimal;
  /** The status to move to unless the invoice becomes paid. */
  status: InvoiceStatus;
}

/** Saves new figures of a locked invoice; it becomes paid when nothing remains. Audited as invoice.paid or invoice.updated. */
export async function settleInvoice(tx: EntityManager, change: ChangeContext, before: InvoiceRow, next: Settlement): Promise<InvoiceRow> {
  const paid = becomesPaid(before.status, next.amountRemaining);
  const after: InvoiceRow = {
    ...before,
    status: paid ? 'paid' : next.status,
    amount_paid: money(next.amountPaid, before.currency),
    amount_remaining: money(next.amountRemaining, before.currency),
    credited_total: money(next.creditedTotal, before.currency),
    paid_at: paid ? change.now : before.paid_at,
    updated_at: change.now,
  };
  await tx.query(
    `UPDATE invoices SET status = $3, amount_paid = $4, amount_remaining = $5, credited_total = $6, paid_at = $7, updated_at = $8
      WHERE tenant_id = $1 AND id = $2`,
    [change.tenantId, before.id, after.status, after.amount_paid, after.amount_remaining, after.credited_total, after.paid_at, after.updated_at],
  );
  await recordChange(tx, change, {
    action: paid ? 'invoice.paid' : 'invoice.updated',
    resourceType: 'invoice',
    resourceId: before.id,
    before: invoiceFigures(before),
    after: invoiceFigures(after),
  });
  return after;
}

export function paymentRepresentation(p: InvoicePayment) {
  return {
    id: p.id,
    object: 'invoice_payment' as const,
    invoice_id: p.invoiceId,
    account_id: p.accountId,
    amount: money(new Decimal(p.amount), p.currency),
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    received_at: p.receivedAt.toISOString(),
    created_at: p.createdAt.toISOString(),
  };
}

const PAYABLE: readonly InvoiceStatus[] = ['open', 'partially_paid', 'uncollectible'];

export async function recordPayment(tx: EntityManager, change: ChangeContext, invoiceId: string, input: RecordPaymentInput): Promise<InvoicePayment> {
  const receivedAt = input.received_at === undefined ? change.now : new Date(input.received_at);
  if (receivedAt > change.now) {
    throw new RackrateError('validation_failed', 'received_at: must not be in the future', {
      errors: [{ in: 'body', field: 'received_at', code: 'in_future', message: 'must not be in the future' }],
    });
  }
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  if (!PAYABLE.includes(invoice.status)) {
    throw new RackrateError('invoice_state_conflict', `Invoice ${invoiceId} is ${invoice.status}; payments are recorded against open, partially paid or uncollectible invoices.`);
  }
  if (input.currency !== invoice.currency) {
    throw new RackrateError('account_currency_mismatch', `Invoice ${invoiceId} is in ${invoice.currency}.`, {
      errors: [{ in: 'body', field: 'currency', code: 'mismatch', message: `must be the invoice's currency, ${invoice.currency}` }],
    });
  }
  const remaining = new Decimal(invoice.amount_remaining);
  if (input.amount.greaterThan(remaining)) {
    const owed = money(remaining, invoice.currency);
    throw new RackrateError('payment_exceeds_balance', `Invoice ${invoiceId} has ${owed} ${invoice.currency} remaining.`, {
      errors: [{ in: 'body', field: 'amount', code: 'exceeds_remaining', message: `must be at most the ${owed} remaining on the invoice` }],
    });
  }
  const payment = tx.create(InvoicePayment, {
    tenantId: change.tenantId,
    id: uuidv7(change.now.getTime()),
    invoiceId,
    accountId: invoice.account_id,
    method: input.method,
    reference: input.reference ?? null,
    amount: money(input.amount, invoice.currency),
    currency: invoice.currency,
    receivedAt,
    createdAt: change.now,
  });
  await tx.insert(InvoicePayment, payment);
  await recordChange(tx, change, {
    action: 'invoice.payment_recorded',
    resourceType: 'invoice_payment',
    resourceId: payment.id,
    before: null,
    after: paymentRepresentation(payment),
  });
  // A written-off invoice stays uncollectible until paid in full.
  await settleInvoice(tx, change, invoice, {
    amountPaid: new Decimal(invoice.amount_paid).plus(input.amount),
    amountRemaining: remaining.minus(input.amount),
    creditedTotal: new Decimal(invoice.credited_total),
    status: invoice.status === 'uncollectible' ? 'uncollectible' : 'partially_paid',
  });
  return payment;
}

export async function listPayments(tx: EntityManager, tenantId: string, invoiceId: string, page: PageRequest): Promise<Page<InvoicePayment>> {
  await findInvoice(tx, tenantId, invoiceId);
  const query = tx
    .createQueryBuilder(InvoicePayment, 'p')
    .where('p.tenant_id = :tenantId AND p.invoice_id = :invoiceId', { tenantId, invoiceId });
  return paginate(query, 'p', page);
}
