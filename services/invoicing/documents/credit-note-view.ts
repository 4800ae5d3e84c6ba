import type { CreditNoteDocument } from '../../../domain/invoicing/invoice-document';
import { documentFormat, type DocumentFormat } from './format';
import type { TotalRow } from './invoice-view';
import { labelsFor, type Labels } from './labels';
import { brandOf, customerView, sellerView, type BrandView, type LabelledValue, type PartyView } from './view-common';

/** The credit note as printed (PDF and HTML), formatted once like the invoice view. */
export interface CreditNoteLineView {
  description: string;
  tax: string;
  amount: string;
}

export interface CreditNoteView {
  labels: Labels;
  format: DocumentFormat;
  brand: BrandView;
  title: string;
  reference: string;
  seller: PartyView;
  customer: PartyView;
  meta: LabelledValue[];
  total: { label: string; amount: string; outcome: string };
  reason: LabelledValue;
  memo: string | null;
  lines: CreditNoteLineView[];
  totals: TotalRow[];
  footer: string | null;
}

export function creditNoteView(document: CreditNoteDocument): CreditNoteView {
  const format = documentFormat(document.locale, document.currency, document.timezone);
  const labels = labelsFor(document.locale);
  return {
    labels,
    format,
    brand: brandOf(document.seller),
    title: labels.creditNote,
    reference: `${labels.creditNote} ${document.number}`,
    seller: sellerView(document.seller, document.locale, document.customer.billing_address?.country ?? null),
    customer: customerView(document.customer, document.locale, document.seller.address?.country ?? null),
    meta: [
      { label: labels.creditNoteNumber, value: document.number },
      { label: labels.forInvoice, value: document.invoice_number },
      { label: labels.issueDate, value: format.date(document.issued_at) },
    ],
    total: { label: labels.creditedTotal, amount: format.money(document.total), outcome: labels.outcome[document.outcome] },
    reason: { label: labels.reason, value: document.reason },
    memo: document.memo,
    lines: document.lines.map((line) => ({ description: line.description, tax: format.money(line.tax_amount), amount: format.money(line.amount) })),
    totals: [
      { label: labels.subtotal, value: format.money(document.subtotal), strong: false },
      { label: labels.taxTotal, value: format.money(document.tax_total), strong: false },
      { label: labels.creditedTotal, value: format.money(document.total), strong: true },
    ],
    footer: document.seller.footer,
  };
}
