import { paperFor } from './format';
import { drawGraphBlock, graphBlockHeight } from './pdf-graph';
import { BODY, drawCustomer, drawFirstPageHeader, drawRunningHeader, LABEL, SMALL } from './pdf-blocks';
import { GREY, PdfFlow, RULE, tint } from './pdf-page';
import { drawRemittance, drawSummary } from './pdf-summary';
import type { TextStyle } from './pdf-text';
import { invoiceView, type GroupView, type InvoiceRenderInput, type InvoiceView, type LineView } from './invoice-view';

export type { InvoiceRenderInput } from './invoice-view';
export type { PercentileGraphSeries } from './percentile-graph';

/**
 * The invoice PDF (pdfkit). Layout: first-page header, customer and amount
 * due, the line table grouped per account (header row and group heading
 * repeated after a page break), each bandwidth line's evidence graph, tax
 * summary and totals, remittance, and "Page n of m" on every page.
 */
const PAD = 3.5;
const DETAIL: TextStyle = { size: 7, color: GREY };
const INDENT = 10;
const SUBTOTAL_HEIGHT = 26;

interface Column {
  x: number;
  width: number;
}

interface Columns {
  description: Column;
  period: Column;
  quantity: Column;
  unitPrice: Column;
  amount: Column;
}

function columnsOf(flow: PdfFlow): Columns {
  const amount = 78;
  const unitPrice = 70;
  const quantity = 52;
  const period = 104;
  const description = flow.width - amount - unitPrice - quantity - period;
  let x = flow.left;
  const next = (width: number): Column => {
    const column = { x, width };
    x += width;
    return column;
  };
  return { description: next(description), period: next(period), quantity: next(quantity), unitPrice: next(unitPrice), amount: next(amount) };
}

class InvoiceTable {
  private readonly columns: Columns;
  private group: GroupView | null = null;

  constructor(private readonly flow: PdfFlow, private readonly view: InvoiceView) {
    this.columns = columnsOf(flow);
  }

  draw(): void {
    this.flow.ensure(60);
    this.header();
    this.flow.continuation = () => {
      this.header();
      if (this.group?.heading) this.groupHeading(this.group, true);
    };
    for (const group of this.view.groups) {
      // A break before the heading repeats only the table header: the group starts on the new page.
      this.group = null;
      if (group.heading) {
        const first = group.lines[0];
        this.flow.ensure(20 + (first ? this.rowHeight(first) : 0));
        this.groupHeading(group, false);
      }
      this.group = group;
      // The last line keeps its group's subtotal on its page.
      group.lines.forEach((line, i) => this.line(line, i === group.lines.length - 1 && group.subtotal ? SUBTOTAL_HEIGHT : 0));
      if (group.subtotal) this.subtotal(group);
    }
    this.group = null;
    this.flow.continuation = null;
    this.flow.y += 10;
  }

  private cell(text: string, column: Column, top: number, style: TextStyle, align: 'left' | 'right'): number {
    return this.flow.text.block(text, column.x + PAD, top, column.width - 2 * PAD, style, align);
  }

  private header(): void {
    const { flow, view, columns } = this;
    const style = { size: 7.5, bold: true, color: '#ffffff' };
    flow.doc.rect(flow.left, flow.y, flow.width, 18).fill(view.brand.primary);
    const top = flow.y + 4;
    const labels = view.labels;
    this.cell(labels.description, columns.description, top, style, 'left');
    this.cell(labels.servicePeriod, columns.period, top, style, 'left');
    this.cell(labels.quantity, columns.quantity, top, style, 'right');
    this.cell(labels.unitPrice, columns.unitPrice, top, style, 'right');
    this.cell(labels.amount, columns.amount, top, style, 'right');
    flow.y += 18;
  }

  private groupHeading(group: GroupView, continued: boolean): void {
    const { flow, view } = this;
    const style = { size: 8.5, bold: true, color: view.brand.primary };
    const indent = PAD + group.depth * 12;
    const heading = continued ? `${group.heading} (${view.labels.continued})` : (group.heading ?? '');
    const height = flow.text.height(heading, style, flow.width - indent - PAD) + 8;
    flow.doc.rect(flow.left, flow.y, flow.width, height).fill(tint(view.brand.primary, 0.9));
    flow.doc.rect(flow.left, flow.y, 2.5 + group.depth, height).fill(view.brand.primary);
    flow.text.block(heading, flow.left + indent + 2, flow.y + 4, flow.width - indent - PAD, style);
    flow.y += height;
  }

  private detailWidth(): number {
    const c = this.columns;
    return c.amount.x - c.description.x - 2 * PAD - INDENT;
  }

  private mainHeight(line: LineView): number {
    const { text } = this.flow;
    const c = this.columns;
    // Figures wrap only when enormous; the row still grows to hold them.
    const figures: Array<[string, Column]> = [[line.quantity, c.quantity], [line.unitPrice, c.unitPrice], [line.amount, c.amount]];
    return (
      Math.max(
        text.height(line.description, BODY, c.description.width - 2 * PAD),
        line.period ? text.height(line.period, SMALL, c.period.width - 2 * PAD) : 0,
        ...figures.map(([value, column]) => text.height(value, BODY, column.width - 2 * PAD)),
      ) +
      2 * PAD
    );
  }

