/** Invoice and credit-note documents: PDF and HTML renderings of domain/invoicing/invoice-document.ts. */
export { renderCreditNoteHtml } from './credit-note-html';
export { renderCreditNotePdf } from './credit-note-pdf';
export { renderInvoiceHtml } from './invoice-html';
export { renderInvoicePdf } from './invoice-pdf';
export type { InvoiceRenderInput } from './invoice-view';
export type { PercentileGraphSeries } from './percentile-graph';
