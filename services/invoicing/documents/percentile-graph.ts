import { localParts } from '../../../domain/time/local-time';

/**
 * Geometry of the 95th-percentile evidence graph, shared by the PDF and the
 * SVG of the HTML view so both draw the same picture. Coordinates are in
 * the caller's units with the origin at the plot's top left, y downwards.
 *
 * Unknown slots are gaps, never zeros (DATACENTER.md): each direction is
 * drawn as one polyline per run of known slots, and slots where a direction
 * has no sample are returned as gap bands, widened to a visible minimum.
 * A month of 5-minute samples is 8,640 points per direction; inside a run,
 * each plot column keeps its first, lowest, highest and last sample in time
 * order, so peaks survive and a path has about four points per column.
 */
/** The colours both renderings use: the usual MRTG-like green inbound area and blue outbound line. */
export const GRAPH_COLOURS = {
  inbound: '#2e9d5b',
  outbound: '#2358a8',
  billed: '#d32f2f',
  commit: '#333333',
  gap: '#8d8d8d',
  grid: '#e6e8eb',
};

export interface PercentileGraphSeries {
  slotMinutes: number;
  /** ISO instants, the billed period. */
  start: string;
  end: string;
  /** One value per slot in the line's unit (e.g. Mbps); null = no sample (unknown). */
  inbound: Array<number | null>;
  outbound: Array<number | null>;
}

export interface GraphPoint {
  x: number;
  y: number;
}

export interface GraphLevel {
  value: number;
  y: number;
}

export interface GraphGap {
  /** Slot range [from, to) and the band drawn for it. */
  fromSlot: number;
  toSlot: number;
  x: number;
  width: number;
}

export interface GraphDayTick {
  x: number;
  instant: Date;
  /** Whether the day gets a date label (every day gets a grid line). */
  labelled: boolean;
}

export interface GraphGeometry {
  width: number;
  height: number;
  slots: number;
  yMax: number;
  yTicks: GraphLevel[];
  dayTicks: GraphDayTick[];
  inbound: GraphPoint[][];
  outbound: GraphPoint[][];
  gaps: GraphGap[];
  billed: GraphLevel | null;
  commit: GraphLevel | null;
}

export interface GraphOptions {
  width: number;
  height: number;
  timezone: string;
  /** Reference lines: the billed percentile figure and the commit, in the series' unit. */
  billed: number | null;
  commit: number | null;
  /** Plot columns for thinning (default: two per unit of width). */
  columns?: number;
  /** Narrowest gap band drawn, so a single missing 5-minute slot stays visible (default 1.5). */
  minGapWidth?: number;
}

/** 1, 2, 2.5 or 5 times a power of ten: the step of at most `count` y ticks up to `top`. */
export function niceStep(top: number, count: number): number {
  const raw = top / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
  return factor * magnitude;
}

function checkSeries(series: PercentileGraphSeries): number {
  const slots = series.inbound.length;
  if (series.outbound.length !== slots) throw new RangeError(`inbound has ${slots} slots, outbound ${series.outbound.length}`);
  const span = Date.parse(series.end) - Date.parse(series.start);
  const expected = span / (series.slotMinutes * 60_000);
  if (!Number.isInteger(expected) || expected !== slots) {
    throw new RangeError(`${series.start}..${series.end} in ${series.slotMinutes}-minute slots is ${expected} slots, the series has ${slots}`);
  }
  return slots;
}

/** Polylines for one direction: a new one at every unknown slot, thinned per plot column. */
function runsOf(values: ReadonlyArray<number | null>, slotWidth: number, columns: number, y: (v: number) => number): GraphPoint[][] {
  const runs: GraphPoint[][] = [];
  const slotsPerColumn = values.length / columns;
  const valueAt = (slot: number) => values[slot] as number;
  let run: GraphPoint[] = [];
  // The current column's first, lowest, highest and last slot; column -1 = none open.
  let column = -1;
  let first = 0;
  let low = 0;
  let high = 0;
  let last = 0;
  const endColumn = () => {
    if (column === -1) return;
    for (const slot of [...new Set([first, low, high, last])].sort((a, b) => a - b)) {
      run.push({ x: (slot + 0.5) * slotWidth, y: y(valueAt(slot)) });
    }
    column = -1;
  };
  const endRun = () => {
    endColumn();
    if (run.length === 0) return;
    // A lone sample between two gaps is drawn across its own slot, or it would be invisible.
    const only = run[0];
    if (run.length === 1 && only) run = [{ x: only.x - slotWidth / 2, y: only.y }, { x: only.x + slotWidth / 2, y: only.y }];
    runs.push(run);
    run = [];
  };
  for (let slot = 0; slot < values.length; slot++) {
    const value = values[slot];
    if (value === null || value === undefined) {
      endRun();
      continue;
    }
    const slotColumn = slotsPerColumn <= 1 ? slot : Math.floor(slot / slotsPerColumn);
    if (slotColumn !== column) {
      endColumn();
      column = slotColumn;
      first = low = high = last = slot;
      continue;
    }
    if (value < valueAt(low)) low = slot;
    if (value > valueAt(high)) high = slot;
    last = slot;
  }
  endRun();
  return runs;
}

