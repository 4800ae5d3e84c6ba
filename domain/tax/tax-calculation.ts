import type { TaxExemption, TaxId } from '../accounts/account';
import type { InvoiceLineTax, TaxSummary } from '../invoicing/invoice-document';
import { Decimal, ZERO, sum } from '../money/decimal';
import { fromMinorUnits, minorUnitsOf, roundMoney, toMinorUnits } from '../money/money';
import { applicableRates, jurisdictionOf, type TaxPlace, type TaxRate } from './tax-rate';

/**
 * Tax of one invoice from a rate table (domain/tax/README.md, docs/taxes.md).
 *
 * Tax is computed per rate over the whole invoice, not per line: summing
 * rounded line taxes drifts from the tax on the total by up to half a minor
 * unit per line, and a tax authority checks the total. Each rate's rounded
 * tax is then shared back to its lines by largest remainder, so the lines of
 * a rate add up to exactly its tax.
 */
export interface TaxableLine {
  key: string;
  /** rounded line amount; negative for credits/discounts */
  amount: Decimal;
  taxCode: string | null;
}

export interface TaxRequest {
  currency: string;
  /** The instant that picks the valid rates (the invoice's tax point). */
  at: Date;
  place: TaxPlace | null;
  exemption: TaxExemption;
  customerTaxIds: TaxId[];
  lines: TaxableLine[];
}

export interface TaxCalculation {
  /** Every line key of the request, with the taxes on it (empty when none). */
  lines: Map<string, InvoiceLineTax[]>;
  summary: TaxSummary[];
  notes: string[];
  /** added on top (exclusive rates) */
  taxTotal: Decimal;
  /** contained in inclusive prices */
  taxIncluded: Decimal;
}

export const TAX_EXEMPT_NOTE = 'Tax exempt.';
export const REVERSE_CHARGE_NOTE = 'Reverse charge: VAT is accounted for by the customer (Article 196, Council Directive 2006/112/EC).';
export const NO_PLACE_NOTE = 'No tax calculated: no place of supply is known (neither the customer nor the seller has an address).';

const HUNDRED = new Decimal(100);

/** Decimal keeps the sign of zero ("-0.00" after rounding -0.001); an invoice never prints it. */
function written(amount: Decimal, digits: number): string {
  return (amount.isZero() ? ZERO : amount).toFixed(digits);
}

/** One line's place under one rate: its exact (unrounded) tax in major units. */
interface Share {
  lineIndex: number;
  exact: Decimal;
}

interface RateWork {
  rate: TaxRate;
  shares: Share[];
}

function noTax(request: TaxRequest, notes: string[]): TaxCalculation {
  return { lines: new Map(request.lines.map((l) => [l.key, []])), summary: [], notes, taxTotal: ZERO, taxIncluded: ZERO };
}

function exemptionNotes(request: TaxRequest): string[] | null {
  switch (request.exemption) {
    case 'none':
      return request.place === null ? [NO_PLACE_NOTE] : null;
    case 'exempt':
      return [TAX_EXEMPT_NOTE];
    case 'reverse_charge': {
      const ids = request.customerTaxIds.map((id) => id.value);
      return ids.length === 0 ? [REVERSE_CHARGE_NOTE] : [REVERSE_CHARGE_NOTE, `Customer tax ID${ids.length > 1 ? 's' : ''}: ${ids.join(', ')}.`];
    }
  }
}

/**
 * Splits `total` (rounded, major units) into integer minor units per share
 * so that they add up to `total` exactly and each differs from its exact
 * value by less than one minor unit. money.ts `allocate` refuses negative
 * weights, and a rate's lines mix charges and discounts; this is the same
 * largest-remainder rule over signed exact shares: floor every share (toward
 * minus infinity, so remainders are in [0, 1)), then give one unit to the
 * largest remainders, earlier lines first on ties. Because `total` is the
 * rounded sum of the shares, the units left over are between 0 and the
 * number of shares, and a share never changes sign.
 */
