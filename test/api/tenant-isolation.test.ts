import { allRoutes } from '../../api/app';
import type { Route } from '../../api/routing/route';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi } from '../support/http';
import { createTestTenant, type TestTenant } from '../support/tenants';

/**
 * The tenant wall, endpoint by endpoint: a key of tenant A can neither read,
 * list, change nor delete anything of tenant B, and gets 404 (not 403) for
 * B's ids so ids do not leak. The matrix is built from the route list, so a
 * new endpoint fails this test until it has a case here.
 */
let db: TestDatabase;
let api: TestApi;
let a: TestTenant;
let b: TestTenant;

interface TenantFixture {
  accountId: string;
  childId: string;
  apiKeyId: string;
  spareKeyId: string;
  auditEntryId: string;
  domainEventId: string;
}
const fixtures: Record<string, TenantFixture> = {};

async function seed(t: TestTenant): Promise<TenantFixture> {
  const key = t.adminKey;
  const account = await api.request('POST', '/v1/accounts', { key, body: { name: `${t.slug} parent`, currency: 'USD', external_id: 'SAME-EXT' } });
  const child = await api.request('POST', '/v1/accounts', {
    key,
    body: { name: `${t.slug} child`, currency: 'USD', parent_id: account.body.id, bill_to_parent: true },
  });
  const apiKey = await api.request('POST', '/v1/api_keys', { key, body: { name: 'reader', scopes: ['read'] } });
  const spare = await api.request('POST', '/v1/api_keys', { key, body: { name: 'spare admin', scopes: ['admin'] } });
  const audit = await api.request('GET', `/v1/audit_log?resource_id=${account.body.id}`, { key });
  const events = await api.request('GET', `/v1/domain_events?resource_id=${account.body.id}`, { key });
  return {
    accountId: account.body.id,
    childId: child.body.id,
    apiKeyId: apiKey.body.id,
    spareKeyId: spare.body.id,
    auditEntryId: audit.body.data[0].id,
    domainEventId: events.body.data[0].id,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestApi(db.dataSource);
  a = await createTestTenant(db.dataSource, 'tenant-a');
  b = await createTestTenant(db.dataSource, 'tenant-b');
  fixtures.a = await seed(a);
  fixtures.b = await seed(b);
});

afterAll(async () => {
  await api.close();
  await db.drop();
});

/** For each tenant route with an id in its path: B's id to aim at, and a body to send. */
const TARGETS: Record<string, { id: (f: TenantFixture) => string; body?: unknown }> = {
  'GET /v1/accounts/{id}': { id: (f) => f.accountId },
  'PATCH /v1/accounts/{id}': { id: (f) => f.accountId, body: { name: 'hijacked' } },
  'POST /v1/accounts/{id}/archive': { id: (f) => f.childId },
  'GET /v1/api_keys/{id}': { id: (f) => f.apiKeyId },
  'POST /v1/api_keys/{id}/revoke': { id: (f) => f.spareKeyId },
  'GET /v1/audit_log/{id}': { id: (f) => f.auditEntryId },
  'GET /v1/domain_events/{id}': { id: (f) => f.domainEventId },
};

/** For each tenant route without an id: what A's request is and which of B's ids must not show. */
interface CollectionCase {
  path: string;
  body?: unknown;
  /** Ids of the tenant's own items the response must show (so an empty answer cannot pass). */
  ids: (f: TenantFixture) => string[];
}
const COLLECTIONS: Record<string, CollectionCase> = {
  'GET /v1/accounts': { path: '/v1/accounts?status=all&limit=100', ids: (f) => [f.accountId, f.childId] },
  'POST /v1/accounts': { path: '/v1/accounts', body: { name: 'A new', currency: 'USD', external_id: 'SAME-EXT-2' }, ids: () => [] },
  'GET /v1/api_keys': { path: '/v1/api_keys?limit=100', ids: (f) => [f.apiKeyId, f.spareKeyId] },
  'POST /v1/api_keys': { path: '/v1/api_keys', body: { name: 'new', scopes: ['read'] }, ids: () => [] },
  'GET /v1/audit_log': { path: '/v1/audit_log?limit=100', ids: (f) => [f.auditEntryId] },
  'GET /v1/domain_events': { path: '/v1/domain_events?limit=100', ids: (f) => [f.domainEventId] },
};

