import { Decimal, ZERO, sum } from '../money/decimal';
import { roundMoney } from '../money/money';
import { money } from '../subscriptions/charge-lines';
import type { TaxableLine, TaxCalculation } from '../tax/tax-calculation';
import type { GroupMember } from './billing-group';
import type { BreakdownEntry, InvoiceGroup, InvoiceLine, InvoiceLineKind, InvoiceTotals, PercentileFacts, TaxSummary } from './invoice-document';

/**
 * The invoice generator (Kill Bill's InvoiceGenerator shape): billable items
 * and the billing group in, invoice lines and totals out, no database. The
 * services load the items, call these, and save the result; the upcoming-
 * invoice preview calls the same functions and saves nothing.
 *
 * Two steps, because tax needs the lines and a tax provider may be remote:
 * `buildInvoiceGroups` (lines per account, minimum true-ups), then, with the
 * provider's answer, `completeInvoice` (line taxes, tax summary, totals).
 */
export interface BillableItem {
  /** Deterministic line identity: `charge:{subscription charge id}` or `one_off:{one-off charge id}`. */
  key: string;
  kind: InvoiceLineKind;
  accountId: string;
  subscriptionId: string | null;
  description: string;
  productCode: string | null;
  productName: string | null;
  taxCode: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  quantity: string | null;
  unitPrice: string | null;
  /** Already rounded to the currency (rounding point 1). */
  amount: string;
  breakdown: BreakdownEntry[];
  percentile: PercentileFacts | null;
}

/**
 * A subscription's minimum commitment for one period whose usage is on this
 * invoice. `billed` is everything the subscription recorded for that period,
 * on any invoice (fixed fees may have been billed in advance on an earlier one).
 */
export interface MinimumCommitment {
  subscriptionId: string;
  accountId: string;
  planName: string;
  periodStart: string;
  periodEnd: string;
  minimum: string;
  billed: string;
  taxCode: string | null;
}

export interface InvoiceGenerationInput {
  currency: string;
  members: readonly GroupMember[];
  items: readonly BillableItem[];
  minimums: readonly MinimumCommitment[];
}

const KIND_ORDER: Record<InvoiceLineKind, number> = {
  recurring: 0,
  proration_charge: 1,
  proration_credit: 2,
  one_time: 3,
  usage: 4,
  usage_adjustment: 5,
  minimum_true_up: 6,
  one_off: 7,
  discount: 8,
};

export function trueUpKey(subscriptionId: string, periodStart: string): string {
  return `true_up:${subscriptionId}/${periodStart}`;
}

/** The true-up lines owed: minimum minus what the period billed, when positive. */
export function minimumTrueUps(minimums: readonly MinimumCommitment[], currency: string): BillableItem[] {
  const lines: BillableItem[] = [];
  for (const m of minimums) {
    const shortfall = new Decimal(m.minimum).minus(m.billed);
    if (!shortfall.isPositive() || shortfall.isZero()) continue;
    const amount = money(shortfall, currency);
    lines.push({
      key: trueUpKey(m.subscriptionId, m.periodStart),
      kind: 'minimum_true_up',
      accountId: m.accountId,
      subscriptionId: m.subscriptionId,
      description: `${m.planName}: minimum commitment true-up (${m.periodStart.slice(0, 10)} to ${m.periodEnd.slice(0, 10)})`,
      productCode: null,
      productName: null,
      taxCode: m.taxCode,
      periodStart: m.periodStart,
      periodEnd: m.periodEnd,
      quantity: null,
      unitPrice: null,
      amount,
      breakdown: [
        { description: 'Minimum commitment', quantity: null, unit_price: null, amount: new Decimal(m.minimum).toFixed() },
        { description: 'Billed for the period', quantity: null, unit_price: null, amount: new Decimal(m.billed).negated().toFixed() },
      ],
      percentile: null,
    });
  }
  return lines;
}

