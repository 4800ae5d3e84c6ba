import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Invoice } from '../../db/entities/invoicing/invoice';
import { Tenant } from '../../db/entities/tenant';
import type { InvoiceLine } from '../../domain/invoicing/invoice-document';
import { Decimal, sum } from '../../domain/money/decimal';
import { canonicalJson } from '../../lib/canonical-json';
import { uuidv7 } from '../../lib/ids';
import { notFound, RackrateError } from '../../lib/errors';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { closeOverdueUsage, rerateDraftUsage } from './draft-usage';
import { buildInvoice, type BuiltInvoice, type InvoiceHeader } from './invoice-builder';
import { invoiceSummary } from './invoice-representation';
import { loadBillingGroup } from './invoice-sources';

/**
 * Drafts: a cycle invoice is created at its bill date from the group's
 * waiting charges and rebuilt (refreshed) until it is finalised, so charges
 * recorded during the grace period (a renewal that ran late, re-rated usage)
 * still land on it. Every write of one billing account's invoices holds a
 * transaction-scoped advisory lock on that account: a retried or concurrent
 * bill run waits, then finds the invoice the first one made.
 */
export async function lockBillingAccount(tx: EntityManager, tenantId: string, billingAccountId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`rackrate:invoice:${tenantId}:${billingAccountId}`]);
}

export function headerOf(invoice: Invoice): InvoiceHeader {
  return {
    id: invoice.id,
    status: invoice.status,
    number: invoice.number,
    currency: invoice.currency,
    billingAccountId: invoice.accountId,
    billDate: invoice.billDate,
    period: invoice.periodStart && invoice.periodEnd ? { start: invoice.periodStart, end: invoice.periodEnd } : null,
    issuedAt: invoice.issuedAt,
    dueAt: invoice.dueAt,
    poNumber: invoice.poNumber,
    memo: invoice.memo,
  };
}

/** Copies what a build says onto the row: figures and document. */
export function applyBuilt(invoice: Invoice, built: BuiltInvoice): void {
  const t = built.document.totals;
  invoice.subtotal = t.subtotal;
  invoice.discountTotal = t.discount_total;
  invoice.taxTotal = t.tax_total;
  invoice.taxIncluded = t.tax_included;
  invoice.total = t.total;
  invoice.creditApplied = t.credit_applied;
  invoice.amountDue = t.amount_due;
  invoice.amountPaid = t.amount_paid;
  invoice.amountRemaining = t.amount_remaining;
  invoice.creditedTotal = t.credited_total;
  invoice.document = built.document;
}

/**
 * Replaces the draft's lines with the build's and claims its charges. A
 * claim that finds a charge already on another invoice fails the
 * transaction (the unique indexes on invoice_lines would too): a charge is
 * on exactly one invoice.
 */
export async function saveLines(tx: EntityManager, invoice: Invoice, built: BuiltInvoice): Promise<void> {
  const { tenantId, id } = invoice;
  await tx.query(`DELETE FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2`, [tenantId, id]);
  const lines: InvoiceLine[] = built.document.groups.flatMap((g) => g.lines);
  if (lines.length > 0) {
    const source = (key: string, prefix: string): string | null => (key.startsWith(prefix) ? key.slice(prefix.length) : null);
    await tx.query(
      `INSERT INTO invoice_lines (tenant_id, invoice_id, line_key, position, account_id, subscription_id, kind, subscription_charge_id,
         one_off_charge_id, product_code, description, period_start, period_end, quantity, unit_price, amount, tax_amount, line)
       SELECT $1, $2, k, p, a::uuid, s::uuid, kd, sc::uuid, oc::uuid, pc, d, ps::timestamptz, pe::timestamptz, q::numeric, u::numeric, am::numeric, ta::numeric, l::jsonb
         FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
           AS t(k, p, a, s, kd, sc, oc, pc, d, ps, pe, q, u, am, ta, l)`,
      [
        tenantId, id,
        lines.map((l) => l.key), lines.map((_, i) => i + 1), lines.map((l) => l.account_id), lines.map((l) => l.subscription_id),
        lines.map((l) => l.kind), lines.map((l) => source(l.key, 'charge:')), lines.map((l) => source(l.key, 'one_off:')),
        lines.map((l) => l.product_code), lines.map((l) => l.description), lines.map((l) => l.period_start), lines.map((l) => l.period_end),
        lines.map((l) => l.quantity), lines.map((l) => l.unit_price), lines.map((l) => l.amount),
        lines.map((l) => sum(l.taxes.map((t) => new Decimal(t.amount))).toFixed()),
        lines.map((l) => JSON.stringify(l)),
      ],
    );
  }
  await claim(tx, 'subscription_charges', tenantId, id, built.sources.subscriptionChargeIds);
  await claim(tx, 'one_off_charges', tenantId, id, built.sources.oneOffChargeIds);
}

