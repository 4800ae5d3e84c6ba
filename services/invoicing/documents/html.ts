import type { TotalRow } from './invoice-view';
import type { BrandView, LabelledValue, PartyView } from './view-common';
import { GRAPH_COLOURS } from './percentile-graph';

/**
 * Shared HTML of the document views: escaping, the page shell with inline
 * CSS (no external resource: the page is self-contained and prints like
 * the PDF), and the blocks both documents use. Every string that comes from
 * a document goes through escapeHtml; brand colours were checked to be
 * #rrggbb (view-common.ts) before they reach the CSS.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function css(brand: BrandView): string {
  return `
:root{--primary:${brand.primary};--accent:${brand.accent};--grey:#5f6368;--rule:#d9dce1}
*{box-sizing:border-box}
body{margin:0;background:#eef0f3;color:#1a1a1a;font:13px/1.45 "DejaVu Sans","Noto Sans","Noto Sans JP",system-ui,sans-serif}
.document{position:relative;max-width:900px;margin:24px auto;padding:40px 44px;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.watermark{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:120px;font-weight:bold;color:#c62828;opacity:.09;transform:rotate(-35deg);pointer-events:none}
.doc-header{display:flex;justify-content:space-between;gap:24px;border-bottom:2px solid var(--primary);padding-bottom:14px}
.seller img{max-width:150px;max-height:46px;display:block;margin-bottom:6px}
.seller h2{margin:0;font-size:15px}.party-lines{margin:2px 0 0;color:var(--grey);font-size:11px}
.doc-title{text-align:right;min-width:280px}.doc-title h1{margin:0 0 4px;color:var(--primary);font-size:28px}
.badge{display:inline-block;background:var(--accent);color:#fff;font-weight:bold;font-size:11px;padding:2px 8px;border-radius:3px}
table{border-collapse:collapse;width:100%}
.meta th{text-align:left;font-weight:normal;color:var(--grey);padding:1px 12px 1px 0}.meta td{text-align:right;font-weight:bold}
.parties{display:flex;justify-content:space-between;gap:24px;margin:16px 0}
.label{text-transform:uppercase;font-size:10px;font-weight:bold;color:var(--grey);margin:0}
.customer p{margin:0}.customer .name{font-size:16px;font-weight:bold;margin:2px 0}
.amount-due{align-self:flex-start;background:var(--primary);color:#fff;border-radius:5px;padding:10px 16px;min-width:240px}
.amount-due .label{color:#fff}.amount-due .amount{font-size:24px;font-weight:bold}
.memo{margin:0 0 16px}
.lines thead th{background:var(--primary);color:#fff;text-align:left;font-size:11px;padding:5px 6px}
.lines td,.lines th{padding:5px 6px;vertical-align:top}
.num{text-align:right !important;white-space:nowrap}
.lines tr.line td{border-top:1px solid var(--rule)}.lines tr.line td.period{color:var(--grey);font-size:11px}
.lines tr.detail td{font-size:11px;color:var(--grey);padding-top:0;padding-bottom:1px}.lines tr.detail td:first-child{padding-left:20px}
.credit{color:#b3261e}
.group-heading th{background:color-mix(in srgb,var(--primary) 10%,white);color:var(--primary);text-align:left;border-left:3px solid var(--primary)}
.subtotal th{text-align:right}.subtotal th,.subtotal td{font-weight:bold;border-top:1px solid var(--rule);border-bottom:2px solid var(--primary)}
figure{margin:4px 0 8px 14px}.percentile-graph{width:100%;height:auto;display:block}
figcaption{font-size:11px}.legend{font-size:11px;color:var(--grey);margin-left:48px}.legend-item{margin-right:14px}
.swatch{display:inline-block;width:14px;height:8px;margin-right:4px;vertical-align:middle}
.swatch.inbound{background:${GRAPH_COLOURS.inbound};opacity:.45}.swatch.outbound{border-top:2px solid ${GRAPH_COLOURS.outbound};height:0}
.swatch.billed{border-top:2px solid ${GRAPH_COLOURS.billed};height:0}.swatch.commit{border-top:2px dashed ${GRAPH_COLOURS.commit};height:0}.swatch.gap{background:${GRAPH_COLOURS.gap};opacity:.45}
tr{break-inside:avoid}
.summary{display:flex;justify-content:space-between;gap:32px;margin-top:20px}.taxes{flex:1.3}.totals{flex:1}
.taxes th{font-size:10px;color:var(--grey);text-align:left;border-bottom:1px solid var(--rule)}.taxes td{font-size:12px}
.tax-note{font-weight:bold;font-size:12px}
.totals th{text-align:left;font-weight:normal;padding:2px 4px}.totals td{text-align:right;font-weight:bold;padding:2px 4px}
.totals tr.strong th,.totals tr.strong td{font-weight:bold;font-size:14px;border-top:1px solid var(--rule)}
.totals tr.strong:last-of-type{background:color-mix(in srgb,var(--primary) 12%,white)}
.remittance{margin-top:22px;padding:12px 16px;border:1px solid color-mix(in srgb,var(--primary) 40%,white);border-radius:5px;background:color-mix(in srgb,var(--primary) 5%,white)}
.remittance h2{margin:0 0 6px;color:var(--primary);font-size:15px}.methods{display:flex;gap:24px}.methods>div{flex:1}
.methods h3{margin:0 0 4px;font-size:13px}dl{margin:0}dt{font-size:10px;color:var(--grey);text-transform:uppercase}dd{margin:0 0 4px}
.doc-footer{margin-top:24px;border-top:1px solid var(--rule);padding-top:8px;color:var(--grey);font-size:11px}
@media print{body{background:#fff}.document{box-shadow:none;margin:0;max-width:none;padding:0}@page{margin:14mm}}
`;
}

export function htmlPage(options: { lang: string; title: string; brand: BrandView; watermark: string | null; body: string }): string {
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(options.lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(options.title)}</title>` +
    `<style>${css(options.brand)}</style></head><body>` +
    (options.watermark ? `<div class="watermark" aria-hidden="true">${escapeHtml(options.watermark)}</div>` : '') +
    `<main class="document">${options.body}</main></body></html>\n`
  );
}

function logoHtml(brand: BrandView, alt: string): string {
  if (!brand.logo) return '';
  return `<img src="data:${brand.logo.mediaType};base64,${brand.logo.data.toString('base64')}" alt="${escapeHtml(alt)}">`;
}

export function linesHtml(lines: string[]): string {
  return lines.map(escapeHtml).join('<br>');
}

export function headerHtml(options: { brand: BrandView; seller: PartyView; title: string; badge: string | null; meta: LabelledValue[] }): string {
  const meta = options.meta.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('');
  return (
    `<header class="doc-header"><div class="seller">${logoHtml(options.brand, options.seller.name)}<h2>${escapeHtml(options.seller.name)}</h2>` +
    `<p class="party-lines">${linesHtml(options.seller.lines)}</p></div>` +
    `<div class="doc-title"><h1>${escapeHtml(options.title)}</h1>${options.badge ? `<p><span class="badge">${escapeHtml(options.badge)}</span></p>` : ''}` +
    `<table class="meta">${meta}</table></div></header>`
  );
}

export function customerHtml(heading: string, customer: PartyView): string {
  return `<div class="customer"><p class="label">${escapeHtml(heading)}</p><p class="name">${escapeHtml(customer.name)}</p><p>${linesHtml(customer.lines)}</p></div>`;
}

export function totalsHtml(rows: TotalRow[]): string {
  const body = rows.map((row) => `<tr${row.strong ? ' class="strong"' : ''}><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('');
  return `<table class="totals">${body}</table>`;
}

export function footerHtml(footer: string | null): string {
  return footer ? `<footer class="doc-footer">${escapeHtml(footer)}</footer>` : '';
}
