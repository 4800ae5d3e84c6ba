import { crc32, deflateSync } from 'node:zlib';
import type { InvoiceLineKind, BreakdownEntry, PercentileFacts, InvoiceDocument, InvoiceLine, InvoiceStatus, SellerDetails, CustomerDetails } from '../../domain/invoicing/invoice-document';
import { Decimal, sum, ZERO } from '../../domain/money/decimal';
import { minorUnitsOf, roundMoney } from '../../domain/money/money';
import { percentileLine } from '../../domain/metering/percentile-line';
import type { PercentileGraphSeries } from '../../services/invoicing/documents/percentile-graph';

/**
 * Building blocks of test/support/invoice-fixtures.ts: an invoice builder
 * that derives every total from the lines with Decimal (by the formulas of
 * invoice-document.ts, never typed by hand), a seeded bandwidth series with
 * a diurnal shape and gaps, and a tiny PNG encoder for the seller's logo.
 */
export interface LineSpec {
  key: string;
  kind: InvoiceLineKind;
  description: string;
  amount: string;
  quantity?: string;
  unit_price?: string;
  /** Defaults to the invoice period; null for one-off lines. */
  period?: { start: string; end: string } | null;
  breakdown?: BreakdownEntry[];
  percentile?: PercentileFacts;
  /** Whether the invoice's tax rate applies (default true). */
  taxable?: boolean;
  product?: { code: string; name: string };
}

export interface GroupSpec {
  account_id: string;
  account_name: string;
  path: string[];
  lines: LineSpec[];
}

export interface TaxSpec {
  rate_id: string;
  name: string;
  percentage: string;
  jurisdiction: string;
}

export interface InvoiceSpec {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  locale: string;
  timezone: string;
  period: { start: string; end: string } | null;
  issued_at: string | null;
  due_at: string | null;
  po_number: string | null;
  memo: string | null;
  seller: SellerDetails;
  customer: CustomerDetails;
  groups: GroupSpec[];
  tax: TaxSpec | null;
  tax_notes: string[];
  /** Credit balance available; the invoice applies at most its total. */
  credit_available: string;
  amount_paid: string;
}

export function buildInvoice(spec: InvoiceSpec): InvoiceDocument {
  const digits = minorUnitsOf(spec.currency);
  const money = (value: Decimal) => roundMoney(value, spec.currency).toFixed(digits);
  const rate = spec.tax ? new Decimal(spec.tax.percentage).dividedBy(100) : ZERO;
  const taxed: Decimal[] = [];
  const taxes: Decimal[] = [];
  const allLines: InvoiceLine[] = [];

  const groups = spec.groups.map((group) => {
    const lines = group.lines.map((line): InvoiceLine => {
      const amount = roundMoney(new Decimal(line.amount), spec.currency);
      const lineTaxes = [];
      if (spec.tax && line.taxable !== false) {
        // Tax per line, rounded per line; the summary adds the rounded shares, so both agree to the cent.
        const tax = roundMoney(amount.times(rate), spec.currency);
        taxed.push(amount);
        taxes.push(tax);
        lineTaxes.push({ rate_id: spec.tax.rate_id, name: spec.tax.name, percentage: spec.tax.percentage, inclusive: false, amount: money(tax) });
      }
      const period = line.period === undefined ? spec.period : line.period;
      const built: InvoiceLine = {
        key: line.key,
        kind: line.kind,
        description: line.description,
        product_code: line.product?.code ?? null,
        product_name: line.product?.name ?? null,
        tax_code: line.taxable === false ? 'nontaxable' : 'standard',
        period_start: period?.start ?? null,
        period_end: period?.end ?? null,
        quantity: line.quantity ?? null,
        unit_price: line.unit_price ?? null,
        amount: money(amount),
        subscription_id: line.kind === 'one_off' ? null : `sub-${group.account_id}`,
        account_id: group.account_id,
        breakdown: line.breakdown ?? [],
        percentile: line.percentile ?? null,
        taxes: lineTaxes,
      };
      allLines.push(built);
      return built;
    });
    return {
      account_id: group.account_id,
      account_name: group.account_name,
      path: group.path,
      depth: group.path.length - 1,
      lines,
      subtotal: money(sum(lines.map((l) => new Decimal(l.amount)))),
    };
  });

  const amounts = (discount: boolean) => allLines.filter((l) => (l.kind === 'discount') === discount).map((l) => new Decimal(l.amount));
  const subtotal = sum(amounts(false));
  const discountTotal = sum(amounts(true)).negated();
  const taxTotal = sum(taxes);
  const total = subtotal.minus(discountTotal).plus(taxTotal);
  const creditApplied = Decimal.min(new Decimal(spec.credit_available), Decimal.max(total, ZERO));
  const amountDue = Decimal.max(total.minus(creditApplied), ZERO);
  const paid = new Decimal(spec.amount_paid);
  return {
    kind: 'invoice',
    id: spec.id,
    number: spec.number,
    status: spec.status,
    currency: spec.currency,
    locale: spec.locale,
    timezone: spec.timezone,
    period: spec.period,
    issued_at: spec.issued_at,
    due_at: spec.due_at,
    po_number: spec.po_number,
    memo: spec.memo,
    seller: spec.seller,
    customer: spec.customer,
    groups,
    taxes: spec.tax
      ? [{ rate_id: spec.tax.rate_id, name: spec.tax.name, percentage: spec.tax.percentage, inclusive: false, jurisdiction: spec.tax.jurisdiction, taxable_amount: money(sum(taxed)), amount: money(taxTotal) }]
      : [],
    tax_notes: spec.tax_notes,
    totals: {
      subtotal: money(subtotal),
      discount_total: money(discountTotal),
      tax_total: money(taxTotal),
      tax_included: money(ZERO),
      total: money(total),
      credit_applied: money(creditApplied),
      amount_due: money(amountDue),
      amount_paid: money(paid),
      amount_remaining: money(Decimal.max(amountDue.minus(paid), ZERO)),
      credited_total: money(ZERO),
    },
  };
}