export function allocateSigned(total: Decimal, exact: readonly Decimal[], currency: string): Decimal[] {
  const scale = new Decimal(10).pow(minorUnitsOf(currency));
  const floors = exact.map((e, index) => {
    const scaled = e.times(scale);
    const floor = scaled.floor();
    return { index, units: BigInt(floor.toFixed(0)), remainder: scaled.minus(floor) };
  });
  let leftover = toMinorUnits(total, currency) - floors.reduce((a, f) => a + f.units, 0n);
  if (leftover < 0n || leftover > BigInt(floors.length)) {
    throw new RangeError(`cannot allocate ${total.toString()} ${currency} over shares summing to ${sum(exact).toString()}`);
  }
  const byRemainder = [...floors].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.units += 1n;
    leftover -= 1n;
  }
  return floors.map((f) => fromMinorUnits(f.units, currency));
}

export function calculateTax(rates: readonly TaxRate[], request: TaxRequest): TaxCalculation {
  const digits = minorUnitsOf(request.currency);
  const keys = new Set<string>();
  for (const line of request.lines) {
    if (keys.has(line.key)) throw new RangeError(`line key ${line.key} appears twice in the tax request`);
    keys.add(line.key);
    // Throws unless the amount is already rounded to the currency: tax is computed on what the invoice prints.
    toMinorUnits(line.amount, request.currency);
  }
  const notes = exemptionNotes(request);
  // Exempt, reverse-charged or nowhere: no rate applies; inclusive prices stay as written (docs/taxes.md).
  if (notes !== null || request.place === null) return noTax(request, notes ?? []);
  const place = request.place;

  const ratesOfLine = request.lines.map((line) => applicableRates(rates, place, line.taxCode, request.at));
  // Inclusive rates stacked on one line share its gross: each contains p / (100 + sum of inclusive p) of it.
  const inclusiveSum = ratesOfLine.map((rs) => sum(rs.filter((r) => r.inclusive).map((r) => r.percentage)));

  const work = new Map<string, RateWork>();
  request.lines.forEach((line, lineIndex) => {
    for (const rate of ratesOfLine[lineIndex]!) {
      const exact = rate.inclusive
        ? line.amount.times(rate.percentage).dividedBy(HUNDRED.plus(inclusiveSum[lineIndex]!))
        : line.amount.times(rate.percentage).dividedBy(HUNDRED);
      const entry = work.get(rate.id) ?? { rate, shares: [] };
      entry.shares.push({ lineIndex, exact });
      work.set(rate.id, entry);
    }
  });

  const lineTaxes: InvoiceLineTax[][] = request.lines.map(() => []);
  // Rounded inclusive tax per line, to state each inclusive rate's net (gross minus the tax it contains).
  const containedOfLine: Decimal[] = request.lines.map(() => ZERO);
  const allocated = new Map<string, { tax: Decimal; shares: Decimal[] }>();
  for (const { rate, shares } of work.values()) {
    const rounded = roundMoney(sum(shares.map((s) => s.exact)), request.currency);
    const tax = rounded.isZero() ? ZERO : rounded;
    const split = allocateSigned(tax, shares.map((s) => s.exact), request.currency);
    allocated.set(rate.id, { tax, shares: split });
    shares.forEach((share, i) => {
      const amount = split[i]!;
      if (rate.inclusive) containedOfLine[share.lineIndex] = containedOfLine[share.lineIndex]!.plus(amount);
      lineTaxes[share.lineIndex]!.push({
        rate_id: rate.id,
        name: rate.name,
        percentage: rate.percentage.toFixed(),
        inclusive: rate.inclusive,
        amount: written(amount, digits),
      });
    });
  }

  const summary: TaxSummary[] = [];
  let taxTotal = ZERO;
  let taxIncluded = ZERO;
  for (const { rate, shares } of work.values()) {
    const { tax } = allocated.get(rate.id)!;
    // Exclusive: the prices as written. Inclusive: the prices less every inclusive tax they contain.
    const taxable = sum(
      shares.map((s) => {
        const amount = request.lines[s.lineIndex]!.amount;
        return rate.inclusive ? amount.minus(containedOfLine[s.lineIndex]!) : amount;
      }),
    );
    if (rate.inclusive) taxIncluded = taxIncluded.plus(tax);
    else taxTotal = taxTotal.plus(tax);
    summary.push({
      rate_id: rate.id,
      name: rate.name,
      percentage: rate.percentage.toFixed(),
      inclusive: rate.inclusive,
      jurisdiction: jurisdictionOf(rate),
      taxable_amount: written(taxable, digits),
      amount: written(tax, digits),
    });
  }

  return {
    lines: new Map(request.lines.map((line, i) => [line.key, lineTaxes[i]!])),
    summary,
    notes: [],
    taxTotal,
    taxIncluded,
  };
}
