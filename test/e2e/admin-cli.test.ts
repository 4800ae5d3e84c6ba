import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi } from '../support/http';

/** The operator CLI (compiled by `npm test`'s tsc step) against a real database. */
let db: TestDatabase;
let api: TestApi;
const cli = path.join(__dirname, '..', '..', 'dist', 'scripts', 'admin.js');

function admin(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestApi(db.dataSource);
});

afterAll(async () => {
  await api.close();
  await db.drop();
});

it('creates a tenant whose printed admin key works against the API', async () => {
  const out = admin('tenant', 'create', '--name', 'CLI Colo', '--slug', 'cli-colo');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const key = /admin API key \(shown once\): (\S+)/.exec(out.stdout)?.[1];
  expect(key).toMatch(/^rr_/);
  expect((await api.request('GET', '/v1/accounts', { key })).status).toBe(200);
  expect(admin('tenant', 'list').stdout).toMatch(/cli-colo\s+active\s+CLI Colo/);
});

it('creates a scoped key for a tenant named by slug', async () => {
  const out = admin('key', 'create', '--tenant', 'cli-colo', '--name', 'Ingest agent', '--scopes', 'ingest');
  expect(out.code).toBe(0);
  const key = /secret \(shown once\): (\S+)/.exec(out.stdout)?.[1];
  // An ingest key may not read accounts: the scope was applied.
  expect((await api.request('GET', '/v1/accounts', { key })).status).toBe(403);
});

it('names the bad flag and its rule, and changes nothing', async () => {
  const before = await db.asSuperuser(async (c) => (await c.query('SELECT count(*) AS n FROM tenants')).rows[0].n);
  const out = admin('tenant', 'create', '--name', 'Bad', '--slug', 'Not A Slug');
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(/--slug: must be 2-63 lower-case letters/);
  const scopes = admin('key', 'create', '--tenant', 'cli-colo', '--name', 'x', '--scopes', 'root');
  expect(scopes.code).toBe(2);
  expect(scopes.stderr).toMatch(/--scopes\[0\]: must be one of/);
  expect(admin('key', 'create', '--tenant', 'nobody', '--name', 'x', '--scopes', 'read').stderr).toMatch(/no tenant with id or slug "nobody"/);
  expect(admin('frobnicate').code).toBe(2);
  const after = await db.asSuperuser(async (c) => (await c.query('SELECT count(*) AS n FROM tenants')).rows[0].n);
  expect(after).toBe(before);
});

it('refuses a duplicate slug', () => {
  const out = admin('tenant', 'create', '--name', 'Again', '--slug', 'cli-colo');
  expect(out.code).toBe(1);
  expect(out.stderr).toMatch(/tenant_slug_taken/);
});