  private rowHeight(line: LineView): number {
    const details = [...line.details, ...line.taxes];
    const detailHeight = details.reduce((h, d) => h + this.flow.text.height(d.text, DETAIL, this.detailWidth()), 0);
    return this.mainHeight(line) + detailHeight + (details.length > 0 ? PAD : 0);
  }

  private line(line: LineView, keepWith: number): void {
    const { flow, columns: c } = this;
    flow.ensure(this.rowHeight(line) + (line.percentile ? 0 : keepWith));
    const top = flow.y + PAD;
    const amountStyle = line.credit ? { ...BODY, color: '#b3261e' } : BODY;
    this.cell(line.description, c.description, top, BODY, 'left');
    if (line.period) this.cell(line.period, c.period, top + 0.8, SMALL, 'left');
    this.cell(line.quantity, c.quantity, top, BODY, 'right');
    this.cell(line.unitPrice, c.unitPrice, top, BODY, 'right');
    this.cell(line.amount, c.amount, top, amountStyle, 'right');
    flow.y += this.mainHeight(line);
    for (const detail of [...line.details, ...line.taxes]) {
      const height = flow.text.block(detail.text, c.description.x + PAD + INDENT, flow.y, this.detailWidth(), DETAIL);
      if (detail.amount) this.cell(detail.amount, c.amount, flow.y, DETAIL, 'right');
      flow.y += height;
    }
    if (line.details.length + line.taxes.length > 0) flow.y += PAD;
    if (line.percentile) {
      const x = c.description.x + PAD + INDENT;
      const width = flow.right - PAD - x;
      flow.ensure(graphBlockHeight(line.percentile, flow.text, width) + 4);
      flow.y += drawGraphBlock(flow.doc, flow.text, line.percentile, this.view.format, x, flow.y + 2, width) + 2;
    }
    flow.doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  private subtotal(group: GroupView): void {
    const { flow, columns: c } = this;
    const row = group.subtotal;
    if (!row) return;
    flow.ensure(20);
    const style = { size: 8.5, bold: true };
    const labelWidth = c.amount.x - c.description.x - PAD;
    flow.text.block(row.label, c.description.x, flow.y + 5, labelWidth - PAD, style, 'right');
    this.cell(row.value, c.amount, flow.y + 5, style, 'right');
    flow.y += flow.text.height(row.label, style, labelWidth - PAD) + 10;
    flow.doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(0.8).strokeColor(this.view.brand.primary).stroke();
    flow.y += 6;
  }
}

function drawCustomerAndAmountDue(flow: PdfFlow, view: InvoiceView): void {
  const boxWidth = 200;
  const top = flow.y;
  const bottom = drawCustomer(flow, view.labels.billTo, view.customer, flow.width - boxWidth - 24);
  const x = flow.right - boxWidth;
  const white = (size: number, bold = false) => ({ size, bold, color: '#ffffff' });
  const height = view.amountDue.note ? 62 : 48;
  flow.doc.roundedRect(x, top, boxWidth, height, 4).fill(view.brand.primary);
  flow.text.line(view.amountDue.label.toUpperCase(), x + 12, top + 8, white(7.5, true));
  flow.text.line(view.amountDue.amount, x + 12, top + 20, white(17, true));
  if (view.amountDue.note) flow.text.line(view.amountDue.note, x + 12, top + 44, white(8));
  flow.y = Math.max(bottom, top + height) + 14;
  if (view.memo) {
    flow.text.line(view.labels.memo.toUpperCase(), flow.left, flow.y, LABEL);
    flow.y += flow.text.lineHeight(LABEL);
    flow.paragraph(view.memo, BODY, 10);
  }
}

export async function renderInvoicePdf(input: InvoiceRenderInput): Promise<Buffer> {
  const view = invoiceView(input);
  const document = input.document;
  const flow = new PdfFlow(
    {
      paper: paperFor(document.locale),
      title: view.reference,
      author: document.seller.legal_name ?? document.seller.name,
      subject: `${view.reference} — ${document.customer.name}`,
      // Never the clock: the document's own instants, so a re-render is byte-identical.
      createdAt: new Date(document.issued_at ?? document.period?.end ?? '2000-01-01T00:00:00Z'),
      language: document.locale,
    },
    {
      watermark: view.watermark,
      footer: view.footer,
      reference: view.reference,
      pageLabel: view.labels.page,
      runningHeader: (f) => drawRunningHeader(f, view.brand, view.seller.name, `${view.reference} · ${view.customer.name}`),
    },
  );
  drawFirstPageHeader(flow, { brand: view.brand, title: view.title, badge: view.badge, seller: view.seller, meta: view.meta });
  drawCustomerAndAmountDue(flow, view);
  new InvoiceTable(flow, view).draw();
  drawSummary(flow, view);
  drawRemittance(flow, view);
  return flow.finish();
}