/** mulberry32: a seeded generator, so every fixture is the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeriesSpec {
  start: string;
  end: string;
  seed: number;
  /** Outbound level at the daily low and the swing to the evening peak, in Mbps. */
  base: number;
  swing: number;
  /** UTC offset of the customer's traffic day, hours (peak around 20:00 local). */
  utcOffsetHours: number;
  /** Slot ranges [from, to) with no sample in either direction. */
  gaps: Array<[number, number]>;
  /** Slot ranges with a sustained burst (×1.7), e.g. a release day. */
  bursts: Array<[number, number]>;
}

/** Five-minute rates with a diurnal and weekly shape, slow growth and noise; values to 0.01 Mbps. */
export function bandwidthSeries(spec: SeriesSpec): PercentileGraphSeries {
  const random = seeded(spec.seed);
  const startMs = Date.parse(spec.start);
  const slots = (Date.parse(spec.end) - startMs) / 300_000;
  const inbound: Array<number | null> = [];
  const outbound: Array<number | null> = [];
  const inGap = (slot: number, ranges: Array<[number, number]>) => ranges.some(([from, to]) => slot >= from && slot < to);
  for (let slot = 0; slot < slots; slot++) {
    const local = new Date(startMs + slot * 300_000 + spec.utcOffsetHours * 3_600_000);
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 0.82 : 1;
    const diurnal = 0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 20.5)) / 24) ** 3;
    const noise = 1 + (random() + random() + random() - 1.5) * 0.09;
    const growth = 1 + (0.08 * slot) / slots;
    const burst = inGap(slot, spec.bursts) ? 1.7 : 1;
    const out = (spec.base + spec.swing * diurnal) * weekend * noise * growth * burst;
    const inn = out * (0.32 + 0.06 * random());
    const unknown = inGap(slot, spec.gaps);
    outbound.push(unknown ? null : Math.round(out * 100) / 100);
    inbound.push(unknown ? null : Math.round(inn * 100) / 100);
  }
  return { slotMinutes: 5, start: spec.start, end: spec.end, inbound, outbound };
}

/** The facts a percentile line carries, computed from the series by the billing code's own percentile line. */
export function percentileFactsOf(series: PercentileGraphSeries, commit: string, seriesRef: PercentileFacts['series']): PercentileFacts {
  // The billing code ranks whole bit/s; the series is in Mbps with two decimals, so the conversion is exact.
  const bits = (values: Array<number | null>) => values.map((v) => (v === null ? null : Math.round(v * 1_000_000)));
  const convention = { percentile: new Decimal(95), method: 'nearest_rank', direction: 'max_of_in_out', missing: 'drop' } as const;
  const line = percentileLine(bits(series.inbound), bits(series.outbound), convention);
  if (line.billed === null) throw new Error('fixture series has no known sample');
  return {
    billed_rate: new Decimal(line.billed).dividedBy(1_000_000).toFixed(2),
    percentile: 95,
    commit,
    unit: 'Mbps',
    method: 'nearest_rank',
    samples_expected: line.slots,
    samples_known: line.known,
    completeness: new Decimal(line.known).dividedBy(line.slots).toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(4),
    series: seriesRef,
  };
}

/** A PNG of `width`×`height` RGBA pixels from `pixel(x, y)`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
