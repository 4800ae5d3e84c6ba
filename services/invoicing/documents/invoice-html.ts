import { customerHtml, escapeHtml, footerHtml, headerHtml, htmlPage, totalsHtml } from './html';
import { invoiceView, type GroupView, type InvoiceRenderInput, type InvoiceView, type LineView } from './invoice-view';
import { svgGraph, svgLegend } from './svg-graph';

export type { InvoiceRenderInput } from './invoice-view';

/**
 * The invoice as one self-contained, printable HTML page: the same view as
 * the PDF (invoice-view.ts), semantic tables (one tbody per account, its
 * heading a rowgroup header), inline CSS and inline SVG graphs.
 */
const e = escapeHtml;

function lineHtml(line: LineView, view: InvoiceView): string {
  const rows = [
    `<tr class="line"><td>${e(line.description)}</td><td class="period">${e(line.period)}</td><td class="num">${e(line.quantity)}</td>` +
      `<td class="num">${e(line.unitPrice)}</td><td class="num${line.credit ? ' credit' : ''}">${e(line.amount)}</td></tr>`,
  ];
  for (const detail of [...line.details, ...line.taxes]) {
    rows.push(`<tr class="detail"><td colspan="4">${e(detail.text)}</td><td class="num">${e(detail.amount ?? '')}</td></tr>`);
  }
  const p = line.percentile;
  if (p) {
    const caption = p.caption.map(e).join('<br>');
    rows.push(`<tr class="graph"><td colspan="5"><figure>${p.series ? svgLegend(p) + svgGraph(p, view.format) : ''}<figcaption>${caption}</figcaption></figure></td></tr>`);
  }
  return rows.join('');
}

function groupHtml(group: GroupView, view: InvoiceView): string {
  const heading = group.heading ? `<tr class="group-heading"><th colspan="5" scope="rowgroup" style="padding-left:${6 + group.depth * 16}px">${e(group.heading)}</th></tr>` : '';
  const subtotal = group.subtotal ? `<tr class="subtotal"><th colspan="4" scope="row">${e(group.subtotal.label)}</th><td class="num">${e(group.subtotal.value)}</td></tr>` : '';
  return `<tbody class="group">${heading}${group.lines.map((line) => lineHtml(line, view)).join('')}${subtotal}</tbody>`;
}

function taxesHtml(view: InvoiceView): string {
  const l = view.labels;
  const rows = view.taxRows
    .map((row) => `<tr><td>${e(row.rate)}</td><td>${e(row.jurisdiction)}</td><td class="num">${e(row.taxable)}</td><td class="num">${e(row.amount)}</td></tr>`)
    .join('');
  const table = view.taxRows.length
    ? `<p class="label">${e(l.taxSummary)}</p><table><thead><tr><th scope="col">${e(l.taxRate)}</th><th scope="col">${e(l.jurisdiction)}</th>` +
      `<th scope="col" class="num">${e(l.taxableAmount)}</th><th scope="col" class="num">${e(l.tax)}</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  return `<div class="taxes">${table}${view.taxNotes.map((note) => `<p class="tax-note">${e(note)}</p>`).join('')}</div>`;
}

function remittanceHtml(view: InvoiceView): string {
  const r = view.remittance;
  if (!r) return '';
  const methods = r.methods
    .map((m) => `<div><h3>${e(m.title)}</h3><dl>${m.rows.map((row) => `<dt>${e(row.label)}</dt><dd>${e(row.value)}</dd>`).join('')}</dl></div>`)
    .join('');
  return `<section class="remittance"><h2>${e(view.labels.howToPay)}</h2><div class="methods">${methods}</div>${r.notes.map((n) => `<p>${e(n)}</p>`).join('')}</section>`;
}

export function renderInvoiceHtml(input: InvoiceRenderInput): string {
  const view = invoiceView(input);
  const l = view.labels;
  const due = view.amountDue;
  const head = [l.description, l.servicePeriod, l.quantity, l.unitPrice, l.amount].map((label, i) => `<th scope="col"${i >= 2 ? ' class="num"' : ''}>${e(label)}</th>`).join('');
  const body =
    headerHtml({ brand: view.brand, seller: view.seller, title: view.title, badge: view.badge, meta: view.meta }) +
    `<section class="parties">${customerHtml(l.billTo, view.customer)}` +
    `<div class="amount-due"><p class="label">${e(due.label)}</p><div class="amount">${e(due.amount)}</div>${due.note ? `<div>${e(due.note)}</div>` : ''}</div></section>` +
    (view.memo ? `<p class="memo"><span class="label">${e(l.memo)}</span><br>${e(view.memo)}</p>` : '') +
    `<table class="lines"><thead><tr>${head}</tr></thead>${view.groups.map((g) => groupHtml(g, view)).join('')}</table>` +
    `<section class="summary">${taxesHtml(view)}${totalsHtml(view.totals)}</section>` +
    remittanceHtml(view) +
    footerHtml(view.footer);
  return htmlPage({ lang: input.document.locale, title: `${view.reference} — ${input.document.customer.name}`, brand: view.brand, watermark: view.watermark, body });
}
