import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { InvoiceDocument, InvoiceLine, InvoiceLineKind, InvoiceStatus } from '../../domain/invoicing/invoice-document';
import { Decimal, ZERO, max, sum } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';

/**
 * A finalised invoice written straight to the tables, for tests of what
 * happens after finalisation (credit notes, payments). It is inserted as a
 * draft with its lines, then moved to its status in one UPDATE, as the
 * finalisation trigger allows; the figures are consistent with the lines.
 * The real drafting and finalisation path has its own tests.
 */
export interface InvoiceRowLine {
  key: string;
  /** Net amount and its tax, with the currency's digits. */
  amount: string;
  taxAmount: string;
  description: string;
  /** Default: `discount` for a negative amount, else `one_off`. */
  kind?: InvoiceLineKind;
}

export interface FinalisedInvoiceInput {
  tenantId: string;
  accountId: string;
  currency: string;
  lines: InvoiceRowLine[];
  /** Default open; `draft` leaves it a draft. */
  status?: InvoiceStatus;
  number?: string;
  /** Paid so far (a paid invoice is paid in full whatever this says). */
  amountPaid?: string;
  /** Taken from the credit balance at finalisation. */
  creditApplied?: string;
}

const SELLER = {
  name: 'Test Colo', legal_name: 'Test Colo LLC', address: null, email: 'billing@test-colo.example', phone: null, website: null,
  tax_ids: [], primary_color: '#0b5cad', accent_color: '#f5a623', logo: null, remittance: null, footer: null,
};

export async function insertFinalisedInvoice(tx: EntityManager, input: FinalisedInvoiceInput): Promise<{ id: string; number: string | null }> {
  const { tenantId, accountId, currency } = input;
  const status = input.status ?? 'open';
  const id = randomUUID();
  const now = new Date();
  const m = (v: Decimal) => money(v, currency);
  const kindOf = (l: InvoiceRowLine): InvoiceLineKind => l.kind ?? (new Decimal(l.amount).lessThan(0) ? 'discount' : 'one_off');
  const lines: InvoiceLine[] = input.lines.map((l) => ({
    key: l.key, kind: kindOf(l), description: l.description, product_code: null, product_name: null, tax_code: null,
    period_start: null, period_end: null, quantity: null, unit_price: null, amount: l.amount, subscription_id: null, account_id: accountId,
    breakdown: [], percentile: null,
    taxes: new Decimal(l.taxAmount).isZero() ? [] : [{ rate_id: null, name: 'Test tax', percentage: '20', inclusive: false, amount: l.taxAmount }],
  }));

  const discounts = input.lines.filter((l) => kindOf(l) === 'discount');
  const subtotal = sum(input.lines.filter((l) => kindOf(l) !== 'discount').map((l) => new Decimal(l.amount)));
  const discountTotal = sum(discounts.map((l) => new Decimal(l.amount))).negated();
  const taxTotal = sum(input.lines.map((l) => new Decimal(l.taxAmount)));
  const total = subtotal.minus(discountTotal).plus(taxTotal);
  const creditApplied = new Decimal(input.creditApplied ?? '0');
  const amountDue = max(total.minus(creditApplied), ZERO);
  const amountPaid = status === 'paid' ? amountDue : new Decimal(input.amountPaid ?? '0');
  const number = status === 'draft' ? null : (input.number ?? `TEST-${randomUUID().slice(0, 8)}`);

  const document: InvoiceDocument = {
    kind: 'invoice', id, number, status, currency, locale: 'en-US', timezone: 'UTC', period: null,
    issued_at: status === 'draft' ? null : now.toISOString(), due_at: null, po_number: null, memo: null,
    seller: SELLER,
    customer: { account_id: accountId, name: 'Test customer', legal_name: null, email: null, billing_address: null, tax_ids: [], tax_exemption: 'none' },
    groups: [{ account_id: accountId, account_name: 'Test customer', path: ['Test customer'], depth: 0, lines, subtotal: m(sum(input.lines.map((l) => new Decimal(l.amount)))) }],
    taxes: [], tax_notes: [],
    totals: {
      subtotal: m(subtotal), discount_total: m(discountTotal), tax_total: m(taxTotal), tax_included: m(ZERO), total: m(total),
      credit_applied: m(creditApplied), amount_due: m(amountDue), amount_paid: m(amountPaid), amount_remaining: m(amountDue.minus(amountPaid)), credited_total: m(ZERO),
    },
  };

  await tx.query(
    `INSERT INTO invoices (tenant_id, id, account_id, kind, status, currency, bill_date, auto_finalize, net_terms_days,
       subtotal, discount_total, tax_total, tax_included, total, credit_applied, amount_due, amount_paid, amount_remaining, credited_total,
       document, revision, created_at, updated_at)
     VALUES ($1, $2, $3, 'one_off', 'draft', $4, $5, false, 30, $6, $7, $8, 0, $9, $10, $11, 0, $11, 0, $12, 1, $5, $5)`,
    [tenantId, id, accountId, currency, now, subtotal.toFixed(), discountTotal.toFixed(), taxTotal.toFixed(), total.toFixed(), creditApplied.toFixed(), amountDue.toFixed(), { ...document, number: null, status: 'draft' }],
  );
  for (const [position, l] of input.lines.entries()) {
    await tx.query(
      `INSERT INTO invoice_lines (tenant_id, invoice_id, line_key, position, account_id, kind, description, amount, tax_amount, line)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [tenantId, id, l.key, position, accountId, kindOf(l), l.description, l.amount, l.taxAmount, lines[position]],
    );
  }
  if (status === 'draft') return { id, number };
  await tx.query(
    `UPDATE invoices SET status = $3, number = $4, sequence_value = $5, issued_at = $6, document = $7, amount_paid = $8, amount_remaining = $9,
       paid_at = $10, voided_at = $11, marked_uncollectible_at = $12
     WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId, id, status, number, randomInt(1, 2 ** 47), now, document, amountPaid.toFixed(), amountDue.minus(amountPaid).toFixed(),
      status === 'paid' ? now : null, status === 'void' ? now : null, status === 'uncollectible' ? now : null,
    ],
  );
  return { id, number };
}

/** Everything a credit note, a payment or a grant may write, to assert a refused request changed nothing. */
export async function invoicingFootprint(tx: EntityManager, tenantId: string): Promise<Record<string, unknown>> {
  const one = async (sql: string) => ((await tx.query(sql, [tenantId])) as Array<Record<string, unknown>>)[0];
  return {
    counts: await one(`SELECT
        (SELECT count(*) FROM credit_notes WHERE tenant_id = $1)::int AS credit_notes,
        (SELECT count(*) FROM credit_note_lines WHERE tenant_id = $1)::int AS credit_note_lines,
        (SELECT count(*) FROM credit_balance_entries WHERE tenant_id = $1)::int AS credit_balance_entries,
        (SELECT count(*) FROM invoice_payments WHERE tenant_id = $1)::int AS invoice_payments,
        (SELECT count(*) FROM audit_log WHERE tenant_id = $1)::int AS audit_entries`),
    sequences: await tx.query(`SELECT kind, next_value FROM document_number_sequences WHERE tenant_id = $1 ORDER BY kind`, [tenantId]),
    invoices: await tx.query(
      `SELECT id, status, amount_paid::text, amount_remaining::text, credited_total::text, paid_at, updated_at FROM invoices WHERE tenant_id = $1 ORDER BY id`,
      [tenantId],
    ),
  };
}
