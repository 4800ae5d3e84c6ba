import type { EntityManager } from 'typeorm';
import { Invoice } from '../../db/entities/invoicing/invoice';
import type { InvoiceStatus } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import { notFound, RackrateError } from '../../lib/errors';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { lockCreditBalance, recordCreditEntry } from './credit-balance';
import { nextDocumentNumber } from './document-numbers';
import { rerateDraftUsage } from './draft-usage';
import { buildInvoice } from './invoice-builder';
import { applyBuilt, headerOf, lockBillingAccount, saveLines } from './invoice-drafts';
import { invoiceSummary } from './invoice-representation';
import { loadBillingGroup } from './invoice-sources';

/**
 * Finalisation and the statuses after it (docs/invoicing.md, "Life cycle"):
 * draft → open (number, issue and due dates, credit balance applied; paid at
 * once when nothing is due) → partially_paid / paid (payments, credit
 * notes); open → void / uncollectible; uncollectible → paid. The database
 * trigger keeps a finalised invoice's content frozen whatever the caller does.
 */
const DAY_MS = 86_400_000;

/** Locks the billing account, then the invoice row (the order drafting uses, so the two never deadlock). */
export async function lockInvoice(tx: EntityManager, tenantId: string, invoiceId: string): Promise<Invoice> {
  const found = await tx.findOneBy(Invoice, { tenantId, id: invoiceId });
  if (!found) throw notFound('invoice', invoiceId);
  await lockBillingAccount(tx, tenantId, found.accountId);
  const locked = await tx.getRepository(Invoice).findOne({ where: { tenantId, id: invoiceId }, lock: { mode: 'pessimistic_write' } });
  return locked!;
}

function stateConflict(invoice: Invoice, action: string, allowed: readonly InvoiceStatus[]): RackrateError {
  return new RackrateError('invoice_state_conflict', `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; ${action} needs ${allowed.join(' or ')}.`);
}

/**
 * Freezes a draft: rebuilt one last time from its sources, given the next
 * gapless number, issued now and due after the account's payment terms. The
 * credit balance pays what it can (a ledger entry keyed by the invoice, so
 * it is used once); a negative total goes to the balance.
 */
export async function finalizeInvoice(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<Invoice> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  if (invoice.status !== 'draft') throw stateConflict(invoice, 'finalising', ['draft']);
  return finalizeLocked(tx, change, invoice);
}

/** For bill runs: finalises the invoice if it is still a draft; null when someone (a retried batch, the API) already did. */
export async function finalizeIfDraft(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<Invoice | null> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  return invoice.status === 'draft' ? finalizeLocked(tx, change, invoice) : null;
}

