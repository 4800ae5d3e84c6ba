import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from '../../db/data-source';
import { describeSchema } from '../../db/schema-dump';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

it('db/schema.sql is what the migrations build (run `npm run db:dump` after changing a migration)', async () => {
  const committed = readFileSync(path.join(__dirname, '..', '..', 'db', 'schema.sql'), 'utf8');
  expect(await describeSchema(db.dataSource)).toEqual(committed);
});

it('migrations are numbered files applied in order, each recorded once', async () => {
  const applied: Array<{ name: string }> = await db.dataSource.query('SELECT name FROM schema_migrations ORDER BY id');
  expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
});
