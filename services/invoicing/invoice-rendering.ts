import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Invoice } from '../../db/entities/invoicing/invoice';
import { renderInvoiceHtml } from './documents/invoice-html';
import { renderInvoicePdf } from './documents/invoice-pdf';
import { invoiceGraphs } from './invoice-graphs';

/**
 * An invoice's PDF and HTML. A finalised invoice's PDF is rendered once and
 * kept (invoice_documents), so every download returns the same bytes even
 * if late samples arrive for the graphed period afterwards; a draft's is
 * rendered on every request and carries the DRAFT mark.
 */
export async function invoicePdf(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<Buffer> {
  const frozen = invoice.status !== 'draft';
  if (frozen) {
    const stored = await storedPdf(tx, tenantId, invoice.id);
    if (stored) return stored;
  }
  const pdf = await renderInvoicePdf({ document: invoice.document, graphs: await invoiceGraphs(tx, tenantId, invoice.document) });
  if (!frozen) return pdf;
  await tx.query(
    `INSERT INTO invoice_documents (tenant_id, document_type, document_id, format, content, sha256, rendered_at)
     VALUES ($1, 'invoice', $2, 'pdf', $3, $4, now()) ON CONFLICT DO NOTHING`,
    [tenantId, invoice.id, pdf, createHash('sha256').update(pdf).digest('hex')],
  );
  // A concurrent first download may have stored its rendering first: everyone gets the stored bytes.
  return (await storedPdf(tx, tenantId, invoice.id)) ?? pdf;
}

async function storedPdf(tx: EntityManager, tenantId: string, invoiceId: string): Promise<Buffer | null> {
  const [row] = (await tx.query(
    `SELECT content FROM invoice_documents WHERE tenant_id = $1 AND document_type = 'invoice' AND document_id = $2 AND format = 'pdf'`,
    [tenantId, invoiceId],
  )) as Array<{ content: Buffer }>;
  return row?.content ?? null;
}

export async function invoiceHtml(tx: EntityManager, tenantId: string, invoice: Invoice): Promise<string> {
  return renderInvoiceHtml({ document: invoice.document, graphs: await invoiceGraphs(tx, tenantId, invoice.document) });
}