async function finalizeLocked(tx: EntityManager, change: ChangeContext, invoice: Invoice): Promise<Invoice> {
  const { tenantId, now } = change;
  const before = invoiceSummary(invoice);
  if (invoice.kind === 'cycle') await rerateDraftUsage(tx, tenantId, invoice.id, now);
  // The balance about to be applied must not be spent by a concurrent credit note or finalisation meanwhile.
  await lockCreditBalance(tx, tenantId, invoice.accountId);
  const members = await loadBillingGroup(tx, tenantId, invoice.accountId);
  invoice.issuedAt = now;
  invoice.dueAt = new Date(now.getTime() + invoice.netTermsDays * DAY_MS);
  const built = await buildInvoice(tx, tenantId, headerOf(invoice), members, { existingInvoiceId: invoice.id, applyCredit: true, includePending: invoice.kind === 'cycle' });
  if (built.document.groups.length === 0) {
    throw new RackrateError('invoice_state_conflict', `Invoice ${invoice.id} has no lines; add a charge or delete the draft.`);
  }
  const totals = built.document.totals;
  const nothingDue = new Decimal(totals.amount_due).isZero();
  // The number is taken last: the counter row stays locked only until this transaction commits.
  const { number, value } = await nextDocumentNumber(tx, tenantId, 'invoice');
  invoice.number = number;
  invoice.sequenceValue = value;
  invoice.status = nothingDue ? 'paid' : 'open';
  invoice.paidAt = nothingDue ? now : null;
  built.document.number = number;
  built.document.status = invoice.status;
  applyBuilt(invoice, built);
  // Lines first: once the row says finalised, the trigger refuses line changes.
  await saveLines(tx, invoice, built);
  invoice.revision += 1;
  invoice.updatedAt = now;
  await tx.save(Invoice, invoice);

  const applied = new Decimal(totals.credit_applied);
  if (!applied.isZero()) {
    await recordCreditEntry(tx, change, {
      accountId: invoice.accountId, currency: invoice.currency, entryKey: `invoice:${invoice.id}:applied`, kind: 'invoice_applied',
      amount: applied.negated(), invoiceId: invoice.id, description: `Applied to invoice ${number}`,
    });
  }
  const total = new Decimal(totals.total);
  if (total.isNegative() && !total.isZero()) {
    await recordCreditEntry(tx, change, {
      accountId: invoice.accountId, currency: invoice.currency, entryKey: `invoice:${invoice.id}:negative`, kind: 'negative_invoice',
      amount: total.negated(), invoiceId: invoice.id, description: `Credit from invoice ${number} (total below zero)`,
    });
  }
  await recordChange(tx, change, { action: 'invoice.finalized', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  if (nothingDue) {
    await recordChange(tx, change, { action: 'invoice.paid', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  }
  return invoice;
}

/**
 * Voids an open or uncollectible invoice nobody has paid or credited: it
 * stays (numbers are never reused) with its charges, which are not billed
 * again; credit balance it used goes back to the account.
 */
export async function voidInvoice(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<Invoice> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  const allowed: InvoiceStatus[] = ['open', 'uncollectible'];
  if (!allowed.includes(invoice.status)) throw stateConflict(invoice, 'voiding', allowed);
  if (!new Decimal(invoice.amountPaid).isZero() || !new Decimal(invoice.creditedTotal).isZero()) {
    throw new RackrateError('invoice_state_conflict', `Invoice ${invoice.number} has payments or credit notes; credit the rest with a credit note instead of voiding.`);
  }
  const before = invoiceSummary(invoice);
  invoice.status = 'void';
  invoice.voidedAt = change.now;
  invoice.amountRemaining = '0';
  invoice.updatedAt = change.now;
  await tx.save(Invoice, invoice);
  const applied = new Decimal(invoice.creditApplied);
  if (!applied.isZero()) {
    await recordCreditEntry(tx, change, {
      accountId: invoice.accountId, currency: invoice.currency, entryKey: `invoice:${invoice.id}:void_restored`, kind: 'invoice_void_restored',
      amount: applied, invoiceId: invoice.id, description: `Restored from voided invoice ${invoice.number}`,
    });
  }
  await recordChange(tx, change, { action: 'invoice.voided', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  return invoice;
}

export async function markUncollectible(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<Invoice> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  const allowed: InvoiceStatus[] = ['open', 'partially_paid'];
  if (!allowed.includes(invoice.status)) throw stateConflict(invoice, 'marking uncollectible', allowed);
  const before = invoiceSummary(invoice);
  invoice.status = 'uncollectible';
  invoice.markedUncollectibleAt = change.now;
  invoice.updatedAt = change.now;
  await tx.save(Invoice, invoice);
  await recordChange(tx, change, { action: 'invoice.marked_uncollectible', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  return invoice;
}

export interface DraftUpdate {
  po_number?: string | null | undefined;
  memo?: string | null | undefined;
  auto_finalize?: boolean | undefined;
}

/** PO number, memo and automatic finalisation of a draft; a finalised invoice says what it said. */
export async function updateDraft(tx: EntityManager, change: ChangeContext, invoiceId: string, update: DraftUpdate): Promise<Invoice> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  if (invoice.status !== 'draft') throw new RackrateError('invoice_finalized', `Invoice ${invoice.number} is finalised; issue a credit note or void it instead.`);
  const before = invoiceSummary(invoice);
  if (update.po_number !== undefined) invoice.poNumber = update.po_number;
  if (update.memo !== undefined) invoice.memo = update.memo;
  if (update.auto_finalize !== undefined) invoice.autoFinalize = update.auto_finalize;
  invoice.document = { ...invoice.document, po_number: invoice.poNumber, memo: invoice.memo };
  invoice.revision += 1;
  invoice.updatedAt = change.now;
  await tx.save(Invoice, invoice);
  await recordChange(tx, change, { action: 'invoice.updated', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  return invoice;
}

/** Deletes a draft one-off invoice; its charges wait for the next invoice again. Cycle drafts are rebuilt, not deleted. */
export async function deleteDraft(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<void> {
  const invoice = await lockInvoice(tx, change.tenantId, invoiceId);
  if (invoice.status !== 'draft') throw new RackrateError('invoice_finalized', `Invoice ${invoice.number} is finalised; void it instead.`);
  if (invoice.kind !== 'one_off') {
    throw new RackrateError('invoice_state_conflict', `Invoice ${invoice.id} is a cycle invoice: cycle drafts are refreshed or finalised, not deleted.`);
  }
  const before = invoiceSummary(invoice);
  await tx.query(`UPDATE one_off_charges SET invoice_id = NULL WHERE tenant_id = $1 AND invoice_id = $2`, [change.tenantId, invoice.id]);
  await tx.query(`UPDATE subscription_charges SET invoice_id = NULL WHERE tenant_id = $1 AND invoice_id = $2`, [change.tenantId, invoice.id]);
  await tx.query(`DELETE FROM invoices WHERE tenant_id = $1 AND id = $2`, [change.tenantId, invoice.id]);
  await recordChange(tx, change, { action: 'invoice.deleted', resourceType: 'invoice', resourceId: invoice.id, before, after: { ...before, deleted: true } });
}
