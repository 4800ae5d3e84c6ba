import { createDataSource, migrate } from '../db/data-source';
import { loadConfig } from '../lib/config';

/**
 * One-shot migration job (`npm run migrate`, the `migrate` service in
 * docker-compose.yml): applies pending migrations to DATABASE_URL and exits 0,
 * or prints why not and exits 1. Connect as the role the app uses, so that it
 * owns the tables it reads and writes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl === undefined) {
    throw new Error('DATABASE_URL is required: set it to the postgres:// URL of the database to migrate');
  }
  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: 1, applicationName: 'rackrate-migrate' });
  try {
    const applied = await migrate(dataSource);
    if (applied.length === 0) console.log('schema up to date');
    for (const name of applied) console.log(`applied ${name}`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
