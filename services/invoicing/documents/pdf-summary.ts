import type { InvoiceView, RemittanceView, TotalRow } from './invoice-view';
import { drawLabelValue, LABEL } from './pdf-blocks';
import { GREY, RULE, tint, type PdfFlow } from './pdf-page';
import type { TextStyle } from './pdf-text';
import type { BrandView } from './view-common';

/** The end of the invoice: tax summary and notes beside the totals, then how to pay. */
const CELL: TextStyle = { size: 7.5 };
const HEAD: TextStyle = { size: 7, bold: true, color: GREY };
const VALUE: TextStyle = { size: 7.5 };

function totalsHeight(flow: PdfFlow, rows: TotalRow[]): number {
  return rows.reduce((h, row) => h + (row.strong ? 8 : 0) + flow.text.lineHeight({ size: row.strong ? 10 : 8.5 }) + 2, 0);
}

/** Totals rows in a column; strong rows get a rule above, the last strong row a band. Returns the height. */
export function drawTotals(flow: PdfFlow, rows: TotalRow[], brand: BrandView, x: number, top: number, width: number): number {
  let y = top;
  const lastStrong = rows.map((r) => r.strong).lastIndexOf(true);
  rows.forEach((row, i) => {
    if (row.strong) {
      flow.doc.moveTo(x, y + 2).lineTo(x + width, y + 2).lineWidth(0.6).strokeColor(RULE).stroke();
      y += 4;
      if (i === lastStrong) flow.doc.rect(x, y - 1, width, flow.text.lineHeight({ size: 10 }) + 5).fill(tint(brand.primary, 0.88));
      y += 2;
    }
    y += drawLabelValue(flow, row, x + 4, y + (row.strong ? 1 : 0), width - 8, row.strong);
    if (row.strong) y += 2;
  });
  return y - top;
}

/** Lays out (and, with `draw`, draws) the tax summary table and tax notes; returns the height. */
function taxBlock(flow: PdfFlow, view: InvoiceView, x: number, top: number, width: number, draw: boolean): number {
  const { text } = flow;
  let y = top;
  if (view.taxRows.length > 0) {
    if (draw) text.line(view.labels.taxSummary.toUpperCase(), x, y, LABEL);
    y += text.lineHeight(LABEL) + 3;
    const widths = [0.36, 0.26, 0.2, 0.18].map((share) => share * width);
    const columnX = widths.map((_, i) => x + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const row = (values: string[], style: TextStyle) => {
      const heights = values.map((value, i) => {
        const cellWidth = (widths[i] ?? 0) - 4;
        if (draw) text.block(value, (columnX[i] ?? x) + 2, y, cellWidth, style, i >= 2 ? 'right' : 'left');
        return text.height(value, style, cellWidth);
      });
      y += Math.max(...heights) + 2;
    };
    row([view.labels.taxRate, view.labels.jurisdiction, view.labels.taxableAmount, view.labels.tax], HEAD);
    if (draw) flow.doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
    y += 3;
    for (const tax of view.taxRows) row([tax.rate, tax.jurisdiction, tax.taxable, tax.amount], CELL);
    y += 6;
  }
  const note = { ...CELL, bold: true };
  for (const line of view.taxNotes) y += (draw ? text.block(line, x, y, width, note) : text.height(line, note, width)) + 3;
  return y - top;
}

export function drawSummary(flow: PdfFlow, view: InvoiceView): void {
  const leftWidth = flow.width * 0.54;
  const rightX = flow.left + flow.width * 0.58;
  const rightWidth = flow.right - rightX;
  const taxHeight = taxBlock(flow, view, flow.left, 0, leftWidth, false);
  flow.ensure(Math.max(taxHeight, totalsHeight(flow, view.totals)) + 10);
  const top = flow.y;
  taxBlock(flow, view, flow.left, top, leftWidth, true);
  const used = drawTotals(flow, view.totals, view.brand, rightX, top, rightWidth);
  flow.y = top + Math.max(used, taxHeight) + 16;
}

type Method = RemittanceView['methods'][number];

/** Label and value side by side in a method's column; returns the height (drawn when `draw`). */
function methodBlock(flow: PdfFlow, method: Method, x: number, top: number, width: number, draw: boolean): number {
  const { text } = flow;
  const title = { size: 8.5, bold: true };
  let y = top;
  if (draw) text.line(method.title, x, y, title);
  y += text.lineHeight(title) + 1;
  const labelWidth = Math.min(Math.max(...method.rows.map((row) => text.width(row.label, LABEL))) + 6, width * 0.45);
  for (const row of method.rows) {
    if (draw) {
      text.block(row.label, x, y + 0.8, labelWidth - 4, LABEL);
      text.block(row.value, x + labelWidth, y, width - labelWidth, VALUE);
    }
    y += Math.max(text.height(row.label, LABEL, labelWidth - 4), text.height(row.value, VALUE, width - labelWidth));
  }
  return y - top;
}

export function drawRemittance(flow: PdfFlow, view: InvoiceView): void {
  const remittance = view.remittance;
  if (!remittance) return;
  const { text, doc } = flow;
  const inner = flow.width - 20;
  const gap = 16;
  const count = Math.max(1, remittance.methods.length);
  const columnWidth = (inner - (count - 1) * gap) / count;
  const methods = Math.max(0, ...remittance.methods.map((m) => methodBlock(flow, m, 0, 0, columnWidth, false)));
  const notes = remittance.notes.reduce((h, note) => h + text.height(note, VALUE, inner) + 1, 0);
  const heading = { size: 10, bold: true, color: view.brand.primary };
  const height = 8 + text.lineHeight(heading) + 2 + methods + 5 + notes + 6;
  flow.ensure(height);
  const top = flow.y;
  doc.roundedRect(flow.left, top, flow.width, height, 4).fill(tint(view.brand.primary, 0.95));
  doc.roundedRect(flow.left, top, flow.width, height, 4).lineWidth(0.6).strokeColor(tint(view.brand.primary, 0.6)).stroke();
  let y = top + 8;
  text.line(view.labels.howToPay, flow.left + 10, y, heading);
  y += text.lineHeight(heading) + 2;
  remittance.methods.forEach((method, i) => methodBlock(flow, method, flow.left + 10 + i * (columnWidth + gap), y, columnWidth, true));
  y += methods + 5;
  for (const note of remittance.notes) y += text.block(note, flow.left + 10, y, inner, VALUE) + 1;
  flow.y = top + height + 10;
}
