import type { InvoiceDocument, InvoiceLine, PercentileFacts } from '../../../domain/invoicing/invoice-document';
import { completenessOf, documentFormat, type DocumentFormat } from './format';
import { labelsFor, methodName, type Labels } from './labels';
import type { PercentileGraphSeries } from './percentile-graph';
import {
  addressLines,
  brandOf,
  customerView,
  isNegative,
  isZero,
  negated,
  sellerView,
  type BrandView,
  type LabelledValue,
  type PartyView,
} from './view-common';

/**
 * The invoice as printed: every string the PDF and the HTML view show,
 * formatted once in the customer's locale, currency and time zone, so the
 * two renderings cannot disagree. Renderers only lay this out.
 */
export interface InvoiceRenderInput {
  document: InvoiceDocument;
  /** Sample series per InvoiceLine.key, for lines with percentile facts. */
  graphs: Record<string, PercentileGraphSeries>;
}

export interface DetailView {
  text: string;
  amount: string | null;
}

export interface PercentileView {
  legend: { inbound: string; outbound: string; billed: string; commit: string; noSample: string };
  unit: string;
  caption: string[];
  series: PercentileGraphSeries | null;
  billed: number | null;
  commit: number | null;
}

export interface LineView {
  key: string;
  description: string;
  period: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  credit: boolean;
  details: DetailView[];
  taxes: DetailView[];
  percentile: PercentileView | null;
}

export interface GroupView {
  heading: string | null;
  depth: number;
  lines: LineView[];
  subtotal: LabelledValue | null;
}

export interface TotalRow extends LabelledValue {
  strong: boolean;
}

export interface TaxRowView {
  rate: string;
  jurisdiction: string;
  taxable: string;
  amount: string;
}

export interface RemittanceView {
  methods: Array<{ title: string; rows: LabelledValue[] }>;
  notes: string[];
}

export interface InvoiceView {
  labels: Labels;
  format: DocumentFormat;
  brand: BrandView;
  title: string;
  /** Across every page: drafts and void invoices. */
  watermark: string | null;
  badge: string | null;
  reference: string;
  seller: PartyView;
  customer: PartyView;
  meta: LabelledValue[];
  amountDue: { label: string; amount: string; note: string | null };
  memo: string | null;
  groups: GroupView[];
  taxRows: TaxRowView[];
  taxNotes: string[];
  totals: TotalRow[];
  remittance: RemittanceView | null;
  footer: string | null;
}

function percentileView(facts: PercentileFacts, series: PercentileGraphSeries | undefined, format: DocumentFormat, labels: Labels): PercentileView {
  const name = labels.percentileName(facts.percentile);
  const figure = (value: string) => `${format.quantity(value)} ${facts.unit}`;
  const first = [labels.billedAt(name, figure(facts.billed_rate))];
  if (facts.commit !== null) first.push(labels.commitAt(figure(facts.commit)));
  if (facts.method) first.push(labels.method(methodName(facts.method)));
  const share = completenessOf(facts.samples_known, facts.samples_expected, facts.completeness);
  const completeness =
    share !== null && facts.samples_known !== null && facts.samples_expected !== null
      ? labels.completeness(format.quantity(String(facts.samples_known)), format.quantity(String(facts.samples_expected)), format.share(share))
      : labels.completenessUnknown;
  return {
    legend: { inbound: labels.inbound, outbound: labels.outbound, billed: name, commit: labels.commit, noSample: labels.noSample },
    unit: facts.unit,
    caption: [first.join(' · '), completeness, ...(series ? [] : [labels.graphUnavailable])],
    series: series ?? null,
    // Chart coordinates only: the printed figures above come from the strings.
    billed: Number(facts.billed_rate),
    commit: facts.commit === null ? null : Number(facts.commit),
  };
}

function lineView(line: InvoiceLine, input: InvoiceRenderInput, format: DocumentFormat, labels: Labels): LineView {
  const details = line.breakdown
    .filter((entry) => !(line.breakdown.length === 1 && entry.description === line.description))
    .map((entry) => ({ text: entry.description, amount: format.money(entry.amount) }));
  return {
    key: line.key,
    description: line.description,
    period: line.period_start && line.period_end ? format.period(line.period_start, line.period_end) : '',
    quantity: line.quantity === null ? '' : format.quantity(line.quantity),
    unitPrice: line.unit_price === null ? '' : format.price(line.unit_price),
    amount: format.money(line.amount),
    credit: isNegative(line.amount),
    details,
    taxes: line.taxes.map((tax) => ({ text: labels.lineTax(tax.name, format.percentage(tax.percentage), tax.inclusive), amount: format.money(tax.amount) })),
    percentile: line.percentile ? percentileView(line.percentile, input.graphs[line.key], format, labels) : null,
  };
}

