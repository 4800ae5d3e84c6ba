import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../lib/net/free-port';
import { startMeteringDatabase, type MeteringDatabase } from '../metering/database';

/**
 * The invoicing benchmark's PostgreSQL: the metering benchmark's set-up
 * (embedded, migrated, the application's DataSource and a superuser pool),
 * with pg_stat_statements preloaded so the report can say which statements
 * the bill run spent its database time on. The extension ships with the
 * embedded build but must be in shared_preload_libraries at start: the
 * cluster is started once to set it (ALTER SYSTEM), then started for real.
 */
export async function startInvoicingDatabase(dataDir: string, onStop: (cleanup: () => Promise<void>) => void): Promise<MeteringDatabase> {
  const first = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: createLogger('silent', 'bench') });
  try {
    const admin = new Client({ connectionString: first.adminUrl });
    await admin.connect();
    try {
      // Utility statements stay tracked (the default): COMMIT's WAL flush and the sample reader's cursor FETCHes are part of the cost.
      await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    } finally {
      await admin.end();
    }
  } finally {
    await first.stop();
  }
  const db = await startMeteringDatabase(dataDir, onStop);
  await db.superuser.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return db;
}

export interface StatementCost {
  /** Normalised statement text (constants as $n), whitespace collapsed, cut at 200 characters. */
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  /** Share of the application role's total statement time. */
  share: number;
}

export interface StatementSummary {
  /** Statement execution time of the application role (the worker), all statements. */
  total_ms: number;
  calls: number;
  top: StatementCost[];
}

export async function resetStatements(db: MeteringDatabase): Promise<void> {
  await db.superuser.query('SELECT pg_stat_statements_reset()');
}

/** The application role's statements by total execution time. */
export async function readStatements(db: MeteringDatabase, top = 15): Promise<StatementSummary> {
  const rows = (
    await db.superuser.query<{ query: string; calls: string; total: number; rows: string }>(
      `SELECT s.query, s.calls, s.total_exec_time AS total, s.rows
         FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE r.rolname = 'rackrate' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY s.total_exec_time DESC`,
    )
  ).rows;
  const totalMs = rows.reduce((sum, r) => sum + r.total, 0);
  const round = (value: number, digits = 1) => Number(value.toFixed(digits));
  return {
    total_ms: round(totalMs),
    calls: rows.reduce((sum, r) => sum + Number(r.calls), 0),
    top: rows.slice(0, top).map((r) => ({
      query: r.query.replace(/\s+/g, ' ').trim().slice(0, 200),
      calls: Number(r.calls),
      total_ms: round(r.total),
      mean_ms: round(r.total / Math.max(1, Number(r.calls)), 3),
      rows: Number(r.rows),
      share: round(totalMs > 0 ? r.total / totalMs : 0, 3),
    })),
  };
}
