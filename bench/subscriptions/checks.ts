import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { PLAN_PRICE } from './seed';

/** After the burst: did every subscription renew exactly once, with the right money? */
export interface RenewalChecks {
  /** subscription.renewed domain events in the outbox: one per subscription. */
  renewed_events: number;
  /** Subscriptions whose current period now starts at the renewal instant. */
  in_second_period: number;
  /** Sum of the charge lines written by the renewal (revision 2), against count × the plan price. */
  renewal_charges_total: string;
  expected_charges_total: string;
  ok: boolean;
}

export async function checkRenewals(dataSource: DataSource, tenantId: string, due: Date, count: number): Promise<RenewalChecks> {
  const rows: Array<{ events: string; second: string; total: string; expected: string; equal: boolean }> = await inTenantTransaction(dataSource, tenantId, (tx) =>
    tx.query(
      `WITH t AS (
         SELECT (SELECT count(*) FROM outbox_events WHERE tenant_id = $1 AND type = 'subscription.renewed') AS events,
                (SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND current_period_start = $2) AS second,
                (SELECT coalesce(sum(amount), 0) FROM subscription_charges WHERE tenant_id = $1 AND revision = 2) AS total,
                $3::numeric * $4::numeric AS expected)
       SELECT events, second, total::text, expected::text, total = expected AS equal FROM t`,
      [tenantId, due, count, PLAN_PRICE],
    ),
  );
  const row = rows[0]!;
  return {
    renewed_events: Number(row.events),
    in_second_period: Number(row.second),
    renewal_charges_total: row.total,
    expected_charges_total: row.expected,
    ok: Number(row.events) === count && Number(row.second) === count && row.equal,
  };
}
