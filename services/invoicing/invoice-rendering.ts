import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Invoice } from '../../db/entities/invoicing/invoice';
import type { CreditNote } from '../../db/entities/invoicing/credit-note';
import { renderCreditNotePdf, renderInvoiceHtml, renderInvoicePdf } from './documents';
import { invoiceGraphs } from './invoice-graphs';

/**
 * An invoice's PDF and HTML. A finalised invoice's PDF is rendered once and
 * kept (invoice_documents), so every download returns the same bytes even
 * if late samples arrive for the graphed period afterwards; a draft's is
 * rendered on every request and carries the DRAFT mark. Credit notes are
 * stored the same way.
 */
export async function invoicePdf(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<Buffer> {
  const render = async () => renderInvoicePdf({ document: invoice.document, graphs: await invoiceGraphs(tx, tenantId, invoice.document) });
  return invoice.status === 'draft' ? render() : storedOnce(tx, tenantId, 'invoice', invoice.id, render);
}

/** Credit notes are final from birth: rendered once and kept. */
export async function creditNotePdf(tx: EntityManager, tenantId: string, note: CreditNote): Promise<Buffer> {
  return storedOnce(tx, tenantId, 'credit_note', note.id, () => renderCreditNotePdf(note.document));
}

async function storedOnce(tx: EntityManager, tenantId: string, type: 'invoice' | 'credit_note', id: string, render: () => Promise<Buffer>): Promise<Buffer> {
  const stored = await storedPdf(tx, tenantId, type, id);
  if (stored) return stored;
  const pdf = await render();
  await tx.query(
    `INSERT INTO invoice_documents (tenant_id, document_type, document_id, format, content, sha256, rendered_at)
     VALUES ($1, $2, $3, 'pdf', $4, $5, now()) ON CONFLICT DO NOTHING`,
    [tenantId, type, id, pdf, createHash('sha256').update(pdf).digest('hex')],
  );
  // A concurrent first download may have stored its rendering first: everyone gets the stored bytes.
  return (await storedPdf(tx, tenantId, type, id)) ?? pdf;
}

async function storedPdf(tx: EntityManager, tenantId: string, type: 'invoice' | 'credit_note', id: string): Promise<Buffer | null> {
  const [row] = (await tx.query(
    `SELECT content FROM invoice_documents WHERE tenant_id = $1 AND document_type = $2 AND document_id = $3 AND format = 'pdf'`,
    [tenantId, type, id],
  )) as Array<{ content: Buffer }>;
  return row?.content ?? null;
}

export async function invoiceHtml(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<string> {
  return renderInvoiceHtml({ document: invoice.document, graphs: await invoiceGraphs(tx, tenantId, invoice.document) });
}
