import type { CreditNoteDocument } from '../../../domain/invoicing/invoice-document';
import { creditNoteView } from './credit-note-view';
import { customerHtml, escapeHtml as e, footerHtml, headerHtml, htmlPage, totalsHtml } from './html';

/** The credit note as one self-contained HTML page, from the same view as its PDF. */
export function renderCreditNoteHtml(document: CreditNoteDocument): string {
  const view = creditNoteView(document);
  const l = view.labels;
  const rows = view.lines
    .map((line) => `<tr class="line"><td>${e(line.description)}</td><td class="num">${e(line.tax)}</td><td class="num">${e(line.amount)}</td></tr>`)
    .join('');
  const body =
    headerHtml({ brand: view.brand, seller: view.seller, title: view.title, badge: null, meta: view.meta }) +
    `<section class="parties">${customerHtml(l.billTo, view.customer)}` +
    `<div class="amount-due"><p class="label">${e(view.total.label)}</p><div class="amount">${e(view.total.amount)}</div><div>${e(view.total.outcome)}</div></div></section>` +
    `<p class="memo"><span class="label">${e(view.reason.label)}</span><br>${e(view.reason.value)}</p>` +
    (view.memo ? `<p class="memo">${e(view.memo)}</p>` : '') +
    `<table class="lines"><thead><tr><th scope="col">${e(l.description)}</th><th scope="col" class="num">${e(l.tax)}</th><th scope="col" class="num">${e(l.amount)}</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<section class="summary"><div class="taxes"></div>${totalsHtml(view.totals)}</section>` +
    footerHtml(view.footer);
  return htmlPage({ lang: document.locale, title: `${view.reference} — ${document.customer.name}`, brand: view.brand, watermark: null, body });
}
