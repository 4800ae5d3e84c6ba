import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../../db/data-source';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../lib/net/free-port';

/**
 * The metering benchmark's PostgreSQL: embedded, in a directory of its own,
 * migrated, with two ways in: the application's DataSource (role
 * `rackrate`, row-level security applies) for Rackrate's own code, and a
 * superuser pool on the same database for dataset generation, COPY, the
 * bare-SQL baselines and the checks.
 */
export interface MeteringDatabase {
  appUrl: string;
  dataSource: DataSource;
  superuser: Pool;
  version: string;
  /** The postmaster's pid (its backends are its children), for CPU accounting. */
  postmasterPid(): number | null;
}

export async function startMeteringDatabase(dataDir: string, onStop: (cleanup: () => Promise<void>) => void): Promise<MeteringDatabase> {
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: createLogger('silent', 'bench') });
  onStop(() => postgres.stop());
  const dataSource = createDataSource({ url: postgres.appUrl, poolSize: 4, applicationName: 'rackrate-bench-metering' });
  onStop(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  await migrate(dataSource);
  const superuserUrl = new URL(postgres.adminUrl);
  superuserUrl.pathname = `/${new URL(postgres.appUrl).pathname.slice(1)}`;
  const superuser = new Pool({ connectionString: superuserUrl.toString(), max: 4, application_name: 'rackrate-bench-superuser' });
  // pool.end() resolves before its idle clients have closed; one the shutdown reaches first must not crash
  // the run (a query on a broken client fails loudly anyway).
  superuser.on('error', () => undefined);
  onStop(() => superuser.end());
  const rows = await superuser.query<{ server_version: string }>('SHOW server_version');
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  return {
    appUrl: postgres.appUrl,
    dataSource,
    superuser,
    version: rows.rows[0]?.server_version ?? 'unknown',
    postmasterPid() {
      if (!existsSync(pidFile)) return null;
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    },
  };
}

/** Flushes dirty buffers, so one measurement does not pay for the previous one's writes. */
export async function checkpoint(db: MeteringDatabase): Promise<void> {
  await db.superuser.query('CHECKPOINT');
}
