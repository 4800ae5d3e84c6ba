import type { EntityManager } from 'typeorm';
import type { ChargeLine } from '../../domain/subscriptions/charge-lines';
import { uuidv7 } from '../../lib/ids';
import { rerateClosedPeriod, usageReceivedSinceRating } from '../metering/usage-close';

/**
 * Late usage during a draft's grace period (docs/invoicing.md, "Late
 * usage"): every usage period on the draft is rated again from the events
 * stored now, and its usage charges are updated in place — the same line
 * keys, new quantity, amount and breakdown — so the invoice shows the
 * period's final usage on one line. A new group (a port that reported late)
 * becomes a new charge the refresh then claims. Once the invoice is
 * finalised its lines are frozen; later events become adjustments at the
 * subscription's next period close (docs/metering.md).
 *
 * Only charges still on this draft are touched (the upsert's WHERE), and
 * the draft's billing-account lock is held by the caller.
 */
interface DraftUsagePeriod {
  subscription_id: string;
  account_id: string;
  billing_account_id: string;
  currency: string;
  period_start: Date;
  period_end: Date;
}

export async function rerateDraftUsage(tx: EntityManager, tenantId: string, invoiceId: string, at: Date): Promise<number> {
  const periods = (await tx.query(
    `SELECT DISTINCT subscription_id, account_id, billing_account_id, currency, period_start, period_end
       FROM subscription_charges WHERE tenant_id = $1 AND invoice_id = $2 AND kind = 'usage'`,
    [tenantId, invoiceId],
  )) as DraftUsagePeriod[];
  let changed = 0;
  for (const p of periods) {
    if (!(await usageReceivedSinceRating(tx, tenantId, p.subscription_id, p.account_id, p.period_start))) continue;
    const lines = await rerateClosedPeriod(tx, tenantId, p.subscription_id, { start: p.period_start, end: p.period_end });
    for (const line of lines) {
      changed += await recordUsageLine(tx, tenantId, p, line, at, invoiceId);
    }
  }
  return changed;
}

/**
 * Usage of periods that closed by the bill date but that no subscription
 * workflow has recorded yet (a worker was down, a renewal is running late):
 * rated and recorded here, under the same line keys the workflow uses, so
 * the invoice is complete and the workflow's own close later records
 * nothing twice. Periods are read from the subscriptions' database copy.
 */
export async function closeOverdueUsage(tx: EntityManager, tenantId: string, accountIds: readonly string[], billDate: Date, at: Date): Promise<number> {
  const overdue = (await tx.query(
    `SELECT s.id AS subscription_id, s.account_id, s.billing_account_id, s.currency, s.current_period_start AS period_start, s.current_period_end AS period_end
       FROM subscriptions s
      WHERE s.tenant_id = $1 AND s.account_id = ANY($2::uuid[]) AND s.current_period_end <= $3
        AND s.status IN ('active', 'past_due', 'suspended')
        AND NOT EXISTS (SELECT 1 FROM usage_ratings r WHERE r.tenant_id = s.tenant_id AND r.subscription_id = s.id AND r.period_start = s.current_period_start)`,
    [tenantId, accountIds, billDate],
  )) as DraftUsagePeriod[];
  let recorded = 0;
  for (const p of overdue) {
    const lines = await rerateClosedPeriod(tx, tenantId, p.subscription_id, { start: p.period_start, end: p.period_end });
    for (const line of lines) {
      recorded += await recordUsageLine(tx, tenantId, p, line, at, null);
    }
  }
  return recorded;
}

/**
 * Records one usage line under its deterministic key; 1 when a row was
 * written. With `draftId`, a line already on that draft is updated in place
 * (re-rating during the grace period); without, an existing line is left as
 * it is (the workflow recorded it first).
 */
async function recordUsageLine(tx: EntityManager, tenantId: string, p: DraftUsagePeriod, line: ChargeLine, at: Date, draftId: string | null): Promise<number> {
  const onConflict = draftId === null
    ? 'DO NOTHING'
    : `DO UPDATE SET quantity = EXCLUDED.quantity, amount = EXCLUDED.amount, description = EXCLUDED.description, details = EXCLUDED.details
         WHERE c.invoice_id = $18 AND (c.quantity, c.amount, c.description) IS DISTINCT FROM (EXCLUDED.quantity, EXCLUDED.amount, EXCLUDED.description)`;
  const params: unknown[] = [tenantId, uuidv7(at.getTime()), line.key, p.subscription_id, p.account_id, p.billing_account_id, p.currency, line.itemCode,
    line.chargeKey, line.product, line.description, line.periodStart, line.periodEnd, line.quantity, line.amount, at,
    line.details ? JSON.stringify(line.details) : null];
  if (draftId !== null) params.push(draftId);
  const written = (await tx.query(
    `INSERT INTO subscription_charges AS c (tenant_id, id, line_key, subscription_id, account_id, billing_account_id, currency, kind, item_code,
       charge_key, product_code, description, period_start, period_end, quantity, amount, revision, created_at, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'usage', $8, $9, $10, $11, $12, $13, $14, $15,
       (SELECT coalesce(max(revision), 0) FROM subscription_charges WHERE tenant_id = $1 AND subscription_id = $4), $16, $17)
     ON CONFLICT (tenant_id, line_key) ${onConflict}
     RETURNING 1`,
    params,
  )) as unknown[];
  return written.length;
}
