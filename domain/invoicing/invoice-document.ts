import type { PostalAddress, TaxExemption, TaxId } from '../accounts/account';

/**
 * The invoice as a customer reads it: what the generator produces, what a
 * finalised invoice freezes (invoices.document), and the single input of
 * every view (JSON, HTML, PDF). Amounts are decimal strings written with the
 * currency's minor digits ("1250.00", "1250" for JPY); nothing here is a JS
 * number except counts.
 *
 * Sign conventions: charge lines are positive, credits (proration credits,
 * discounts, negative adjustments) negative. Totals:
 *   subtotal       = sum of every line's amount except discount lines
 *   discount_total = minus the sum of discount lines (a positive figure)
 *   tax_total      = tax added on top (exclusive rates only)
 *   total          = subtotal - discount_total + tax_total
 *   amount_due     = max(total - credit_applied, 0)
 * Tax included in inclusive prices is reported in `tax_included`, not added.
 */
export const INVOICE_STATUSES = ['draft', 'open', 'partially_paid', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE_LINE_KINDS = [
  'recurring',
  'proration_credit',
  'proration_charge',
  'one_time',
  'discount',
  'usage',
  'usage_adjustment',
  'one_off',
  'minimum_true_up',
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

/** A readable step of a rating: a tier, the 95th-percentile figure, the commit, an allowance. */
export interface BreakdownEntry {
  description: string;
  quantity: string | null;
  unit_price: string | null;
  /** Exact (unrounded) share of the line's amount. */
  amount: string;
}

/** The facts a burstable-bandwidth line is billed on, printed next to its graph. */
export interface PercentileFacts {
  /** The billed figure (e.g. 95th percentile in Mbps). */
  billed_rate: string;
  percentile: number;
  commit: string | null;
  unit: string;
  method: string | null;
  samples_expected: number | null;
  samples_known: number | null;
  /** Share of expected samples that arrived, 0..1 as a decimal string. */
  completeness: string | null;
  /** Where to read the samples for the graph (services/invoicing/percentile-graph.ts). */
  series: {
    subscription_id: string;
    account_id: string;
    metric_code: string;
    group: Record<string, string | null>;
  } | null;
}

export interface InvoiceLineTax {
  rate_id: string | null;
  name: string;
  /** Percentage as a decimal string, "20" for 20 %. */
  percentage: string;
  inclusive: boolean;
  /** This line's share of the rate's tax, to the minor unit. */
  amount: string;
}

export interface InvoiceLine {
  /** Deterministic identity: `charge:{subscription charge id}`, `one_off:{id}`, `true_up:{subscription}/{period start}`. */
  key: string;
  kind: InvoiceLineKind;
  description: string;
  product_code: string | null;
  product_name: string | null;
  tax_code: string | null;
  period_start: string | null;
  period_end: string | null;
  quantity: string | null;
  unit_price: string | null;
  /** Rounded to the currency. */
  amount: string;
  subscription_id: string | null;
  /** The account whose service this is (a child's id on a master invoice). */
  account_id: string;
  breakdown: BreakdownEntry[];
  percentile: PercentileFacts | null;
  taxes: InvoiceLineTax[];
}

/** The lines of one account on the invoice: the billing account first, then each child that bills to it, depth first. */
export interface InvoiceGroup {
  account_id: string;
  account_name: string;
  /** Names from the billing account down to this account. */
  path: string[];
  depth: number;
  lines: InvoiceLine[];
  /** Sum of the group's line amounts, before tax. */
  subtotal: string;
}

export interface TaxSummary {
  rate_id: string | null;
  name: string;
  percentage: string;
  inclusive: boolean;
  jurisdiction: string;
  /** Net amount the rate applied to. */
  taxable_amount: string;
  amount: string;
}

export interface InvoiceTotals {
  subtotal: string;
  discount_total: string;
  tax_total: string;
  tax_included: string;
  total: string;
  credit_applied: string;
  amount_due: string;
  amount_paid: string;
  amount_remaining: string;
  credited_total: string;
}

export interface SellerDetails {
  name: string;
  legal_name: string | null;
  address: PostalAddress | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  tax_ids: TaxId[];
  /** Hex colours, "#0b5cad". */
  primary_color: string;
  accent_color: string;
  /** PNG or JPEG, base64; drawn at the top left of the PDF. */
  logo: { media_type: 'image/png' | 'image/jpeg'; base64: string } | null;
  remittance: RemittanceDetails | null;
  footer: string | null;
}

/** Where to send a check, an ACH transfer or a wire. */
export interface RemittanceDetails {
  bank_name: string | null;
  account_name: string | null;
  account_number: string | null;
  /** ABA routing number for ACH and domestic wires. */
  routing_number: string | null;
  iban: string | null;
  swift_bic: string | null;
  /** Postal address for checks. */
  check_address: PostalAddress | null;
  instructions: string | null;
}

export interface CustomerDetails {
  account_id: string;
  name: string;
  legal_name: string | null;
  email: string | null;
  billing_address: PostalAddress | null;
  tax_ids: TaxId[];
  tax_exemption: TaxExemption;
}

export interface InvoiceDocument {
  kind: 'invoice';
  id: string;
  /** Null while draft: numbers are given at finalisation, gapless. */
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  /** BCP 47, the customer's: dates and amounts are written in it. */
  locale: string;
  timezone: string;
  /** Billing period the invoice closes (cycle invoices); null for one-off invoices. */
  period: { start: string; end: string } | null;
  issued_at: string | null;
  due_at: string | null;
  po_number: string | null;
  memo: string | null;
  seller: SellerDetails;
  customer: CustomerDetails;
  groups: InvoiceGroup[];
  taxes: TaxSummary[];
  /** Sentences the law asks for: "Reverse charge…", "Tax exempt…". */
  tax_notes: string[];
  totals: InvoiceTotals;
}

export interface CreditNoteLine {
  invoice_line_key: string;
  description: string;
  /** Credited net amount (positive). */
  amount: string;
  tax_amount: string;
}

export interface CreditNoteDocument {
  kind: 'credit_note';
  id: string;
  number: string;
  invoice_id: string;
  invoice_number: string;
  currency: string;
  locale: string;
  timezone: string;
  issued_at: string;
  reason: string;
  memo: string | null;
  /** Where the credit went: back to the customer's payment method, or to the account's credit balance. */
  outcome: 'refund' | 'credit_balance';
  seller: SellerDetails;
  customer: CustomerDetails;
  lines: CreditNoteLine[];
  subtotal: string;
  tax_total: string;
  total: string;
}
