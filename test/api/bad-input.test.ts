import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi, type TestResponse } from '../support/http';
import { createTestKey, createTestTenant, type TestTenant } from '../support/tenants';

/**
 * Every kind of bad request gets its documented 4xx with an RFC 9457 body
 * that names the problem, and changes nothing.
 */
let db: TestDatabase;
let api: TestApi;
let tenant: TestTenant;
let other: TestTenant;
let accountId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestApi(db.dataSource, { env: { BODY_LIMIT_BYTES: '4096' } });
  tenant = await createTestTenant(db.dataSource, 'bad-input');
  other = await createTestTenant(db.dataSource, 'bad-input-other');
  const res = await api.request('POST', '/v1/accounts', { key: tenant.adminKey, body: { name: 'Existing', currency: 'USD' } });
  accountId = res.body.id;
});

afterAll(async () => {
  await api.close();
  await db.drop();
});

/** Rows that any accepted write would add to. */
async function footprint(): Promise<Record<string, number>> {
  return db.asSuperuser(async (c) => {
    const out: Record<string, number> = {};
    for (const table of ['accounts', 'audit_log', 'outbox_events', 'idempotency_keys', 'tenants', 'api_keys']) {
      out[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    out.max_version = Number((await c.query('SELECT coalesce(max(version), 0) AS v FROM accounts')).rows[0].v);
    return out;
  });
}

function expectProblem(res: TestResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `/problems/${code}`, request_id: res.headers.get('x-request-id') });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
}

