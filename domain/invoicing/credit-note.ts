import { type Decimal, ZERO, max, min, sum } from '../money/decimal';
import { allocate, minorUnitsOf, roundMoney } from '../money/money';

/**
 * What a credit note may credit and how its total is used. Pure: the
 * service loads the locked invoice, its lines and what earlier credit notes
 * took, asks here, and saves the answer.
 *
 * Rules (docs/invoicing.md, "Credit notes"):
 * - only charge lines (amount > 0) are credited, each at most its amount
 *   minus what earlier notes credited of it;
 * - every credited amount carries its share of the line's tax, computed on
 *   the running total (round(tax × credited so far / amount) minus the tax
 *   already credited), so a line credited in parts credits exactly its tax
 *   and never more, whatever the parts;
 * - all notes together never credit more than the invoice's total: with
 *   discount lines the charges add up to more than the invoice, so a whole
 *   invoice credit spreads what is left over the charges instead.
 */
export const CREDIT_NOTE_REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory', 'service_credit', 'billing_error', 'other'] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];

export const CREDIT_OUTCOMES = ['refund', 'credit_balance'] as const;
export type CreditOutcome = (typeof CREDIT_OUTCOMES)[number];

export interface CreditableLine {
  key: string;
  description: string;
  /** The line's net amount and its tax, rounded to the currency. */
  amount: Decimal;
  taxAmount: Decimal;
  /** What earlier (issued) credit notes took of this line. */
  creditedAmount: Decimal;
  creditedTax: Decimal;
}

export interface CreditInvoice {
  currency: string;
  total: Decimal;
  /** Sum of earlier credit notes' totals. */
  creditedTotal: Decimal;
  lines: readonly CreditableLine[];
}

export interface CreditLineRequest {
  lineKey: string;
  /** Absent: the whole remaining line. */
  amount?: Decimal | undefined;
}

export interface CreditedLine {
  lineKey: string;
  description: string;
  amount: Decimal;
  taxAmount: Decimal;
}

/** `invalid` is bad input (400); `exceeds` asks for more than is left (422 credit_exceeds_invoice). */
export interface CreditProblem {
  kind: 'invalid' | 'exceeds';
  field: string;
  code: string;
  message: string;
}

export type CreditPlan =
  | { ok: true; lines: CreditedLine[]; subtotal: Decimal; taxTotal: Decimal; total: Decimal }
  | { ok: false; problems: CreditProblem[] };

// Comparisons, not isPositive(): decimal.js calls zero positive.
const remainingOf = (line: CreditableLine) => ({ amount: line.amount.minus(line.creditedAmount), tax: line.taxAmount.minus(line.creditedTax) });

/** Between 0 and `bound`, whichever sign `bound` has. */
function clampToward(value: Decimal, bound: Decimal): Decimal {
  return bound.lessThan(0) ? min(max(value, bound), ZERO) : max(min(value, bound), ZERO);
}

/** The tax `credited` (net, this note) carries, on the line's running total. */
export function creditTax(line: CreditableLine, credited: Decimal, currency: string): Decimal {
  const rest = remainingOf(line);
  if (credited.equals(rest.amount)) return rest.tax;
  const cumulative = roundMoney(line.taxAmount.times(line.creditedAmount.plus(credited)).dividedBy(line.amount), currency);
  return clampToward(cumulative.minus(line.creditedTax), rest.tax);
}

export function leftToCredit(invoice: CreditInvoice): Decimal {
  return max(invoice.total.minus(invoice.creditedTotal), ZERO);
}

function money(value: Decimal, currency: string): string {
  return value.toFixed(minorUnitsOf(currency));
}

function planned(lines: CreditedLine[]): CreditPlan {
  const kept = lines.filter((l) => !l.amount.isZero() || !l.taxAmount.isZero());
  const subtotal = sum(kept.map((l) => l.amount));
  const taxTotal = sum(kept.map((l) => l.taxAmount));
  return { ok: true, lines: kept, subtotal, taxTotal, total: subtotal.plus(taxTotal) };
}

/** Credits every charge line's remainder; if that is more than the invoice has left (discounts), spreads what is left instead. */
function planWholeInvoice(invoice: CreditInvoice): CreditPlan {
  const left = leftToCredit(invoice);
  const open = invoice.lines
    .filter((l) => l.amount.greaterThan(0))
    .map((line) => ({ line, rest: remainingOf(line) }))
    .filter(({ rest }) => rest.amount.greaterThan(0) || rest.tax.greaterThan(0));
  const gross = open.map(({ rest }) => max(rest.amount.plus(rest.tax), ZERO));
  const grossTotal = sum(gross);
  if (left.isZero() || grossTotal.isZero()) {
    return { ok: false, problems: [{ kind: 'exceeds', field: 'lines', code: 'fully_credited', message: 'the invoice has nothing left to credit' }] };
  }
  if (grossTotal.lessThanOrEqualTo(left)) {
    return planned(open.map(({ line, rest }) => ({ lineKey: line.key, description: line.description, amount: rest.amount, taxAmount: rest.tax })));
  }
  // Exactly `left`, split by each line's remaining gross, then into net and tax in the line's own proportion.
  const shares = allocate(left, gross, invoice.currency);
  return planned(
    open.map(({ line, rest }, i) => {
      const share = shares[i]!;
      const g = gross[i]!;
      let tax = share.equals(g) ? rest.tax : clampToward(roundMoney(share.times(rest.tax).dividedBy(g), invoice.currency), rest.tax);
      let amount = share.minus(tax);
      if (amount.greaterThan(rest.amount)) {
        amount = rest.amount;
        tax = share.minus(amount);
      }
      return { lineKey: line.key, description: line.description, amount, taxAmount: tax };
    }),
  );
}

