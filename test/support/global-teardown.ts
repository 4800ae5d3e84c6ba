import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.RACKRATE_TEST_ADMIN_URL;
  const template = process.env.RACKRATE_TEST_TEMPLATE;
  if (adminUrl && template) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'rrt_%' OR datname = $1`, [template]);
    for (const row of leftovers.rows as Array<{ datname: string }>) {
      await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    }
    await admin.end();
  }
  const pg = (globalThis as { __rackratePostgres?: { stop(): Promise<void> } }).__rackratePostgres;
  await pg?.stop();
}
