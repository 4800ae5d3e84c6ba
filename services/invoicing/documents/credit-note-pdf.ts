import type { CreditNoteDocument } from '../../../domain/invoicing/invoice-document';
import { creditNoteView, type CreditNoteView } from './credit-note-view';
import { paperFor } from './format';
import { BODY, drawCustomer, drawFirstPageHeader, drawRunningHeader, LABEL } from './pdf-blocks';
import { PdfFlow, RULE } from './pdf-page';
import { drawTotals } from './pdf-summary';

/** The credit note PDF: the invoice's branding and header, the reason and outcome, the credited lines and totals. */
const PAD = 4;

function drawTotalBox(flow: PdfFlow, view: CreditNoteView, top: number): number {
  const width = 200;
  const x = flow.right - width;
  const white = (size: number, bold = false) => ({ size, bold, color: '#ffffff' });
  const outcome = flow.text.wrap(view.total.outcome, white(8), width - 24);
  const height = 42 + outcome.length * flow.text.lineHeight(white(8)) + 6;
  flow.doc.roundedRect(x, top, width, height, 4).fill(view.brand.primary);
  flow.text.line(view.total.label.toUpperCase(), x + 12, top + 8, white(7.5, true));
  flow.text.line(view.total.amount, x + 12, top + 20, white(17, true));
  outcome.forEach((line, i) => flow.text.line(line, x + 12, top + 44 + i * flow.text.lineHeight(white(8)), white(8)));
  return top + height;
}

function drawLines(flow: PdfFlow, view: CreditNoteView): void {
  const amountWidth = 90;
  const taxWidth = 90;
  const descriptionWidth = flow.width - amountWidth - taxWidth;
  const taxX = flow.left + descriptionWidth;
  const amountX = taxX + taxWidth;
  const header = () => {
    const style = { size: 7.5, bold: true, color: '#ffffff' };
    flow.doc.rect(flow.left, flow.y, flow.width, 18).fill(view.brand.primary);
    flow.text.line(view.labels.description, flow.left + PAD, flow.y + 4, style);
    flow.text.line(view.labels.tax, taxX, flow.y + 4, style, 'right', taxWidth - PAD);
    flow.text.line(view.labels.amount, amountX, flow.y + 4, style, 'right', amountWidth - PAD);
    flow.y += 18;
  };
  flow.ensure(60);
  header();
  flow.continuation = header;
  for (const line of view.lines) {
    const height = flow.text.height(line.description, BODY, descriptionWidth - 2 * PAD) + 2 * PAD;
    flow.ensure(height);
    flow.text.block(line.description, flow.left + PAD, flow.y + PAD, descriptionWidth - 2 * PAD, BODY);
    flow.text.line(line.tax, taxX, flow.y + PAD, BODY, 'right', taxWidth - PAD);
    flow.text.line(line.amount, amountX, flow.y + PAD, BODY, 'right', amountWidth - PAD);
    flow.y += height;
    flow.doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(0.5).strokeColor(RULE).stroke();
  }
  flow.continuation = null;
  flow.y += 10;
}

export async function renderCreditNotePdf(document: CreditNoteDocument): Promise<Buffer> {
  const view = creditNoteView(document);
  const flow = new PdfFlow(
    {
      paper: paperFor(document.locale),
      title: view.reference,
      author: document.seller.legal_name ?? document.seller.name,
      subject: `${view.reference} — ${document.customer.name}`,
      createdAt: new Date(document.issued_at),
      language: document.locale,
    },
    {
      watermark: null,
      footer: view.footer,
      reference: view.reference,
      pageLabel: view.labels.page,
      runningHeader: (f) => drawRunningHeader(f, view.brand, view.seller.name, `${view.reference} · ${view.customer.name}`),
    },
  );
  drawFirstPageHeader(flow, { brand: view.brand, title: view.title, badge: null, seller: view.seller, meta: view.meta });
  const top = flow.y;
  const customerBottom = drawCustomer(flow, view.labels.billTo, view.customer, flow.width - 224);
  flow.y = Math.max(customerBottom, drawTotalBox(flow, view, top)) + 14;
  flow.text.line(view.reason.label.toUpperCase(), flow.left, flow.y, LABEL);
  flow.y += flow.text.lineHeight(LABEL);
  flow.paragraph(view.reason.value, BODY, 6);
  if (view.memo) flow.paragraph(view.memo, { ...BODY, color: '#444444' }, 10);
  drawLines(flow, view);
  const rightX = flow.left + flow.width * 0.58;
  flow.ensure(80);
  flow.y += drawTotals(flow, view.totals, view.brand, rightX, flow.y, flow.right - rightX) + 10;
  return flow.finish();
}
