import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { describeSchema } from '../db/schema-dump';
import { createLogger } from '../lib/logger';
import { freePort } from '../lib/net/free-port';

/** `npm run db:dump`: migrates a scratch database and writes db/schema.sql. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-schema-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: createLogger('warn', 'dump') });
  try {
    const dataSource = createDataSource({ url: pg.appUrl, poolSize: 1 });
    await migrate(dataSource);
    const target = path.join(__dirname, '..', '..', 'db', 'schema.sql');
    writeFileSync(target, await describeSchema(dataSource));
    await dataSource.destroy();
    process.stdout.write(`wrote ${target}\n`);
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
