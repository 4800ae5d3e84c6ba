import type { DocumentFormat } from './format';
import type { PercentileView } from './invoice-view';
import { GRAPH_COLOURS, percentileGraph, type GraphPoint } from './percentile-graph';
import type { PdfText, TextStyle } from './pdf-text';
import { GREY } from './pdf-page';

/**
 * The 95th-percentile evidence under a bandwidth line: samples of the
 * period (inbound as an area, outbound as a line), the billed figure and the
 * commit as horizontal lines, unknown slots as grey bands, then the caption
 * with the billed figure, commit, method and data completeness.
 */
const PLOT_HEIGHT = 96;
const AXIS_WIDTH = 44;
const LEGEND_HEIGHT = 14;
const X_LABELS = 14;
const CAPTION: TextStyle = { size: 7.5, color: '#333333' };
const SMALL: TextStyle = { size: 6.5, color: GREY };

export function graphBlockHeight(view: PercentileView, text: PdfText, width: number): number {
  const caption = view.caption.reduce((h, line) => h + text.height(line, CAPTION, width), 0);
  return (view.series ? LEGEND_HEIGHT + PLOT_HEIGHT + X_LABELS + 4 : 0) + caption + 4;
}

function polyline(doc: PDFKit.PDFDocument, points: GraphPoint[], x0: number, y0: number): void {
  points.forEach((p, i) => (i === 0 ? doc.moveTo(x0 + p.x, y0 + p.y) : doc.lineTo(x0 + p.x, y0 + p.y)));
}

function legend(doc: PDFKit.PDFDocument, text: PdfText, view: PercentileView, x: number, top: number): void {
  let cursor = x;
  const mid = top + 5;
  const item = (label: string, swatch: (sx: number) => void) => {
    swatch(cursor);
    text.line(label, cursor + 16, top, SMALL);
    cursor += 16 + text.width(label, SMALL) + 14;
  };
  item(view.legend.inbound, (sx) => {
    doc.rect(sx, mid - 3, 12, 6).fillOpacity(0.35).fill(GRAPH_COLOURS.inbound).fillOpacity(1);
  });
  item(view.legend.outbound, (sx) => {
    doc.moveTo(sx, mid).lineTo(sx + 12, mid).lineWidth(1.2).strokeColor(GRAPH_COLOURS.outbound).stroke();
  });
  item(view.legend.billed, (sx) => {
    doc.moveTo(sx, mid).lineTo(sx + 12, mid).lineWidth(1.2).strokeColor(GRAPH_COLOURS.billed).stroke();
  });
  if (view.commit !== null) {
    item(view.legend.commit, (sx) => {
      doc.moveTo(sx, mid).lineTo(sx + 12, mid).lineWidth(1).dash(3, { space: 2 }).strokeColor(GRAPH_COLOURS.commit).stroke().undash();
    });
  }
  item(view.legend.noSample, (sx) => {
    doc.rect(sx, mid - 3, 12, 6).fillOpacity(0.45).fill(GRAPH_COLOURS.gap).fillOpacity(1);
  });
}

/** Draws the block at (x, top) across `width`; returns its height. */
export function drawGraphBlock(doc: PDFKit.PDFDocument, text: PdfText, view: PercentileView, format: DocumentFormat, x: number, top: number, width: number): number {
  let y = top;
  if (view.series) {
    legend(doc, text, view, x + AXIS_WIDTH, y);
    y += LEGEND_HEIGHT;
    const plotX = x + AXIS_WIDTH;
    const plotWidth = width - AXIS_WIDTH - 4;
    const g = percentileGraph(view.series, { width: plotWidth, height: PLOT_HEIGHT, timezone: format.timezone, billed: view.billed, commit: view.commit });

    doc.lineWidth(0.4).strokeColor(GRAPH_COLOURS.grid);
    for (const tick of g.dayTicks) doc.moveTo(plotX + tick.x, y).lineTo(plotX + tick.x, y + PLOT_HEIGHT).stroke();
    for (const tick of g.yTicks) {
      doc.moveTo(plotX, y + tick.y).lineTo(plotX + plotWidth, y + tick.y).lineWidth(0.4).strokeColor(GRAPH_COLOURS.grid).stroke();
      text.line(format.chartNumber(tick.value), x, y + tick.y - 4, SMALL, 'right', AXIS_WIDTH - 4);
    }
    text.line(view.unit, x, y - LEGEND_HEIGHT, { ...SMALL, bold: true }, 'right', AXIS_WIDTH - 4);

    doc.save();
    doc.rect(plotX, y, plotWidth, PLOT_HEIGHT).clip();
    for (const gap of g.gaps) doc.rect(plotX + gap.x, y, gap.width, PLOT_HEIGHT).fillOpacity(0.45).fill(GRAPH_COLOURS.gap);
    doc.fillOpacity(1);
    for (const run of g.inbound) {
      const first = run[0] as GraphPoint;
      const last = run[run.length - 1] as GraphPoint;
      doc.moveTo(plotX + first.x, y + PLOT_HEIGHT);
      for (const p of run) doc.lineTo(plotX + p.x, y + p.y);
      doc.lineTo(plotX + last.x, y + PLOT_HEIGHT).closePath().fillOpacity(0.3).fill(GRAPH_COLOURS.inbound);
      doc.fillOpacity(1);
      polyline(doc, run, plotX, y);
      doc.lineWidth(0.5).strokeColor(GRAPH_COLOURS.inbound).stroke();
    }
    for (const run of g.outbound) {
      polyline(doc, run, plotX, y);
      doc.lineWidth(0.6).strokeColor(GRAPH_COLOURS.outbound).stroke();
    }
    if (g.commit) {
      doc.moveTo(plotX, y + g.commit.y).lineTo(plotX + plotWidth, y + g.commit.y).lineWidth(1).dash(4, { space: 2 }).strokeColor(GRAPH_COLOURS.commit).stroke().undash();
    }
    if (g.billed) doc.moveTo(plotX, y + g.billed.y).lineTo(plotX + plotWidth, y + g.billed.y).lineWidth(1.1).strokeColor(GRAPH_COLOURS.billed).stroke();
    doc.restore();
    doc.rect(plotX, y, plotWidth, PLOT_HEIGHT).lineWidth(0.6).strokeColor('#9aa0a6').stroke();

    for (const tick of g.dayTicks.filter((t) => t.labelled)) {
      const label = format.shortDate(tick.instant);
      const labelWidth = text.width(label, SMALL);
      const left = Math.min(Math.max(plotX + tick.x - labelWidth / 2, plotX), plotX + plotWidth - labelWidth);
      text.line(label, left, y + PLOT_HEIGHT + 3, SMALL);
    }
    y += PLOT_HEIGHT + X_LABELS + 4;
  }
  for (const line of view.caption) y += text.block(line, x, y, width, CAPTION);
  return y - top + 4;
}