const tenantRoutes = allRoutes().filter((r): r is Extract<Route, { auth: 'tenant' }> => r.auth === 'tenant');
const name = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;

it('has a case for every tenant endpoint', () => {
  const covered = new Set([...Object.keys(TARGETS), ...Object.keys(COLLECTIONS)]);
  expect(tenantRoutes.map(name).filter((n) => !covered.has(n))).toEqual([]);
});

async function snapshotOfB(): Promise<string> {
  return db.asSuperuser(async (c) => {
    const rows = await Promise.all(
      ['accounts', 'api_keys', 'audit_log', 'outbox_events'].map(async (t) =>
        JSON.stringify((await c.query(`SELECT * FROM ${t} WHERE tenant_id = $1 ORDER BY id`, [b.id])).rows),
      ),
    );
    return rows.join('\n');
  });
}

describe.each(Object.keys(TARGETS))("A's key on B's resource: %s", (route) => {
  it('answers 404 and leaves B untouched', async () => {
    const [method, template] = route.split(' ') as [string, string];
    const target = TARGETS[route]!;
    const before = await snapshotOfB();
    const res = await api.request(method, template.replace('{id}', target.id(fixtures.b!)), {
      key: a.adminKey,
      ...(target.body ? { body: target.body } : {}),
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(await snapshotOfB()).toEqual(before);
  });
});

describe.each(Object.keys(COLLECTIONS))("A's key on a collection: %s", (route) => {
  it("shows or touches nothing of B's", async () => {
    const [method] = route.split(' ') as [string];
    const c = COLLECTIONS[route]!;
    const before = await snapshotOfB();
    const res = await api.request(method, c.path, { key: a.adminKey, ...(c.body ? { body: c.body } : {}) });
    expect(res.status).toBeLessThan(300);
    const text = JSON.stringify(res.body);
    for (const id of c.ids(fixtures.a!)) expect(text).toContain(id);
    for (const id of c.ids(fixtures.b!)) expect(text).not.toContain(id);
    expect(text).not.toContain(b.id);
    expect(await snapshotOfB()).toEqual(before);
  });
});

it('filters cannot reach across tenants', async () => {
  const byParent = await api.request('GET', `/v1/accounts?parent_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(byParent.body.data).toEqual([]);
  const byResource = await api.request('GET', `/v1/audit_log?resource_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(byResource.body.data).toEqual([]);
  const events = await api.request('GET', `/v1/domain_events?resource_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(events.body.data).toEqual([]);
  // Both tenants may use the same external id; each sees its own.
  const ext = await api.request('GET', '/v1/accounts?external_id=SAME-EXT', { key: a.adminKey });
  expect(ext.body.data.map((x: { id: string }) => x.id)).toEqual([fixtures.a!.accountId]);
});

it("cannot attach an account to B's account as parent", async () => {
  const res = await api.request('POST', '/v1/accounts', {
    key: a.adminKey,
    body: { name: 'Sneaky child', currency: 'USD', parent_id: fixtures.b!.accountId },
  });
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parent_id', code: 'parent_not_found' })]);
});

it('a tenant key cannot use platform endpoints', async () => {
  for (const route of allRoutes().filter((r) => r.auth === 'platform')) {
    const path = route.path.replace('{id}', b.id);
    const res = await api.request(route.method.toUpperCase(), path, { key: a.adminKey, ...(route.body ? { body: {} } : {}) });
    expect(res.status).toBe(401);
  }
});
