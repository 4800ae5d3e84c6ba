import type { DataSource } from 'typeorm';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';

/**
 * usage_events is partitioned by month of occurred_at; a month's partition
 * must exist before an ingest transaction writes into it. Creating one is
 * DDL that locks the parent table, so it runs on its own (autocommit, before
 * the ingest transaction opens: inside it, the lock would be held for the
 * whole batch, and a request holding a pooled connection must not wait for
 * a second one). Ingestion accepts timestamps from the late-event window
 * before the request's clock to a few minutes after it, so the months of
 * that window are ensured once per process and month (a no-op in the
 * database when they exist; housekeeping also creates them ahead of time).
 */
const ensured = new WeakMap<DataSource, Set<string>>();

/** First days (YYYY-MM-01, UTC) of the months an event accepted at `now` can fall in. */
export function acceptedMonths(now: Date): string[] {
  const from = new Date(now.getTime() - INGEST_LIMITS.lateWindowMs);
  const to = new Date(now.getTime() + INGEST_LIMITS.maxFutureSkewMs);
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  while (year < to.getUTCFullYear() || (year === to.getUTCFullYear() && month <= to.getUTCMonth())) {
    months.push(`${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-01`);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return months;
}

/** Makes sure the partitions for events accepted at `now` exist. Call outside any transaction. */
export async function ensureUsagePartitions(dataSource: DataSource, now: Date): Promise<void> {
  let known = ensured.get(dataSource);
  if (known === undefined) {
    known = new Set();
    ensured.set(dataSource, known);
  }
  const missing = acceptedMonths(now).filter((m) => !known.has(m));
  if (missing.length === 0) return;
  await dataSource.query(`SELECT rackrate_ensure_usage_partition(m) FROM unnest($1::date[]) AS m`, [missing]);
  for (const month of missing) known.add(month);
}

/** Forgets what this process ensured (for a test that drops partitions). */
export function forgetEnsuredPartitions(dataSource: DataSource): void {
  ensured.delete(dataSource);
}
