import type { EntityManager } from 'typeorm';
import { billingAccountOf, type AccountNode } from '../../domain/invoicing/billing-group';
import { boundaryAfter, boundaryOnOrBefore, periodContaining, type BillingCycle } from '../../domain/periods/billing-cycle';

/**
 * What a bill run has to do at an instant (docs/invoicing.md, "Bill runs"):
 * which billing accounts reached a bill date with charges waiting and no
 * invoice for it yet, which drafts' grace periods are over, and when the
 * next of either happens. Reads only; the bill-run workflow pages through
 * these and drafts or finalises in batches.
 *
 * An account's bill dates are local midnight on its billing anchor day each
 * month, in its time zone (the calendar cycle subscriptions use too).
 */
export interface DueAccount {
  billingAccountId: string;
  billDate: string;
  periodStart: string;
}

interface AccountRow {
  id: string;
  name: string;
  parent_id: string | null;
  bill_to_parent: boolean;
  billing_anchor_day: number;
  timezone: string;
}

/** Renewal timers fire at the bill date too: a bill run waits this long after it so their charges are recorded first. */
export const RENEWAL_SETTLE_MS = 60_000;
/** How soon to look again while a subscription is behind (its renewal not recorded), and for how long after its period end. */
const LAGGING_RETRY_MS = 5 * 60_000;
const LAGGING_WATCH_MS = 86_400_000;
const LAGGING_STATUSES = `('active', 'past_due', 'suspended')`;

export function accountCycle(account: { billing_anchor_day: number; timezone: string }): BillingCycle {
  return { interval: 'month', timeZone: account.timezone, anchor: { kind: 'calendar', day: account.billing_anchor_day } };
}

