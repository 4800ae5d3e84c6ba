import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CreditNote } from '../../db/entities/invoicing/credit-note';
import type { Invoice } from '../../db/entities/invoicing/invoice';
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { renderCreditNotePdf, renderInvoiceHtml, renderInvoicePdf, type PercentileGraphSeries } from './documents';
import { invoiceGraphs } from './invoice-graphs';

/**
 * An invoice's PDF and HTML. What a finalised invoice says is frozen
 * (`invoice.document`); what happened to it since — paid, credited, void —
 * is not, so every rendering shows the frozen content with the row's status
 * and payment figures. The samples behind its bandwidth graphs are kept at
 * the first rendering after finalisation, so a late sample never redraws an
 * issued invoice; the PDF is kept too and rendered again only when the
 * status or the figures moved (rendering is deterministic: same inputs, same
 * bytes). A draft is rendered fresh every time, with its DRAFT mark.
 */
type DocumentType = 'invoice' | 'credit_note';

export function currentDocument(invoice: Invoice): InvoiceDocument {
  const figure = (value: string) => money(new Decimal(value), invoice.currency);
  return {
    ...invoice.document,
    status: invoice.status,
    totals: {
      ...invoice.document.totals,
      amount_paid: figure(invoice.amountPaid),
      amount_remaining: figure(invoice.amountRemaining),
      credited_total: figure(invoice.creditedTotal),
    },
  };
}

async function graphsOf(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<Record<string, PercentileGraphSeries>> {
  if (invoice.status === 'draft') return invoiceGraphs(tx, tenantId, invoice.document);
  const stored = await storedContent(tx, tenantId, 'invoice', invoice.id, 'graphs');
  if (stored) return JSON.parse(stored.content.toString('utf8')) as Record<string, PercentileGraphSeries>;
  const graphs = await invoiceGraphs(tx, tenantId, invoice.document);
  const content = Buffer.from(JSON.stringify(graphs));
  await store(tx, tenantId, 'invoice', invoice.id, 'graphs', '', content, false);
  // A concurrent first rendering may have stored its samples first: everyone draws those.
  const kept = await storedContent(tx, tenantId, 'invoice', invoice.id, 'graphs');
  return kept ? (JSON.parse(kept.content.toString('utf8')) as Record<string, PercentileGraphSeries>) : graphs;
}

function variantOf(invoice: Invoice): string {
  return [invoice.status, invoice.amountPaid, invoice.amountRemaining, invoice.creditedTotal].map((v) => String(v)).join('|');
}

export async function invoicePdf(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<Buffer> {
  const render = async () => renderInvoicePdf({ document: currentDocument(invoice), graphs: await graphsOf(tx, tenantId, invoice) });
  if (invoice.status === 'draft') return render();
  const variant = variantOf(invoice);
  const stored = await storedContent(tx, tenantId, 'invoice', invoice.id, 'pdf');
  if (stored?.variant === variant) return stored.content;
  const pdf = await render();
  await store(tx, tenantId, 'invoice', invoice.id, 'pdf', variant, pdf, true);
  return pdf;
}

export async function invoiceHtml(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<string> {
  return renderInvoiceHtml({ document: currentDocument(invoice), graphs: await graphsOf(tx, tenantId, invoice) });
}

/** Credit notes never change after issue: rendered once and kept. */
export async function creditNotePdf(tx: EntityManager, tenantId: string, note: CreditNote): Promise<Buffer> {
  const stored = await storedContent(tx, tenantId, 'credit_note', note.id, 'pdf');
  if (stored) return stored.content;
  const pdf = await renderCreditNotePdf(note.document);
  await store(tx, tenantId, 'credit_note', note.id, 'pdf', '', pdf, false);
  return (await storedContent(tx, tenantId, 'credit_note', note.id, 'pdf'))?.content ?? pdf;
}

async function store(tx: EntityManager, tenantId: string, type: DocumentType, id: string, format: 'pdf' | 'graphs', variant: string, content: Buffer, replace: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO invoice_documents (tenant_id, document_type, document_id, format, variant, content, sha256, rendered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (tenant_id, document_type, document_id, format) DO ${replace
       ? 'UPDATE SET variant = EXCLUDED.variant, content = EXCLUDED.content, sha256 = EXCLUDED.sha256, rendered_at = EXCLUDED.rendered_at'
       : 'NOTHING'}`,
    [tenantId, type, id, format, variant, content, createHash('sha256').update(content).digest('hex')],
  );
}

async function storedContent(tx: EntityManager, tenantId: string, type: DocumentType, id: string, format: 'pdf' | 'graphs'): Promise<{ content: Buffer; variant: string } | null> {
  const [row] = (await tx.query(
    `SELECT content, variant FROM invoice_documents WHERE tenant_id = $1 AND document_type = $2 AND document_id = $3 AND format = $4`,
    [tenantId, type, id, format],
  )) as Array<{ content: Buffer; variant: string }>;
  return row ?? null;
}