function planLines(invoice: CreditInvoice, requested: readonly CreditLineRequest[]): CreditPlan {
  const { currency } = invoice;
  const digits = minorUnitsOf(currency);
  const byKey = new Map(invoice.lines.map((l) => [l.key, l]));
  const seen = new Set<string>();
  const problems: CreditProblem[] = [];
  const lines: CreditedLine[] = [];
  requested.forEach((req, i) => {
    const at = `lines[${i}]`;
    const line = byKey.get(req.lineKey);
    if (seen.has(req.lineKey)) {
      problems.push({ kind: 'invalid', field: `${at}.line_key`, code: 'duplicate', message: 'names a line already listed; give each line once' });
      return;
    }
    seen.add(req.lineKey);
    if (!line) {
      problems.push({ kind: 'invalid', field: `${at}.line_key`, code: 'unknown', message: `the invoice has no line "${req.lineKey}"` });
      return;
    }
    if (!line.amount.greaterThan(0)) {
      problems.push({
        kind: 'invalid', field: `${at}.line_key`, code: 'not_creditable',
        message: `is a discount or credit line (${money(line.amount, currency)}); only charge lines can be credited`,
      });
      return;
    }
    if (req.amount !== undefined && req.amount.decimalPlaces() > digits) {
      problems.push({ kind: 'invalid', field: `${at}.amount`, code: 'too_precise', message: `${currency} amounts have at most ${digits} decimal places` });
      return;
    }
    const rest = remainingOf(line);
    const amount = req.amount ?? rest.amount;
    if (!rest.amount.greaterThan(0)) {
      problems.push({ kind: 'exceeds', field: req.amount === undefined ? `${at}.line_key` : `${at}.amount`, code: 'fully_credited', message: 'the line is already fully credited' });
      return;
    }
    if (amount.greaterThan(rest.amount)) {
      problems.push({
        kind: 'exceeds', field: `${at}.amount`, code: 'exceeds_line',
        message: `is more than the ${money(rest.amount, currency)} of the line left to credit`,
      });
      return;
    }
    lines.push({ lineKey: line.key, description: line.description, amount, taxAmount: creditTax(line, amount, currency) });
  });
  if (problems.length > 0) return { ok: false, problems };
  const plan = planned(lines);
  const left = leftToCredit(invoice);
  if (plan.ok && plan.total.greaterThan(left)) {
    return {
      ok: false,
      problems: [{
        kind: 'exceeds', field: 'lines', code: 'exceeds_invoice',
        message: `the credit (${money(plan.total, currency)} with tax) is more than the ${money(left, currency)} of the invoice left to credit`,
      }],
    };
  }
  return plan;
}

/** The lines and totals of a new credit note, or every problem with the request. */
export function planCredit(invoice: CreditInvoice, requested: readonly CreditLineRequest[] | undefined): CreditPlan {
  return requested === undefined ? planWholeInvoice(invoice) : planLines(invoice, requested);
}

export interface CreditUse {
  appliedToInvoice: Decimal;
  refundAmount: Decimal;
  creditBalanceAmount: Decimal;
}

/**
 * How a credit note's total is used: first against what the invoice still
 * owes; the rest is refunded (outcome refund) or added to the credit
 * balance. A refund never exceeds the money actually paid and not yet
 * refunded: what the invoice had from the credit balance goes back there.
 */
export function creditUse(input: { total: Decimal; amountRemaining: Decimal; refundable: Decimal; outcome: CreditOutcome }): CreditUse {
  const appliedToInvoice = max(min(input.total, input.amountRemaining), ZERO);
  const rest = input.total.minus(appliedToInvoice);
  const refundAmount = input.outcome === 'refund' ? min(rest, max(input.refundable, ZERO)) : ZERO;
  return { appliedToInvoice, refundAmount, creditBalanceAmount: rest.minus(refundAmount) };
}

/** Statuses an invoice is settled from when nothing remains to pay. */
export const SETTLEABLE_STATUSES = ['open', 'partially_paid', 'uncollectible'] as const;

export function becomesPaid(status: string, amountRemaining: Decimal): boolean {
  return (SETTLEABLE_STATUSES as readonly string[]).includes(status) && amountRemaining.isZero();
}
