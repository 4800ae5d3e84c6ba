import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';

/**
 * Usage storage upkeep, run by housekeeping (docs/metering.md, "Retention"):
 * - partitions for this month and the next two exist before events arrive
 *   (ingest also creates a missing one on demand);
 * - raw events are kept `retentionMonths` whole months before the current
 *   one, then their month's partition is dropped at once (no row-by-row
 *   delete, no bloat); the 5-minute sample rollup goes with them;
 * - idempotency keys are kept for the late-event window plus a day: an
 *   event older than the window is refused at ingest anyway, so a key older
 *   than that can never be needed to recognise a replay.
 */
export const DEFAULT_USAGE_RETENTION_MONTHS = 25;
const MONTHS_AHEAD = 2;
const KEY_MARGIN_MS = 24 * 3600 * 1000;

function monthStart(d: Date, plusMonths = 0): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plusMonths, 1));
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export interface UsageStorageResult {
  partitionsCreated: string[];
  partitionsDropped: string[];
  eventIdsDeleted: number;
  sampleRowsDeleted: number;
}

/**
 * One DELETE per tenant (row-level security shows one tenant at a time): a
 * single scan, where batches without an index on the cut-off column would
 * rescan the table once per batch. Nothing else touches rows this old.
 */
async function deletePerTenant(dataSource: DataSource, sql: string, cutoff: Date | string, afterTenant: () => void): Promise<number> {
  const tenants: Array<{ id: string }> = await dataSource.query('SELECT id FROM tenants ORDER BY id');
  let total = 0;
  for (const tenant of tenants) {
    total += await inTenantTransaction(dataSource, tenant.id, async (tx) => {
      const [, count] = (await tx.query(sql, [tenant.id, cutoff])) as [unknown, number];
      return count;
    });
    afterTenant();
  }
  return total;
}

export async function maintainUsageStorage(
  dataSource: DataSource,
  options: { now: Date; retentionMonths: number; afterTenant?: () => void },
): Promise<UsageStorageResult> {
  const afterTenant = options.afterTenant ?? (() => undefined);
  const partitionsCreated: string[] = [];
  for (let k = 0; k <= MONTHS_AHEAD; k++) {
    const month = monthStart(options.now, k);
    const [row] = (await dataSource.query(`SELECT rackrate_ensure_usage_partition($1::date) AS created`, [isoDay(month)])) as Array<{ created: boolean }>;
    if (row?.created) partitionsCreated.push(isoDay(month).slice(0, 7));
  }

  const keepFrom = monthStart(options.now, -options.retentionMonths);
  const partitions: Array<{ name: string }> = await dataSource.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'usage_events'::regclass ORDER BY c.relname`,
  );
  const partitionsDropped: string[] = [];
  for (const { name } of partitions) {
    const match = /^usage_events_y(\d{4})m(\d{2})$/.exec(name);
    if (!match) continue;
    const month = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
    if (month.getTime() >= keepFrom.getTime()) continue;
    await dataSource.query(`DROP TABLE ${name}`);
    partitionsDropped.push(name);
  }

  const sampleRowsDeleted = await deletePerTenant(dataSource, `DELETE FROM usage_samples WHERE tenant_id = $1 AND day < $2`, isoDay(keepFrom), afterTenant);
  const keysBefore = new Date(options.now.getTime() - INGEST_LIMITS.lateWindowMs - KEY_MARGIN_MS);
  const eventIdsDeleted = await deletePerTenant(dataSource, `DELETE FROM usage_event_ids WHERE tenant_id = $1 AND occurred_at < $2`, keysBefore, afterTenant);
  return { partitionsCreated, partitionsDropped, eventIdsDeleted, sampleRowsDeleted };
}
