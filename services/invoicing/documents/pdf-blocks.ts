import type { BrandView, LabelledValue, PartyView } from './view-common';
import { GREY, type PdfFlow } from './pdf-page';
import type { TextStyle } from './pdf-text';

/**
 * Blocks the invoice and the credit note share: the first-page header
 * (logo, seller, title and key facts), the customer block, the running
 * header of later pages and label/value rows.
 */
export const BODY: TextStyle = { size: 8.5 };
export const SMALL: TextStyle = { size: 7.5, color: GREY };
export const LABEL: TextStyle = { size: 7, color: GREY, bold: true };

export interface HeaderContent {
  brand: BrandView;
  title: string;
  badge: string | null;
  seller: PartyView;
  meta: LabelledValue[];
}

const META_WIDTH = 230;

/** Logo and seller on the left, title and key facts on the right; moves the cursor below both. */
export function drawFirstPageHeader(flow: PdfFlow, content: HeaderContent): void {
  const { doc, text } = flow;
  const top = flow.y;
  let left = top;
  if (content.brand.logo) {
    doc.image(content.brand.logo.data, flow.left, top, { fit: [150, 46] });
    left += 52;
  }
  text.line(content.seller.name, flow.left, left, { size: 10.5, bold: true });
  left += text.lineHeight({ size: 10.5 });
  const sellerWidth = flow.width - META_WIDTH - 24;
  for (const line of content.seller.lines) left += text.block(line, flow.left, left, sellerWidth, SMALL);

  const metaX = flow.right - META_WIDTH;
  let right = top;
  const title = { size: 20, bold: true, color: content.brand.primary };
  text.line(content.title, metaX, right, title, 'right', META_WIDTH);
  right += text.lineHeight(title) + 2;
  if (content.badge) {
    const badge = { size: 8, bold: true, color: '#ffffff' };
    const width = text.width(content.badge, badge) + 12;
    doc.roundedRect(flow.right - width, right, width, 14, 3).fill(content.brand.accent);
    text.line(content.badge, flow.right - width, right + 1.5, badge, 'center', width);
    right += 20;
  }
  right += 4;
  for (const row of content.meta) right += drawLabelValue(flow, row, metaX, right, META_WIDTH);
  flow.y = Math.max(left, right) + 10;
  doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(1.4).strokeColor(content.brand.primary).stroke();
  flow.y += 12;
}

/** Label left, value right-aligned, on one row of `width`; returns the height. */
export function drawLabelValue(flow: PdfFlow, row: LabelledValue, x: number, top: number, width: number, strong = false): number {
  const { text } = flow;
  const valueStyle = { size: strong ? 10 : 8.5, bold: true };
  const labelStyle = { size: strong ? 9 : 8, color: strong ? '#1a1a1a' : GREY, bold: strong };
  const labelWidth = Math.min(text.width(row.label, labelStyle) + 8, width * 0.55);
  const valueLines = text.wrap(row.value, valueStyle, width - labelWidth);
  text.block(row.label, x, top, labelWidth, labelStyle);
  valueLines.forEach((line, i) => text.line(line, x + labelWidth, top + i * text.lineHeight(valueStyle), valueStyle, 'right', width - labelWidth));
  return Math.max(valueLines.length * text.lineHeight(valueStyle), text.height(row.label, labelStyle, labelWidth)) + 2;
}

/** "Bill to" with the customer on the left; returns the bottom of the block. */
export function drawCustomer(flow: PdfFlow, heading: string, customer: PartyView, width: number): number {
  const { text } = flow;
  let y = flow.y;
  text.line(heading.toUpperCase(), flow.left, y, LABEL);
  y += text.lineHeight(LABEL) + 1;
  y += text.block(customer.name, flow.left, y, width, { size: 11, bold: true });
  for (const line of customer.lines) y += text.block(line, flow.left, y, width, BODY);
  return y;
}

/** The top of pages after the first: who and which document, so a loose page is still identifiable. */
export function drawRunningHeader(flow: PdfFlow, brand: BrandView, sellerName: string, reference: string): void {
  const { text, doc } = flow;
  text.line(sellerName, flow.left, flow.y, { size: 9, bold: true, color: brand.primary });
  text.line(reference, flow.left, flow.y, { size: 8, color: GREY }, 'right', flow.width);
  flow.y += 16;
  doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(0.8).strokeColor(brand.primary).stroke();
  flow.y += 10;
}
