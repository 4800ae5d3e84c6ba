import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/data-source';

/**
 * A fresh, migrated database for one test file, cloned from the template the
 * global setup built, and connected as the plain (row-level-security-bound)
 * test role.
 */
export interface TestDatabase {
  url: string;
  name: string;
  dataSource: DataSource;
  /** Runs SQL as the superuser on this database (to look under row-level security). */
  asSuperuser<T>(work: (client: Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (global setup)`);
  return value;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rrt_${randomBytes(6).toString('hex')}`;
  const adminUrl = env('RACKRATE_TEST_ADMIN_URL');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${env('RACKRATE_TEST_TEMPLATE')} OWNER ${env('RACKRATE_TEST_ROLE')}`);
  await admin.end();

  const url = new URL(env('RACKRATE_TEST_APP_URL'));
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: 10 });
  await dataSource.initialize();

  const superUrl = new URL(adminUrl);
  superUrl.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    dataSource,
    async asSuperuser(work) {
      const client = new Client({ connectionString: superUrl.toString() });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await dataSource.destroy();
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