function totalsOf(document: InvoiceDocument, format: DocumentFormat, labels: Labels): TotalRow[] {
  const t = document.totals;
  const row = (label: string, amount: string, strong = false): TotalRow => ({ label, value: format.money(amount), strong });
  const rows = [row(labels.subtotal, t.subtotal)];
  if (!isZero(t.discount_total)) rows.push(row(labels.discounts, negated(t.discount_total)));
  rows.push(row(labels.taxTotal, t.tax_total));
  if (!isZero(t.tax_included)) rows.push(row(labels.taxIncluded, t.tax_included));
  rows.push(row(labels.total, t.total, true));
  if (!isZero(t.credit_applied)) rows.push(row(labels.creditApplied, negated(t.credit_applied)));
  rows.push(row(labels.amountDue, t.amount_due, true));
  const settled = !isZero(t.amount_paid) || !isZero(t.credited_total);
  if (!isZero(t.amount_paid)) rows.push(row(labels.amountPaid, negated(t.amount_paid)));
  if (!isZero(t.credited_total)) rows.push(row(labels.credited, negated(t.credited_total)));
  if (settled) rows.push(row(labels.amountRemaining, t.amount_remaining, true));
  return rows;
}

function remittanceOf(document: InvoiceDocument, labels: Labels): RemittanceView | null {
  const r = document.seller.remittance;
  if (!r) return null;
  const rows = (pairs: Array<[string, string | null]>): LabelledValue[] =>
    pairs.filter((pair): pair is [string, string] => !!pair[1]).map(([label, value]) => ({ label, value }));
  const methods: RemittanceView['methods'] = [];
  if (r.routing_number && r.account_number) {
    methods.push({
      title: labels.ach,
      rows: rows([[labels.bank, r.bank_name], [labels.accountName, r.account_name], [labels.accountNumber, r.account_number], [labels.routingNumber, r.routing_number]]),
    });
  }
  if (r.iban || r.swift_bic) {
    methods.push({
      title: labels.wire,
      rows: rows([[labels.bank, r.bank_name], [labels.accountName, r.account_name], [labels.iban, r.iban], [labels.accountNumber, r.iban ? null : r.account_number], [labels.swift, r.swift_bic]]),
    });
  }
  if (r.check_address) {
    const payee = r.account_name ?? document.seller.legal_name ?? document.seller.name;
    methods.push({ title: labels.check, rows: rows([[labels.payableTo, payee], [labels.mailTo, addressLines(r.check_address, document.locale, document.customer.billing_address?.country ?? null).join(', ')]]) });
  }
  const notes = [...(r.instructions ? [r.instructions] : []), ...(document.number ? [labels.paymentReference(document.number)] : [])];
  return methods.length === 0 && notes.length === 0 ? null : { methods, notes };
}

export function invoiceView(input: InvoiceRenderInput): InvoiceView {
  const document = input.document;
  const format = documentFormat(document.locale, document.currency, document.timezone);
  const labels = labelsFor(document.locale);
  const draft = document.status === 'draft';
  const meta: LabelledValue[] = [{ label: labels.invoiceNumber, value: document.number ?? labels.draft }];
  if (document.issued_at) meta.push({ label: labels.issueDate, value: format.date(document.issued_at) });
  if (document.due_at) meta.push({ label: labels.dueDate, value: format.date(document.due_at) });
  if (document.period) meta.push({ label: labels.billingPeriod, value: format.period(document.period.start, document.period.end) });
  if (document.po_number) meta.push({ label: labels.poNumber, value: document.po_number });
  const master = document.groups.length > 1;
  return {
    labels,
    format,
    brand: brandOf(document.seller),
    title: draft ? labels.draftInvoice : labels.invoice,
    watermark: draft ? labels.draft : document.status === 'void' ? (labels.status.void ?? null) : null,
    badge: draft ? null : (labels.status[document.status] ?? null),
    reference: `${draft ? labels.draftInvoice : labels.invoice} ${document.number ?? ''}`.trim(),
    seller: sellerView(document.seller, document.locale, document.customer.billing_address?.country ?? null),
    customer: customerView(document.customer, document.locale, document.seller.address?.country ?? null),
    meta,
    amountDue: {
      label: labels.amountDue,
      amount: format.money(draft ? document.totals.amount_due : document.totals.amount_remaining),
      note: document.due_at ? labels.dueBy(format.date(document.due_at)) : null,
    },
    memo: document.memo,
    groups: document.groups.map((group) => ({
      heading: master ? group.path.join(' › ') : null,
      depth: group.depth,
      lines: group.lines.map((line) => lineView(line, input, format, labels)),
      subtotal: master ? { label: labels.groupSubtotal(group.account_name), value: format.money(group.subtotal) } : null,
    })),
    taxRows: document.taxes.map((tax) => ({
      rate: labels.lineTax(tax.name, format.percentage(tax.percentage), tax.inclusive),
      jurisdiction: tax.jurisdiction,
      taxable: format.money(tax.taxable_amount),
      amount: format.money(tax.amount),
    })),
    taxNotes: document.tax_notes,
    totals: totalsOf(document, format, labels),
    remittance: remittanceOf(document, labels),
    footer: document.seller.footer,
  };
}
