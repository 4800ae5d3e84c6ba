import type { MeteringDatabase } from '../metering/database';
import { USAGE, type InvoicingFixture } from './seed';

/**
 * What PostgreSQL alone takes for the bill run's data work, measured in the
 * same run, over a superuser connection (no row-level security, no
 * transaction per account, nothing leaves the server but the answer):
 * - `aggregation`: one GROUP BY over the month's events per subscription and
 *   code with everything the four event metrics need (count, sum, max,
 *   distinct addresses);
 * - `percentile`: every subscription's 95th (nearest rank, max of in and out)
 *   with percentile_disc over its unnested slot rates;
 * - `write`: after the run, a copy of what it wrote (every invoice row with
 *   its document, every line, the claim of every charge) inserted and
 *   updated again in one transaction (the trigger that freezes charges of
 *   finalised invoices disabled inside it), then rolled back.
 * The sum is a floor for the run, not a design: it has no rating, no
 * per-account isolation and no retries.
 */
export interface BaselineFigures {
  aggregation_seconds: number;
  aggregation_groups: number;
  percentile_seconds: number | null;
  percentile_subscriptions: number | null;
}

const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(2));

export async function readBaseline(db: MeteringDatabase, fixture: InvoicingFixture, percentile: boolean): Promise<BaselineFigures> {
  const { tenantId, month } = fixture;
  let started = performance.now();
  const groups = await db.superuser.query(
    `SELECT subscription_id, code, count(*), sum(value), max(value), count(DISTINCT properties ->> '${USAGE.addresses.property}')
       FROM usage_events WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY subscription_id, code`,
    [tenantId, month.from, month.to],
  );
  const aggregation = { aggregation_seconds: seconds(started), aggregation_groups: groups.rowCount ?? 0 };
  if (!percentile) return { ...aggregation, percentile_seconds: null, percentile_subscriptions: null };
  started = performance.now();
  const ports = await db.superuser.query(
    `SELECT subscription_id, greatest(
              percentile_disc(0.95) WITHIN GROUP (ORDER BY r.i) FILTER (WHERE r.i IS NOT NULL),
              percentile_disc(0.95) WITHIN GROUP (ORDER BY r.o) FILTER (WHERE r.o IS NOT NULL)) AS p95
       FROM usage_samples s,
            LATERAL unnest(s.in_sum, s.in_count, s.out_sum, s.out_count) AS u (i_sum, i_count, o_sum, o_count),
            LATERAL (SELECT u.i_sum / nullif(u.i_count, 0) AS i, u.o_sum / nullif(u.o_count, 0) AS o) AS r
      WHERE s.tenant_id = $1 AND s.code = $2 AND s.day >= $3::date AND s.day < $4::date
      GROUP BY subscription_id`,
    [tenantId, USAGE.transit.event, month.from.toISOString().slice(0, 10), month.to.toISOString().slice(0, 10)],
  );
  return { ...aggregation, percentile_seconds: seconds(started), percentile_subscriptions: ports.rowCount ?? 0 };
}

export interface WriteBaseline {
  seconds: number;
  invoices: number;
  lines: number;
  claims: number;
}

/** The run's writes again, bare: invoices (as drafts, so the finalised-invoice trigger lets their lines in), lines and claims; rolled back. */
export async function writeBaseline(db: MeteringDatabase, tenantId: string): Promise<WriteBaseline> {
  const client = await db.superuser.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE bench_copy ON COMMIT DROP AS SELECT id AS old, gen_random_uuid() AS new FROM invoices WHERE tenant_id = $1`,
      [tenantId],
    );
    const started = performance.now();
    const invoices = await client.query(
      `INSERT INTO invoices (tenant_id, id, account_id, kind, cycle_key, number, sequence_value, status, currency, period_start, period_end, bill_date,
         grace_ends_at, auto_finalize, issued_at, due_at, net_terms_days, po_number, memo, subtotal, discount_total, tax_total, tax_included, total,
         credit_applied, amount_due, amount_paid, amount_remaining, credited_total, document, revision, paid_at, voided_at, marked_uncollectible_at,
         created_at, updated_at)
       SELECT i.tenant_id, m.new, i.account_id, i.kind, 'baseline:' || i.cycle_key, NULL, NULL, 'draft', i.currency, i.period_start, i.period_end, i.bill_date,
         i.grace_ends_at, i.auto_finalize, i.issued_at, i.due_at, i.net_terms_days, i.po_number, i.memo, i.subtotal, i.discount_total, i.tax_total,
         i.tax_included, i.total, i.credit_applied, i.amount_due, i.amount_paid, i.amount_remaining, i.credited_total, i.document, i.revision, NULL, NULL,
         NULL, i.created_at, i.updated_at
         FROM invoices i JOIN bench_copy m ON m.old = i.id WHERE i.tenant_id = $1`,
      [tenantId],
    );
    const lines = await client.query(
      `INSERT INTO invoice_lines (tenant_id, invoice_id, line_key, position, account_id, subscription_id, kind, subscription_charge_id, one_off_charge_id,
         product_code, description, period_start, period_end, quantity, unit_price, amount, tax_amount, line)
       SELECT l.tenant_id, m.new, l.line_key, l.position, l.account_id, l.subscription_id, l.kind,
         CASE WHEN l.subscription_charge_id IS NULL THEN NULL ELSE gen_random_uuid() END, NULL,
         l.product_code, l.description, l.period_start, l.period_end, l.quantity, l.unit_price, l.amount, l.tax_amount, l.line
         FROM invoice_lines l JOIN bench_copy m ON m.old = l.invoice_id WHERE l.tenant_id = $1`,
      [tenantId],
    );
    // Claimed charges on finalised invoices are frozen by a trigger; the copy's claims are the same UPDATE without it (rolled back).
    await client.query('ALTER TABLE subscription_charges DISABLE TRIGGER USER');
    const claims = await client.query(
      `UPDATE subscription_charges c SET invoice_id = m.new FROM bench_copy m WHERE c.tenant_id = $1 AND c.invoice_id = m.old`,
      [tenantId],
    );
    const elapsed = seconds(started);
    await client.query('ROLLBACK');
    return { seconds: elapsed, invoices: invoices.rowCount ?? 0, lines: lines.rowCount ?? 0, claims: claims.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