function compareLines(a: InvoiceLine, b: InvoiceLine): number {
  const pa = a.period_start ?? '';
  const pb = b.period_start ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  const ka = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (ka !== 0) return ka;
  if (a.description !== b.description) return a.description < b.description ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function lineOf(item: BillableItem): InvoiceLine {
  return {
    key: item.key,
    kind: item.kind,
    description: item.description,
    product_code: item.productCode,
    product_name: item.productName,
    tax_code: item.taxCode,
    period_start: item.periodStart,
    period_end: item.periodEnd,
    quantity: item.quantity,
    unit_price: item.unitPrice,
    amount: item.amount,
    subscription_id: item.subscriptionId,
    account_id: item.accountId,
    breakdown: item.breakdown,
    percentile: item.percentile,
    taxes: [],
  };
}

/**
 * Lines per account of the billing group, in the group's order; accounts
 * without lines are left out. Refuses an item of an account outside the
 * group or a line key seen twice: either would bill something twice or to
 * the wrong customer.
 */
export function buildInvoiceGroups(input: InvoiceGenerationInput): InvoiceGroup[] {
  const byAccount = new Map<string, InvoiceLine[]>();
  for (const member of input.members) byAccount.set(member.id, []);
  const seen = new Set<string>();
  for (const item of [...input.items, ...minimumTrueUps(input.minimums, input.currency)]) {
    if (seen.has(item.key)) throw new RangeError(`line ${item.key} appears twice`);
    seen.add(item.key);
    const lines = byAccount.get(item.accountId);
    if (!lines) throw new RangeError(`line ${item.key} belongs to account ${item.accountId}, which is not billed on this invoice`);
    if (!roundMoney(new Decimal(item.amount), input.currency).eq(item.amount)) {
      throw new RangeError(`line ${item.key} amount ${item.amount} is not rounded to ${input.currency}`);
    }
    lines.push(lineOf(item));
  }
  const groups: InvoiceGroup[] = [];
  for (const member of input.members) {
    const lines = byAccount.get(member.id)!;
    if (lines.length === 0) continue;
    lines.sort(compareLines);
    groups.push({
      account_id: member.id,
      account_name: member.name,
      path: member.path,
      depth: member.depth,
      lines,
      subtotal: money(sum(lines.map((l) => new Decimal(l.amount))), input.currency),
    });
  }
  return groups;
}

/** What the tax provider is asked: every line with its amount and tax code. */
export function taxableLines(groups: readonly InvoiceGroup[]): TaxableLine[] {
  return groups.flatMap((g) => g.lines.map((l) => ({ key: l.key, amount: new Decimal(l.amount), taxCode: l.tax_code })));
}

export interface CompletedInvoice {
  groups: InvoiceGroup[];
  taxes: TaxSummary[];
  taxNotes: string[];
  totals: InvoiceTotals;
}

/**
 * Line taxes and totals (see invoice-document.ts for the formulas).
 * `creditAvailable` is the account's credit balance; it pays as much of a
 * positive total as it can. Payments and credit notes come later, so a new
 * invoice has nothing paid or credited.
 */
export function completeInvoice(groups: readonly InvoiceGroup[], tax: TaxCalculation, currency: string, creditAvailable: Decimal): CompletedInvoice {
  const taxed = groups.map((g) => ({ ...g, lines: g.lines.map((l) => ({ ...l, taxes: tax.lines.get(l.key) ?? [] })) }));
  const lines = taxed.flatMap((g) => g.lines);
  const subtotal = sum(lines.filter((l) => l.kind !== 'discount').map((l) => new Decimal(l.amount)));
  const discountTotal = sum(lines.filter((l) => l.kind === 'discount').map((l) => new Decimal(l.amount))).negated();
  const taxTotal = roundMoney(tax.taxTotal, currency);
  const total = subtotal.minus(discountTotal).plus(taxTotal);
  const creditApplied = total.isPositive() && !total.isZero() ? Decimal.min(total, Decimal.max(creditAvailable, ZERO)) : ZERO;
  const amountDue = Decimal.max(total.minus(creditApplied), ZERO);
  return {
    groups: taxed,
    taxes: tax.summary,
    taxNotes: tax.notes,
    totals: {
      subtotal: money(subtotal, currency),
      discount_total: money(discountTotal, currency),
      tax_total: money(taxTotal, currency),
      tax_included: money(tax.taxIncluded, currency),
      total: money(total, currency),
      credit_applied: money(creditApplied, currency),
      amount_due: money(amountDue, currency),
      amount_paid: money(ZERO, currency),
      amount_remaining: money(amountDue, currency),
      credited_total: money(ZERO, currency),
    },
  };
}
