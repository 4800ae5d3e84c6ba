import type { EntityManager } from 'typeorm';
import { CreditNote, CreditNoteLine } from '../../db/entities/invoicing/credit-note';
import { type CreditableLine, type CreditProblem, creditUse, planCredit } from '../../domain/invoicing/credit-note';
import type { CreditNoteDocument } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { RackrateError, notFound, type FieldError } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { recordCreditEntry } from './credit-balance';
import type { CreateCreditNoteInput } from './credit-note-schemas';
import { nextDocumentNumber } from './document-numbers';
import { type InvoiceRow, lockInvoice, settleInvoice } from './invoice-payments';

/**
 * Credit notes against finalised invoices (domain/invoicing/credit-note.ts
 * has the rules). The invoice row is locked first, so two notes (or a note
 * and a payment) on one invoice take turns and see each other's figures.
 * The note's total first reduces what the invoice still owes; the rest is
 * owed back to the customer (refund: the payments feature sends it through
 * the gateway) or added to the account's credit balance.
 */
const RESOURCE = 'credit_note';

export function creditNoteRepresentation(note: CreditNote) {
  const m = (v: string) => money(new Decimal(v), note.currency);
  return {
    id: note.id,
    object: 'credit_note' as const,
    number: note.number,
    invoice_id: note.invoiceId,
    invoice_number: note.document.invoice_number,
    account_id: note.accountId,
    currency: note.currency,
    reason: note.reason,
    outcome: note.outcome,
    memo: note.memo,
    status: note.status,
    // The frozen document holds the lines as issued, with their descriptions.
    lines: note.document.lines.map((l) => ({
      invoice_line_key: l.invoice_line_key,
      description: l.description,
      amount: l.amount,
      tax_amount: l.tax_amount,
      total: money(new Decimal(l.amount).plus(l.tax_amount), note.currency),
    })),
    subtotal: m(note.subtotal),
    tax_total: m(note.taxTotal),
    total: m(note.total),
    applied_to_invoice: m(note.appliedToInvoice),
    refund_amount: m(note.refundAmount),
    credit_balance_amount: m(note.creditBalanceAmount),
    issued_at: note.issuedAt.toISOString(),
    voided_at: note.voidedAt?.toISOString() ?? null,
    created_at: note.createdAt.toISOString(),
  };
}

const CREDITABLE = ['open', 'partially_paid', 'paid', 'uncollectible'];

/** The invoice's lines with what issued notes already credited of each. */
async function creditableLines(tx: EntityManager, tenantId: string, invoiceId: string): Promise<CreditableLine[]> {
  const rows = (await tx.query(
    `SELECT l.line_key, l.description, l.amount::text, l.tax_amount::text,
            COALESCE(c.amount, 0)::text AS credited_amount, COALESCE(c.tax_amount, 0)::text AS credited_tax
       FROM invoice_lines l
       LEFT JOIN (
         SELECT cl.invoice_line_key, SUM(cl.amount) AS amount, SUM(cl.tax_amount) AS tax_amount
           FROM credit_note_lines cl JOIN credit_notes n ON n.tenant_id = cl.tenant_id AND n.id = cl.credit_note_id
          WHERE cl.tenant_id = $1 AND cl.invoice_id = $2 AND n.status = 'issued'
          GROUP BY cl.invoice_line_key
       ) c ON c.invoice_line_key = l.line_key
      WHERE l.tenant_id = $1 AND l.invoice_id = $2
      ORDER BY l.position`,
    [tenantId, invoiceId],
  )) as Array<{ line_key: string; description: string; amount: string; tax_amount: string; credited_amount: string; credited_tax: string }>;
  return rows.map((r) => ({
    key: r.line_key,
    description: r.description,
    amount: new Decimal(r.amount),
    taxAmount: new Decimal(r.tax_amount),
    creditedAmount: new Decimal(r.credited_amount),
    creditedTax: new Decimal(r.credited_tax),
  }));
}

/** Money paid on the invoice and not yet refunded by earlier notes: the most a refund may return. */
async function refundable(tx: EntityManager, tenantId: string, invoice: InvoiceRow): Promise<Decimal> {
  const [row] = (await tx.query(
    `SELECT COALESCE(SUM(refund_amount), 0)::text AS refunded FROM credit_notes WHERE tenant_id = $1 AND invoice_id = $2 AND status = 'issued'`,
    [tenantId, invoice.id],
  )) as Array<{ refunded: string }>;
  return new Decimal(invoice.amount_paid).minus(row!.refunded);
}

function refused(problems: CreditProblem[]): RackrateError {
  const invalid = problems.filter((p) => p.kind === 'invalid');
  const chosen = invalid.length > 0 ? invalid : problems;
  const errors: FieldError[] = chosen.map((p) => ({ in: 'body', field: p.field, code: p.code, message: p.message }));
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return invalid.length > 0 ? new RackrateError('validation_failed', detail, { errors }) : new RackrateError('credit_exceeds_invoice', detail, { errors });
}

