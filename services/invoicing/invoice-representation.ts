import type { Invoice } from '../../db/entities/invoicing/invoice';
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';

/**
 * An invoice on the wire. The summary (lists, audit entries, events) carries
 * the header and totals; the full representation adds what the document
 * says (groups of lines, taxes, notes, seller and customer). Payment
 * figures come from the row: they move after finalisation, the document's
 * copy does not.
 */
export function invoiceSummary(invoice: Invoice) {
  const t = invoice.document.totals;
  return {
    id: invoice.id,
    object: 'invoice' as const,
    number: invoice.number,
    status: invoice.status,
    kind: invoice.kind,
    account_id: invoice.accountId,
    currency: invoice.currency,
    period: invoice.periodStart && invoice.periodEnd ? { start: invoice.periodStart.toISOString(), end: invoice.periodEnd.toISOString() } : null,
    bill_date: invoice.billDate.toISOString(),
    grace_ends_at: invoice.graceEndsAt?.toISOString() ?? null,
    auto_finalize: invoice.autoFinalize,
    issued_at: invoice.issuedAt?.toISOString() ?? null,
    due_at: invoice.dueAt?.toISOString() ?? null,
    net_terms_days: invoice.netTermsDays,
    po_number: invoice.poNumber,
    memo: invoice.memo,
    subtotal: t.subtotal,
    discount_total: t.discount_total,
    tax_total: t.tax_total,
    tax_included: t.tax_included,
    total: t.total,
    credit_applied: t.credit_applied,
    amount_due: t.amount_due,
    amount_paid: money(new Decimal(invoice.amountPaid), invoice.currency),
    amount_remaining: money(new Decimal(invoice.amountRemaining), invoice.currency),
    credited_total: money(new Decimal(invoice.creditedTotal), invoice.currency),
    line_count: invoice.document.groups.reduce((n, g) => n + g.lines.length, 0),
    revision: invoice.revision,
    paid_at: invoice.paidAt?.toISOString() ?? null,
    voided_at: invoice.voidedAt?.toISOString() ?? null,
    marked_uncollectible_at: invoice.markedUncollectibleAt?.toISOString() ?? null,
    created_at: invoice.createdAt.toISOString(),
    updated_at: invoice.updatedAt.toISOString(),
  };
}

export function invoiceRepresentation(invoice: Invoice) {
  const d: InvoiceDocument = invoice.document;
  return {
    ...invoiceSummary(invoice),
    seller: d.seller,
    customer: d.customer,
    locale: d.locale,
    timezone: d.timezone,
    groups: d.groups,
    taxes: d.taxes,
    tax_notes: d.tax_notes,
  };
}