function gapsOf(series: PercentileGraphSeries, slotWidth: number, minWidth: number): GraphGap[] {
  const gaps: GraphGap[] = [];
  const slots = series.inbound.length;
  let from = -1;
  for (let slot = 0; slot <= slots; slot++) {
    const unknown = slot < slots && (series.inbound[slot] === null || series.outbound[slot] === null);
    if (unknown && from < 0) from = slot;
    if (!unknown && from >= 0) {
      const width = Math.max((slot - from) * slotWidth, minWidth);
      const centre = ((from + slot) / 2) * slotWidth;
      gaps.push({ fromSlot: from, toSlot: slot, x: centre - width / 2, width });
      from = -1;
    }
  }
  return gaps;
}

/** Local midnights inside [start, end) in `timezone`. */
export function localMidnights(start: Date, end: Date, timezone: string): Date[] {
  const midnights: Date[] = [];
  let probe = start.getTime();
  while (probe < end.getTime()) {
    let midnight = probe - localParts(new Date(probe), timezone).minutesOfDay * 60_000 - (probe % 60_000);
    // A DST change between midnight and the probe moved the wall clock: correct by what midnight reads.
    const drift = localParts(new Date(midnight), timezone).minutesOfDay;
    if (drift !== 0) midnight -= (drift > 720 ? drift - 1440 : drift) * 60_000;
    if (midnight >= start.getTime() && midnight < end.getTime() && midnights.at(-1)?.getTime() !== midnight) midnights.push(new Date(midnight));
    // 26 hours on lands inside the next local day whatever the DST change (days are 23 to 25 hours).
    probe = midnight + 26 * 3_600_000;
  }
  return midnights;
}

const LABEL_EVERY = [1, 2, 7, 14, 28];

export function percentileGraph(series: PercentileGraphSeries, options: GraphOptions): GraphGeometry {
  const slots = checkSeries(series);
  const { width, height } = options;
  let top = Math.max(options.billed ?? 0, options.commit ?? 0);
  for (const value of series.inbound) if (value !== null && value > top) top = value;
  for (const value of series.outbound) if (value !== null && value > top) top = value;
  // A little headroom above the highest sample or reference line, rounded up to a whole tick.
  const step = top > 0 ? niceStep(top * 1.04, 5) : 1;
  const yMax = Math.max(step, Math.ceil((top * 1.04) / step) * step);
  const y = (value: number) => height - (Math.max(0, Math.min(value, yMax)) / yMax) * height;
  const yTicks: GraphLevel[] = [];
  for (let i = 0; i * step <= yMax + step / 1e6; i++) yTicks.push({ value: i * step, y: y(i * step) });

  const start = new Date(series.start);
  const span = Date.parse(series.end) - start.getTime();
  const days = localMidnights(start, new Date(series.end), options.timezone);
  const maxLabels = Math.max(2, Math.floor(width / 60));
  const every = LABEL_EVERY.find((n) => Math.ceil(days.length / n) <= maxLabels) ?? Math.ceil(days.length / maxLabels);
  const dayTicks = days.map((instant, i) => ({ x: ((instant.getTime() - start.getTime()) / span) * width, instant, labelled: i % every === 0 }));

  const slotWidth = slots === 0 ? width : width / slots;
  const columns = options.columns ?? Math.max(1, Math.round(width * 2));
  const level = (value: number | null): GraphLevel | null => (value === null ? null : { value, y: y(value) });
  return {
    width,
    height,
    slots,
    yMax,
    yTicks,
    dayTicks,
    inbound: runsOf(series.inbound, slotWidth, columns, y),
    outbound: runsOf(series.outbound, slotWidth, columns, y),
    gaps: gapsOf(series, slotWidth, options.minGapWidth ?? 1.5),
    billed: level(options.billed),
    commit: level(options.commit),
  };
}
