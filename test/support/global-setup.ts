import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../db/data-source';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../lib/net/free-port';

/**
 * One PostgreSQL for the whole run: embedded by default, or the server in
 * TEST_DATABASE_URL (a superuser URL; CI points it at Debian's PostgreSQL 15
 * so the suites run on both). A plain role owns a migrated template
 * database; each test file clones its own database from it.
 */
export default async function globalSetup(): Promise<void> {
  const logger = createLogger('warn', 'test-postgres');
  const role = 'rackrate_test';
  const password = randomBytes(12).toString('hex');
  const template = `rackrate_template_${process.pid}`;
  let adminUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-test-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger });
    (globalThis as { __rackratePostgres?: { stop(): Promise<void> } }).__rackratePostgres = pg;
    adminUrl = pg.adminUrl;
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  const roles = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (roles.rowCount === 0) {
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
  } else {
    await admin.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
  }
  await admin.query(`CREATE DATABASE ${template} OWNER ${role}`);
  await admin.end();

  const appUrl = new URL(adminUrl);
  appUrl.username = role;
  appUrl.password = password;
  appUrl.pathname = `/${template}`;
  const dataSource = createDataSource({ url: appUrl.toString(), poolSize: 1 });
  await migrate(dataSource);
  await dataSource.destroy();

  process.env.RACKRATE_TEST_ADMIN_URL = adminUrl;
  process.env.RACKRATE_TEST_APP_URL = appUrl.toString();
  process.env.RACKRATE_TEST_TEMPLATE = template;
  process.env.RACKRATE_TEST_ROLE = role;
}
