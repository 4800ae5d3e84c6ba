import type { MeteringDatabase } from '../metering/database';
import { FIXED_CHARGES, USAGE_CHARGES, type InvoicingFixture } from './seed';

/**
 * What must hold after a bill run (or a run whose worker was killed over
 * and over), read with bare SQL as a superuser so nothing of Rackrate's
 * reading code is trusted:
 * - every billing account has exactly one invoice for the bill date, no
 *   other account has one, and none is left a draft;
 * - every charge of the tenant is on exactly one invoice, the one of its
 *   account's billing account, and the invoice line points back at it;
 *   each account has its 3 fixed and 5 usage lines (children's lines on
 *   their parents' invoices);
 * - invoice numbers are unique and gapless from 1, and match the counter;
 * - each invoice's totals equal its lines: total = sum of line amounts +
 *   tax, subtotal − discounts + tax = total, amount due = total − credit.
 */
export interface BillRunChecks {
  billing_accounts: number;
  invoices: number;
  /** Billing accounts with no invoice or more than one for the bill date. */
  accounts_without_exactly_one_invoice: number;
  /** Invoices of accounts that bill to a parent. */
  invoices_of_children: number;
  drafts_left: number;
  charges: number;
  usage_charges: number;
  /** Charges with no invoice, or on an invoice that is not their billing account's, or without exactly one line pointing at them. */
  charges_not_on_exactly_one_invoice: number;
  lines: number;
  /** Accounts whose lines on their billing account's invoice are not 3 fixed + 5 usage. */
  accounts_without_8_lines: number;
  numbers: { count: number; distinct: number; min: number | null; max: number | null; counter_next: number | null; gapless: boolean };
  /** Invoices whose stored totals do not follow from their lines. */
  invoices_with_totals_off: number;
  ok: boolean;
}

