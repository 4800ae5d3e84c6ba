import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi } from '../support/http';
import { createTestKey, createTestTenant, type TestTenant } from '../support/tenants';

/**
 * The API key cache in front of authentication: two API processes share one
 * database; a revocation through either reaches both at once (NOTIFY), and a
 * process that cannot hear revocations stops trusting its cache.
 */
let db: TestDatabase;
let a: TestApi;
let b: TestApi;
let tenant: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b] = await Promise.all([startTestApi(db.dataSource), startTestApi(db.dataSource)]);
  tenant = await createTestTenant(db.dataSource, 'key-cache');
  await waitForListeners(2);
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await db.drop();
});

async function listeners(): Promise<number> {
  return db.asSuperuser(async (c) =>
    Number((await c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'rackrate-api-key-listener' AND datname = current_database()`)).rows[0].n),
  );
}

async function waitForListeners(n: number): Promise<void> {
  for (let i = 0; i < 100 && (await listeners()) !== n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await listeners()).toBe(n);
}

async function statusWithin(api: TestApi, key: string, expected: number, ms = 2000): Promise<number> {
  const deadline = Date.now() + ms;
  let status = 0;
  do {
    status = (await api.request('GET', '/v1/accounts', { key })).status;
    if (status === expected) return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  } while (Date.now() < deadline);
  return status;
}

const prefixOf = (key: string) => key.split('_').slice(0, 2).join('_');

async function revokeBehindTheApisBack(key: string, notify: boolean): Promise<void> {
  await db.asSuperuser(async (c) => {
    await c.query('UPDATE api_keys SET revoked_at = now() WHERE prefix = $1', [prefixOf(key)]);
    if (notify) await c.query(`SELECT pg_notify('rackrate_api_keys', $1)`, [prefixOf(key)]);
  });
}

it('remembers a verified key: a change made without notice is not seen until notified', async () => {
  const key = await createTestKey(db.dataSource, tenant.id, ['read']);
  expect((await b.request('GET', '/v1/accounts', { key })).status).toBe(200);
  await revokeBehindTheApisBack(key, false);
  // Cached: B still accepts it (this is what the notification is for).
  expect((await b.request('GET', '/v1/accounts', { key })).status).toBe(200);
  await db.asSuperuser((c) => c.query(`SELECT pg_notify('rackrate_api_keys', $1)`, [prefixOf(key)]));
  expect(await statusWithin(b, key, 401)).toBe(401);
});

it('a key revoked through one API process stops working in the other at once', async () => {
  const key = await createTestKey(db.dataSource, tenant.id, ['read']);
  for (const api of [a, b]) expect((await api.request('GET', '/v1/accounts', { key })).status).toBe(200);
  const list = await a.request('GET', '/v1/api_keys?limit=100', { key: tenant.adminKey });
  const id = list.body.data.find((k: { prefix: string }) => k.prefix === prefixOf(key)).id;
  expect((await a.request('POST', `/v1/api_keys/${id}/revoke`, { key: tenant.adminKey })).status).toBe(200);
  // The revoking process answers 401 on the very next request; the other within the NOTIFY's delivery.
  expect((await a.request('GET', '/v1/accounts', { key })).status).toBe(401);
  expect(await statusWithin(b, key, 401)).toBe(401);
});

it('stops trusting its cache while it cannot hear revocations, and resumes after reconnecting', async () => {
  const key = await createTestKey(db.dataSource, tenant.id, ['read']);
  expect((await b.request('GET', '/v1/accounts', { key })).status).toBe(200);
  await db.asSuperuser((c) =>
    c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rackrate-api-key-listener' AND datname = current_database()`),
  );
  // Without a listener a silent revocation must take effect at once.
  await revokeBehindTheApisBack(key, false);
  expect(await statusWithin(b, key, 401, 500)).toBe(401);
  // Both processes reconnect (after about a second) and cache again.
  await waitForListeners(2);
  const fresh = await createTestKey(db.dataSource, tenant.id, ['read']);
  expect((await b.request('GET', '/v1/accounts', { key: fresh })).status).toBe(200);
  await revokeBehindTheApisBack(fresh, false);
  expect((await b.request('GET', '/v1/accounts', { key: fresh })).status).toBe(200);
  await revokeBehindTheApisBack(fresh, true);
  expect(await statusWithin(b, fresh, 401)).toBe(401);
}, 20_000);

it('with API_KEY_CACHE_TTL_SECONDS=0 every request checks the database', async () => {
  const uncached = await startTestApi(db.dataSource, { env: { API_KEY_CACHE_TTL_SECONDS: '0' } });
  try {
    const key = await createTestKey(db.dataSource, tenant.id, ['read']);
    expect((await uncached.request('GET', '/v1/accounts', { key })).status).toBe(200);
    await revokeBehindTheApisBack(key, false);
    expect((await uncached.request('GET', '/v1/accounts', { key })).status).toBe(401);
  } finally {
    await uncached.close();
  }
});