async function loadAccounts(tx: EntityManager, tenantId: string): Promise<Map<string, AccountRow>> {
  const rows = (await tx.query(
    `SELECT id, name, parent_id, bill_to_parent, billing_anchor_day, timezone FROM accounts WHERE tenant_id = $1`,
    [tenantId],
  )) as AccountRow[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Earliest waiting charge per billing account (subscription and one-off charges of its whole group). */
async function earliestPendingByBillingAccount(tx: EntityManager, tenantId: string, accounts: Map<string, AccountRow>, asOf: Date): Promise<Map<string, Date>> {
  const rows = (await tx.query(
    `SELECT account_id, min(at) AS at FROM (
       SELECT account_id, min(period_start) AS at FROM subscription_charges
        WHERE tenant_id = $1 AND invoice_id IS NULL AND period_start <= $2 GROUP BY account_id
       UNION ALL
       SELECT account_id, min(service_date) FROM one_off_charges
        WHERE tenant_id = $1 AND invoice_id IS NULL AND service_date <= $2 GROUP BY account_id
       UNION ALL
       -- A subscription whose period ended without its renewal recorded yet: its charges are on their way.
       SELECT account_id, min(current_period_end) FROM subscriptions
        WHERE tenant_id = $1 AND status IN ${LAGGING_STATUSES} AND current_period_end <= $2 GROUP BY account_id
     ) p GROUP BY account_id`,
    [tenantId, asOf],
  )) as Array<{ account_id: string; at: Date }>;
  const nodes = new Map<string, AccountNode>(
    [...accounts.values()].map((a) => [a.id, { id: a.id, name: a.name, parentId: a.parent_id, billToParent: a.bill_to_parent }]),
  );
  const earliest = new Map<string, Date>();
  for (const row of rows) {
    if (!nodes.has(row.account_id)) continue;
    const billing = billingAccountOf(nodes, row.account_id);
    const seen = earliest.get(billing);
    if (!seen || row.at < seen) earliest.set(billing, row.at);
  }
  return earliest;
}

/**
 * Billing accounts due at `asOf`, ordered by id after `afterId`: their last
 * bill date on or before `asOf` has a waiting charge that started by then and
 * no cycle invoice yet.
 */
export async function dueBillingAccounts(
  tx: EntityManager,
  tenantId: string,
  asOf: Date,
  afterId: string | null,
  limit: number,
): Promise<{ accounts: DueAccount[]; next: string | null }> {
  const accounts = await loadAccounts(tx, tenantId);
  const earliest = await earliestPendingByBillingAccount(tx, tenantId, accounts, asOf);
  const candidates: DueAccount[] = [];
  for (const id of [...earliest.keys()].sort()) {
    if (afterId !== null && id <= afterId) continue;
    const account = accounts.get(id)!;
    const cycle = accountCycle(account);
    const billDate = boundaryOnOrBefore(cycle, asOf);
    if (earliest.get(id)! > billDate) continue;
    candidates.push({ billingAccountId: id, billDate: billDate.toISOString(), periodStart: periodContaining(cycle, new Date(billDate.getTime() - 1)).start.toISOString() });
  }
  const due: DueAccount[] = [];
  for (let i = 0; i < candidates.length && due.length < limit; i += limit) {
    const slice = candidates.slice(i, i + limit);
    const invoiced = (await tx.query(
      `SELECT account_id, cycle_key FROM invoices WHERE tenant_id = $1 AND account_id = ANY($2::uuid[]) AND cycle_key = ANY($3::text[])`,
      [tenantId, slice.map((c) => c.billingAccountId), [...new Set(slice.map((c) => c.billDate))]],
    )) as Array<{ account_id: string; cycle_key: string }>;
    const done = new Set(invoiced.map((r) => `${r.account_id}/${r.cycle_key}`));
    for (const c of slice) {
      if (due.length === limit) break;
      if (!done.has(`${c.billingAccountId}/${c.billDate}`)) due.push(c);
    }
  }
  const last = due[due.length - 1];
  return { accounts: due, next: due.length === limit && last ? last.billingAccountId : null };
}

/** Drafts whose grace period is over, for automatic finalisation, ordered by id after `afterId`. */
export async function dueDrafts(tx: EntityManager, tenantId: string, asOf: Date, afterId: string | null, limit: number): Promise<{ ids: string[]; next: string | null }> {
  const rows = (await tx.query(
    `SELECT id FROM invoices WHERE tenant_id = $1 AND status = 'draft' AND auto_finalize AND grace_ends_at <= $2
        AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
    [tenantId, asOf, afterId, limit],
  )) as Array<{ id: string }>;
  const ids = rows.map((r) => r.id);
  return { ids, next: ids.length === limit ? ids[ids.length - 1]! : null };
}

/**
 * The next instant after `asOf` a bill run has work: a minute after a
 * billing account's bill date (the subscriptions' renewals at that instant
 * record first), a draft's grace end, or — while a subscription is behind —
 * five minutes from now.
 */
export async function nextBillingWake(tx: EntityManager, tenantId: string, asOf: Date): Promise<Date | null> {
  const accounts = await loadAccounts(tx, tenantId);
  let next: Date | null = null;
  for (const a of accounts.values()) {
    if (a.bill_to_parent && a.parent_id) continue;
    const at = new Date(boundaryAfter(accountCycle(a), new Date(asOf.getTime() - RENEWAL_SETTLE_MS)).getTime() + RENEWAL_SETTLE_MS);
    if (!next || at < next) next = at;
  }
  // Behind schedule (a worker was down): look again soon, so the invoice is drafted or refreshed once it catches up.
  const [lagging] = (await tx.query(
    `SELECT 1 AS behind FROM subscriptions WHERE tenant_id = $1 AND status IN ${LAGGING_STATUSES}
        AND current_period_end <= $2 AND current_period_end > $3 LIMIT 1`,
    [tenantId, asOf, new Date(asOf.getTime() - LAGGING_WATCH_MS)],
  )) as Array<{ behind: number }>;
  if (lagging) {
    const soon = new Date(asOf.getTime() + LAGGING_RETRY_MS);
    if (!next || soon < next) next = soon;
  }
  const [draft] = (await tx.query(
    `SELECT min(grace_ends_at) AS at FROM invoices WHERE tenant_id = $1 AND status = 'draft' AND auto_finalize AND grace_ends_at > $2`,
    [tenantId, asOf],
  )) as Array<{ at: Date | null }>;
  if (draft?.at && (!next || draft.at < next)) next = draft.at;
  return next;
}