export async function checkBillRun(db: MeteringDatabase, fixture: InvoicingFixture, billDate: Date): Promise<BillRunChecks> {
  const q = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await db.superuser.query(sql, [fixture.tenantId, ...params])).rows[0] as T;
  const cycleKey = billDate.toISOString();
  const accounts = await q<{ billing: string; without: string; children: string; invoices: string; drafts: string }>(
    `WITH per AS (SELECT account_id, count(*) AS n FROM invoices WHERE tenant_id = $1 AND cycle_key = $2 GROUP BY account_id)
     SELECT count(*) FILTER (WHERE NOT a.bill_to_parent) AS billing,
            count(*) FILTER (WHERE NOT a.bill_to_parent AND per.n IS DISTINCT FROM 1) AS without,
            count(*) FILTER (WHERE a.bill_to_parent AND per.n IS NOT NULL) AS children,
            (SELECT count(*) FROM invoices WHERE tenant_id = $1) AS invoices,
            (SELECT count(*) FROM invoices WHERE tenant_id = $1 AND status = 'draft') AS drafts
       FROM accounts a LEFT JOIN per ON per.account_id = a.id WHERE a.tenant_id = $1`,
    [cycleKey],
  );
  const charges = await q<{ charges: string; usage: string; off: string }>(
    `WITH lc AS (SELECT subscription_charge_id AS id, count(*) AS n, min(invoice_id::text) AS invoice_id
                   FROM invoice_lines WHERE tenant_id = $1 AND subscription_charge_id IS NOT NULL GROUP BY 1)
     SELECT count(*) AS charges, count(*) FILTER (WHERE c.kind = 'usage') AS usage,
            count(*) FILTER (WHERE c.invoice_id IS NULL OR lc.n IS DISTINCT FROM 1 OR lc.invoice_id IS DISTINCT FROM c.invoice_id::text
                                OR i.account_id IS DISTINCT FROM c.billing_account_id) AS off
       FROM subscription_charges c LEFT JOIN lc ON lc.id = c.id LEFT JOIN invoices i ON i.tenant_id = $1 AND i.id = c.invoice_id
      WHERE c.tenant_id = $1`,
  );
  const lines = await q<{ lines: string; short: string }>(
    `WITH per AS (SELECT account_id, count(*) FILTER (WHERE kind = 'recurring') AS fixed, count(*) FILTER (WHERE kind = 'usage') AS usage
                    FROM invoice_lines WHERE tenant_id = $1 GROUP BY account_id)
     SELECT (SELECT count(*) FROM invoice_lines WHERE tenant_id = $1) AS lines,
            count(*) FILTER (WHERE per.fixed IS DISTINCT FROM $2 OR per.usage IS DISTINCT FROM $3) AS short
       FROM accounts a LEFT JOIN per ON per.account_id = a.id WHERE a.tenant_id = $1`,
    [FIXED_CHARGES, USAGE_CHARGES],
  );
  const numbers = await q<{ count: string; distinct: string; min: string | null; max: string | null; counter: string | null; pattern_off: string }>(
    `SELECT count(sequence_value) AS count, count(DISTINCT sequence_value) AS distinct, min(sequence_value) AS min, max(sequence_value) AS max,
            (SELECT next_value FROM document_number_sequences WHERE tenant_id = $1 AND kind = 'invoice') AS counter,
            count(*) FILTER (WHERE number IS DISTINCT FROM (SELECT invoice_number_prefix FROM tenants WHERE id = $1) || lpad(sequence_value::text, 6, '0')) AS pattern_off
       FROM invoices WHERE tenant_id = $1 AND number IS NOT NULL`,
  );
  const totals = await q<{ off: string }>(
    `SELECT count(*) AS off FROM invoices i
       LEFT JOIN LATERAL (SELECT coalesce(sum(amount), 0) AS lines FROM invoice_lines l WHERE l.tenant_id = $1 AND l.invoice_id = i.id) s ON true
      WHERE i.tenant_id = $1
        AND (i.total <> s.lines + i.tax_total OR i.subtotal - i.discount_total + i.tax_total <> i.total
             OR i.amount_due <> greatest(i.total - i.credit_applied, 0))`,
  );
  const count = Number(numbers.count);
  const min = numbers.min === null ? null : Number(numbers.min);
  const max = numbers.max === null ? null : Number(numbers.max);
  const counterNext = numbers.counter === null ? null : Number(numbers.counter);
  const gapless = Number(numbers.distinct) === count && (count === 0 || (min === 1 && max === count)) && counterNext === count + 1 && Number(numbers.pattern_off) === 0;
  const result: Omit<BillRunChecks, 'ok'> = {
    billing_accounts: Number(accounts.billing),
    invoices: Number(accounts.invoices),
    accounts_without_exactly_one_invoice: Number(accounts.without),
    invoices_of_children: Number(accounts.children),
    drafts_left: Number(accounts.drafts),
    charges: Number(charges.charges),
    usage_charges: Number(charges.usage),
    charges_not_on_exactly_one_invoice: Number(charges.off),
    lines: Number(lines.lines),
    accounts_without_8_lines: Number(lines.short),
    numbers: { count, distinct: Number(numbers.distinct), min, max, counter_next: counterNext, gapless },
    invoices_with_totals_off: Number(totals.off),
  };
  const n = fixture.accountIds.length;
  const ok =
    result.billing_accounts === fixture.billingAccountIds.length && result.invoices === result.billing_accounts && result.accounts_without_exactly_one_invoice === 0 &&
    result.invoices_of_children === 0 && result.drafts_left === 0 && result.charges === n * (FIXED_CHARGES + USAGE_CHARGES) &&
    result.usage_charges === n * USAGE_CHARGES && result.charges_not_on_exactly_one_invoice === 0 && result.lines === result.charges &&
    result.accounts_without_8_lines === 0 && gapless && count === result.invoices && result.invoices_with_totals_off === 0;
  return { ...result, ok };
}