async function claim(tx: EntityManager, table: 'subscription_charges' | 'one_off_charges', tenantId: string, invoiceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const [, claimed] = (await tx.query(
    `UPDATE ${table} SET invoice_id = $2 WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND (invoice_id IS NULL OR invoice_id = $2)`,
    [tenantId, invoiceId, ids],
  )) as [unknown, number];
  if (claimed !== ids.length) throw new Error(`${ids.length - claimed} ${table} rows were claimed by another invoice while drafting ${invoiceId}; retry`);
}

export interface CycleDraftRequest {
  billingAccountId: string;
  /** The bill date the invoice closes (a cycle boundary). */
  billDate: Date;
  /** The cycle that ends at the bill date. */
  periodStart: Date;
}

/**
 * The cycle invoice of a billing account for a bill date: created as a draft
 * when charges are waiting, refreshed when it is still a draft, returned
 * unchanged once finalised. Null when there is nothing to bill. Safe to
 * repeat: the invoice's identity is (billing account, bill date).
 */
export async function draftCycleInvoice(tx: EntityManager, change: ChangeContext, request: CycleDraftRequest): Promise<Invoice | null> {
  const { tenantId } = change;
  await lockBillingAccount(tx, tenantId, request.billingAccountId);
  const cycleKey = request.billDate.toISOString();
  const existing = await tx.findOneBy(Invoice, { tenantId, accountId: request.billingAccountId, cycleKey });
  if (existing) return existing.status === 'draft' ? refreshDraft(tx, change, existing) : existing;

  const account = await tx.findOneBy(Account, { tenantId, id: request.billingAccountId });
  const tenant = await tx.findOneBy(Tenant, { id: tenantId });
  if (!account) throw notFound('account', request.billingAccountId);
  if (!tenant) throw notFound('tenant', tenantId);
  const members = await loadBillingGroup(tx, tenantId, account.id);
  await closeOverdueUsage(tx, tenantId, members.map((m) => m.id), request.billDate, change.now);
  const invoice = tx.create(Invoice, {
    tenantId,
    id: uuidv7(change.now.getTime()),
    accountId: account.id,
    kind: 'cycle',
    cycleKey,
    number: null,
    sequenceValue: null,
    status: 'draft',
    currency: account.currency,
    periodStart: request.periodStart,
    periodEnd: request.billDate,
    billDate: request.billDate,
    graceEndsAt: new Date(request.billDate.getTime() + tenant.invoiceGracePeriodHours * 3_600_000),
    autoFinalize: true,
    issuedAt: null,
    dueAt: null,
    netTermsDays: account.netTermsDays,
    poNumber: null,
    memo: null,
    revision: 1,
    paidAt: null,
    voidedAt: null,
    markedUncollectibleAt: null,
    createdAt: change.now,
    updatedAt: change.now,
  });
  const built = await buildInvoice(tx, tenantId, headerOf(invoice), members, { existingInvoiceId: null, applyCredit: true, includePending: true });
  if (built.sources.items.length === 0) return null;
  applyBuilt(invoice, built);
  await tx.insert(Invoice, invoice);
  await saveLines(tx, invoice, built);
  await recordChange(tx, change, { action: 'invoice.created', resourceType: 'invoice', resourceId: invoice.id, before: null, after: invoiceSummary(invoice) });
  return invoice;
}

/** Rebuilds a draft from its sources: new charges land, totals and tax follow. Finalised invoices are refused. */
export async function refreshDraft(tx: EntityManager, change: ChangeContext, invoice: Invoice): Promise<Invoice> {
  if (invoice.status !== 'draft') throw new RackrateError('invoice_finalized', `Invoice ${invoice.number} is ${invoice.status}; only drafts are refreshed.`);
  const before = invoiceSummary(invoice);
  if (invoice.kind === 'cycle') await rerateDraftUsage(tx, change.tenantId, invoice.id, change.now);
  const members = await loadBillingGroup(tx, change.tenantId, invoice.accountId);
  const built = await buildInvoice(tx, change.tenantId, headerOf(invoice), members, { existingInvoiceId: invoice.id, applyCredit: true, includePending: invoice.kind === 'cycle' });
  // jsonb does not keep key order: compare canonically.
  const unchanged = canonicalJson(built.document) === canonicalJson(invoice.document);
  if (unchanged) return invoice;
  applyBuilt(invoice, built);
  invoice.revision += 1;
  invoice.updatedAt = change.now;
  await tx.save(Invoice, invoice);
  await saveLines(tx, invoice, built);
  await recordChange(tx, change, { action: 'invoice.updated', resourceType: 'invoice', resourceId: invoice.id, before, after: invoiceSummary(invoice) });
  return invoice;
}

/** The API's refresh: locks the billing account, then rebuilds the draft. */
export async function refreshInvoice(tx: EntityManager, change: ChangeContext, invoiceId: string): Promise<Invoice> {
  const found = await tx.findOneBy(Invoice, { tenantId: change.tenantId, id: invoiceId });
  if (!found) throw notFound('invoice', invoiceId);
  await lockBillingAccount(tx, change.tenantId, found.accountId);
  return refreshDraft(tx, change, await tx.findOneByOrFail(Invoice, { tenantId: change.tenantId, id: invoiceId }));
}