describe('bad input changes nothing and gets a specific problem', () => {
  let before: Record<string, number>;
  beforeEach(async () => {
    before = await footprint();
  });
  afterEach(async () => {
    expect(await footprint()).toEqual(before);
  });

  it('malformed JSON: 400 malformed_json', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      rawBody: '{"name": "Broken", "currency": ',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'malformed_json');
  });

  it('wrong types: 400 validation_failed naming every field', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      body: { name: 42, currency: 'usd', billing_anchor_day: 32, bill_to_parent: 'yes', contacts: [{ name: 'X', email: 'nope', roles: [] }] },
    });
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['bill_to_parent', 'billing_anchor_day', 'contacts[0].email', 'contacts[0].roles', 'currency', 'name']);
    const name = res.body.errors.find((e: { field: string }) => e.field === 'name');
    expect(name).toMatchObject({ in: 'body', code: 'invalid_type', message: 'must be a string', pointer: '/name' });
    const email = res.body.errors.find((e: { field: string }) => e.field === 'contacts[0].email');
    expect(email.pointer).toBe('/contacts/0/email');
  });

  it('missing required fields: 400 with code required', async () => {
    const res = await api.request('POST', '/v1/accounts', { key: tenant.adminKey, body: {} });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', code: 'required', message: 'is required' }),
        expect.objectContaining({ field: 'currency', code: 'required' }),
      ]),
    );
  });

  it('unknown fields: 400 naming each unknown field, nested ones too', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      body: { name: 'X', currency: 'USD', colour: 'blue', billing_address: { line1: 'a', city: 'b', country: 'US', planet: 'Earth' } },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'colour', code: 'unknown_field' }),
        expect.objectContaining({ field: 'billing_address.planet', code: 'unknown_field' }),
      ]),
    );
  });

  it('unknown and invalid query parameters: 400', async () => {
    const res = await api.request('GET', '/v1/accounts?limit=500&sort=name&cursor=bogus', { key: tenant.adminKey });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string; in: string }) => `${e.in}:${e.field}`).sort()).toEqual([
      'query:cursor',
      'query:limit',
      'query:sort',
    ]);
  });

  it('a wrong tag in a tagged union names the tag', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      body: { name: 'X', currency: 'USD', payment_terms: { type: 'net_30' } },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'payment_terms.type', code: 'invalid_value' })]);
  });

  it('a body that is not an object: 400', async () => {
    const res = await api.request('POST', '/v1/accounts', { key: tenant.adminKey, rawBody: '[1,2]', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'validation_failed');
  });

  it('a body where none is taken: 400', async () => {
    const res = await api.request('POST', `/v1/accounts/${accountId}/archive`, { key: tenant.adminKey, body: { reason: 'x' } });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', code: 'not_allowed' })]);
  });

  it('oversized body: 413 payload_too_large', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      body: { name: 'Big', currency: 'USD', legal_name: 'x'.repeat(8000) },
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('another media type: 415 unsupported_media_type', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      rawBody: 'name=X&currency=USD',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('no key: 401 with WWW-Authenticate', async () => {
    const res = await api.request('POST', '/v1/accounts', { body: { name: 'X', currency: 'USD' } });
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('a malformed, unknown or tampered key: 401', async () => {
    const tampered = tenant.adminKey.slice(0, -1) + (tenant.adminKey.endsWith('A') ? 'B' : 'A');
    for (const key of ['nonsense', 'rr_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', tampered]) {
      expectProblem(await api.request('GET', '/v1/accounts', { key }), 401, 'unauthenticated');
    }
    expectProblem(await api.request('GET', '/v1/accounts', { headers: { authorization: 'Basic abc' } }), 401, 'unauthenticated');
  });

  it("another tenant's account id: 404, as if it did not exist", async () => {
    for (const [method, path, body] of [
      ['GET', `/v1/accounts/${accountId}`, undefined],
      ['PATCH', `/v1/accounts/${accountId}`, { name: 'stolen' }],
      ['POST', `/v1/accounts/${accountId}/archive`, undefined],
    ] as const) {
      const res = await api.request(method, path, { key: other.adminKey, ...(body ? { body } : {}) });
      expectProblem(res, 404, 'not_found');
    }
  });

  it('a malformed id: 404', async () => {
    expectProblem(await api.request('GET', '/v1/accounts/not-a-uuid', { key: tenant.adminKey }), 404, 'not_found');
  });

  it('a key without the scope: 403 insufficient_scope', async () => {
    const readKey = await createTestKey(db.dataSource, tenant.id, ['read']);
    before = await footprint();
    const res = await api.request('POST', '/v1/accounts', { key: readKey, body: { name: 'X', currency: 'USD' } });
    expectProblem(res, 403, 'insufficient_scope');
    const ingestKey = await createTestKey(db.dataSource, tenant.id, ['ingest']);
    before = await footprint();
    expectProblem(await api.request('GET', '/v1/accounts', { key: ingestKey }), 403, 'insufficient_scope');
  });

  it('an unknown endpoint: 404 route_not_found; a wrong method: 405 with Allow', async () => {
    expectProblem(await api.request('GET', '/v1/customers', { key: tenant.adminKey }), 404, 'route_not_found');
    const res = await api.request('DELETE', `/v1/accounts/${accountId}`, { key: tenant.adminKey });
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, HEAD, PATCH');
  });

  it('an invalid Idempotency-Key header: 400 naming the header', async () => {
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      body: { name: 'X', currency: 'USD' },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expectProblem(res, 400, 'invalid_idempotency_key');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'header', field: 'Idempotency-Key' })]);
  });
});

it('the problem type URI of an error resolves to its description', async () => {
  const res = await api.request('GET', '/problems/validation_failed');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ code: 'validation_failed', status: 400, type: '/problems/validation_failed' });
});

describe('text PostgreSQL cannot store', () => {
  it('refuses NUL characters and unpaired surrogates in the body, its keys and the query, naming each field', async () => {
    const before = await footprint();
    const res = await api.request('POST', '/v1/accounts', {
      key: tenant.adminKey,
      rawBody: '{"name":"Bad\\u0000name","currency":"USD","metadata":{"k\\ud800":"v"},"legal_name":"\\udc00x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`).sort()).toEqual([
      'legal_name invalid_characters',
      'metadata.k\ud800 invalid_characters',
      'name invalid_characters',
    ]);
    const query = await api.request('GET', '/v1/accounts?external_id=a%00b', { key: tenant.adminKey });
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'external_id', code: 'invalid_characters' })]);
    // A well-formed emoji pair is fine.
    const emoji = await api.request('POST', '/v1/accounts', { key: tenant.adminKey, body: { name: 'Rack 🚀', currency: 'USD' } });
    expect(emoji.status).toBe(201);
    expect((await footprint()).accounts).toBe((before.accounts ?? 0) + 1);
  });
});
