import type { DocumentFormat } from './format';
import { escapeHtml } from './html';
import type { PercentileView } from './invoice-view';
import { GRAPH_COLOURS, percentileGraph, type GraphPoint } from './percentile-graph';

/** The evidence graph as inline SVG for the HTML view: the same geometry as the PDF (percentile-graph.ts). */
const WIDTH = 680;
const PLOT_HEIGHT = 150;
const AXIS = 48;
const TOP = 16;
const BOTTOM = 18;

const n = (value: number) => (Math.round(value * 10) / 10).toString();
const path = (points: GraphPoint[], dx: number, dy: number) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x + dx)} ${n(p.y + dy)}`).join('');

export function svgGraph(view: PercentileView, format: DocumentFormat): string {
  if (!view.series) return '';
  const plotWidth = WIDTH - AXIS - 8;
  const g = percentileGraph(view.series, { width: plotWidth, height: PLOT_HEIGHT, timezone: format.timezone, billed: view.billed, commit: view.commit });
  const x0 = AXIS;
  const y0 = TOP;
  const parts: string[] = [];
  for (const tick of g.dayTicks) parts.push(`<line class="grid" x1="${n(x0 + tick.x)}" y1="${y0}" x2="${n(x0 + tick.x)}" y2="${y0 + PLOT_HEIGHT}"/>`);
  for (const tick of g.yTicks) {
    parts.push(`<line class="grid" x1="${x0}" y1="${n(y0 + tick.y)}" x2="${x0 + plotWidth}" y2="${n(y0 + tick.y)}"/>`);
    parts.push(`<text x="${x0 - 4}" y="${n(y0 + tick.y + 3)}" text-anchor="end">${escapeHtml(format.chartNumber(tick.value))}</text>`);
  }
  parts.push(`<text x="${x0 - 4}" y="${y0 - 7}" text-anchor="end" font-weight="bold">${escapeHtml(view.unit)}</text>`);
  for (const gap of g.gaps) parts.push(`<rect class="gap" x="${n(x0 + gap.x)}" y="${y0}" width="${n(gap.width)}" height="${PLOT_HEIGHT}"><title>${escapeHtml(view.legend.noSample)}</title></rect>`);
  for (const run of g.inbound) {
    const first = run[0] as GraphPoint;
    const last = run[run.length - 1] as GraphPoint;
    parts.push(`<path class="inbound-area" d="M${n(x0 + first.x)} ${y0 + PLOT_HEIGHT}${path(run, x0, y0).replace(/^M/, 'L')}L${n(x0 + last.x)} ${y0 + PLOT_HEIGHT}Z"/>`);
    parts.push(`<path class="inbound" d="${path(run, x0, y0)}"/>`);
  }
  for (const run of g.outbound) parts.push(`<path class="outbound" d="${path(run, x0, y0)}"/>`);
  if (g.commit) parts.push(`<line class="commit" x1="${x0}" y1="${n(y0 + g.commit.y)}" x2="${x0 + plotWidth}" y2="${n(y0 + g.commit.y)}"/>`);
  if (g.billed) parts.push(`<line class="billed" x1="${x0}" y1="${n(y0 + g.billed.y)}" x2="${x0 + plotWidth}" y2="${n(y0 + g.billed.y)}"/>`);
  parts.push(`<rect class="frame" x="${x0}" y="${y0}" width="${plotWidth}" height="${PLOT_HEIGHT}"/>`);
  for (const tick of g.dayTicks.filter((t) => t.labelled)) {
    parts.push(`<text x="${n(x0 + tick.x)}" y="${y0 + PLOT_HEIGHT + 12}" text-anchor="middle">${escapeHtml(format.shortDate(tick.instant))}</text>`);
  }
  const label = `${view.legend.inbound}, ${view.legend.outbound}, ${view.legend.billed}${view.commit !== null ? `, ${view.legend.commit}` : ''}`;
  return (
    `<svg class="percentile-graph" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${WIDTH} ${TOP + PLOT_HEIGHT + BOTTOM}" xmlns="http://www.w3.org/2000/svg">` +
    `<style>.grid{stroke:${GRAPH_COLOURS.grid};stroke-width:.6}.gap{fill:${GRAPH_COLOURS.gap};fill-opacity:.35}` +
    `.inbound-area{fill:${GRAPH_COLOURS.inbound};fill-opacity:.3}.inbound{fill:none;stroke:${GRAPH_COLOURS.inbound};stroke-width:.7}` +
    `.outbound{fill:none;stroke:${GRAPH_COLOURS.outbound};stroke-width:.9}.billed{stroke:${GRAPH_COLOURS.billed};stroke-width:1.5}` +
    `.commit{stroke:${GRAPH_COLOURS.commit};stroke-width:1.2;stroke-dasharray:5 3}.frame{fill:none;stroke:#9aa0a6}text{font-size:9px;fill:#5f6368}</style>` +
    parts.join('') +
    '</svg>'
  );
}

export function svgLegend(view: PercentileView): string {
  const item = (cls: string, label: string) => `<span class="legend-item"><span class="swatch ${cls}"></span>${escapeHtml(label)}</span>`;
  return (
    '<div class="legend">' +
    item('inbound', view.legend.inbound) +
    item('outbound', view.legend.outbound) +
    item('billed', view.legend.billed) +
    (view.commit !== null ? item('commit', view.legend.commit) : '') +
    item('gap', view.legend.noSample) +
    '</div>'
  );
}