export async function createCreditNote(tx: EntityManager, change: ChangeContext, invoiceId: string, input: CreateCreditNoteInput): Promise<CreditNote> {
  const { tenantId, now } = change;
  const invoice = await lockInvoice(tx, tenantId, invoiceId);
  if (!CREDITABLE.includes(invoice.status)) {
    const why = invoice.status === 'draft' ? 'a draft is changed, not credited' : 'a void invoice owes nothing';
    throw new RackrateError('invoice_state_conflict', `Invoice ${invoiceId} is ${invoice.status}: ${why}.`);
  }
  const { currency } = invoice;
  const plan = planCredit(
    { currency, total: new Decimal(invoice.total), creditedTotal: new Decimal(invoice.credited_total), lines: await creditableLines(tx, tenantId, invoiceId) },
    input.lines?.map((l) => ({ lineKey: l.line_key, amount: l.amount })),
  );
  if (!plan.ok) throw refused(plan.problems);

  const use = creditUse({ total: plan.total, amountRemaining: new Decimal(invoice.amount_remaining), refundable: await refundable(tx, tenantId, invoice), outcome: input.outcome });
  await settleInvoice(tx, change, invoice, {
    amountPaid: new Decimal(invoice.amount_paid),
    amountRemaining: new Decimal(invoice.amount_remaining).minus(use.appliedToInvoice),
    creditedTotal: new Decimal(invoice.credited_total).plus(plan.total),
    status: invoice.status,
  });

  // Last: the number row lock is held to commit, so nothing slow comes after it.
  const { number, value } = await nextDocumentNumber(tx, tenantId, 'credit_note');
  const id = uuidv7(now.getTime());
  const m = (v: Decimal) => money(v, currency);
  const frozen = invoice.document;
  const document: CreditNoteDocument = {
    kind: 'credit_note', id, number, invoice_id: invoice.id, invoice_number: invoice.number!, currency,
    locale: frozen.locale, timezone: frozen.timezone, issued_at: now.toISOString(),
    reason: input.reason, memo: input.memo ?? null, outcome: input.outcome,
    seller: frozen.seller, customer: frozen.customer,
    lines: plan.lines.map((l) => ({ invoice_line_key: l.lineKey, description: l.description, amount: m(l.amount), tax_amount: m(l.taxAmount) })),
    subtotal: m(plan.subtotal), tax_total: m(plan.taxTotal), total: m(plan.total),
  };
  const note = tx.create(CreditNote, {
    tenantId, id, invoiceId: invoice.id, accountId: invoice.account_id, number, sequenceValue: value, currency,
    reason: input.reason, outcome: input.outcome, memo: input.memo ?? null,
    subtotal: m(plan.subtotal), taxTotal: m(plan.taxTotal), total: m(plan.total),
    appliedToInvoice: m(use.appliedToInvoice), refundAmount: m(use.refundAmount), creditBalanceAmount: m(use.creditBalanceAmount),
    status: 'issued', document, issuedAt: now, voidedAt: null, createdAt: now,
  });
  await tx.insert(CreditNote, note);
  await tx.insert(
    CreditNoteLine,
    plan.lines.map((l) => ({ tenantId, creditNoteId: id, invoiceId: invoice.id, invoiceLineKey: l.lineKey, amount: m(l.amount), taxAmount: m(l.taxAmount) })),
  );
  await recordChange(tx, change, { action: `${RESOURCE}.created`, resourceType: RESOURCE, resourceId: id, before: null, after: creditNoteRepresentation(note) });
  if (use.creditBalanceAmount.greaterThan(0)) {
    await recordCreditEntry(tx, change, {
      accountId: invoice.account_id, currency, entryKey: `credit_note:${id}`, kind: 'credit_note', amount: use.creditBalanceAmount,
      invoiceId: invoice.id, creditNoteId: id, description: `Credit note ${number} for invoice ${invoice.number}`,
    });
  }
  return note;
}

export async function getCreditNote(tx: EntityManager, tenantId: string, id: string): Promise<CreditNote> {
  const note = await tx.findOneBy(CreditNote, { tenantId, id });
  if (!note) throw notFound('credit note', id);
  return note;
}

export interface CreditNoteFilter {
  invoiceId?: string | undefined;
  accountId?: string | undefined;
}

export async function listCreditNotes(tx: EntityManager, tenantId: string, filter: CreditNoteFilter, page: PageRequest): Promise<Page<CreditNote>> {
  const query = tx.createQueryBuilder(CreditNote, 'n').where('n.tenant_id = :tenantId', { tenantId });
  if (filter.invoiceId) query.andWhere('n.invoice_id = :invoiceId', { invoiceId: filter.invoiceId });
  if (filter.accountId) query.andWhere('n.account_id = :accountId', { accountId: filter.accountId });
  return paginate(query, 'n', page);
}
