import { Client } from 'pg';
import { fixedClock } from '../../lib/clock';
import { TEST_PLATFORM_KEY, useApiTest } from '../support/http';
import { createTestTenant } from '../support/tenants';

const clock = fixedClock(new Date('2026-11-25T12:00:00Z'));

const ctx = useApiTest('idempotency', { clock });

const post = (key: string, body: unknown, path = '/v1/accounts') =>
  ctx.api.request('POST', path, { key: ctx.tenant.adminKey, body, headers: { 'idempotency-key': key } });

async function countAccounts(externalId: string): Promise<number> {
  return ctx.db.asSuperuser(async (c) => Number((await c.query('SELECT count(*) AS n FROM accounts WHERE external_id = $1', [externalId])).rows[0].n));
}

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and creates once', async () => {
    const body = { name: 'Once', currency: 'USD', external_id: 'IDEM-1' };
    const first = await post('key-replay', body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Same body with keys in another order and other whitespace is the same request.
    const second = await ctx.api.request('POST', '/v1/accounts', {
      key: ctx.tenant.adminKey,
      rawBody: JSON.stringify({ external_id: 'IDEM-1', currency: 'USD', name: 'Once' }, null, 2),
      headers: { 'idempotency-key': 'key-replay', 'content-type': 'application/json' },
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.body).toEqual(first.body);
    expect(await countAccounts('IDEM-1')).toBe(1);
  });

  it('rejects the same key with another body or another endpoint (422), changing nothing', async () => {
    await post('key-mismatch', { name: 'A', currency: 'USD', external_id: 'IDEM-2' });
    const other = await post('key-mismatch', { name: 'B', currency: 'USD', external_id: 'IDEM-2b' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const elsewhere = await post('key-mismatch', { name: 'reader', scopes: ['read'] }, '/v1/api_keys');
    expect(elsewhere.status).toBe(422);
    expect(await countAccounts('IDEM-2b')).toBe(0);
    const keys = await ctx.db.asSuperuser(async (c) => (await c.query("SELECT count(*) AS n FROM api_keys WHERE name = 'reader'")).rows[0].n);
    expect(Number(keys)).toBe(0);
  });

  it('answers 409 while a request with the same key is in flight', async () => {
    // Hold the key's lock from another session, as an in-flight request's transaction would.
    const holder = new Client({ connectionString: ctx.db.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`rackrate.idempotency:${ctx.tenant.id}:key-busy`]);
      const res = await post('key-busy', { name: 'Busy', currency: 'USD', external_id: 'IDEM-3' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('idempotency_key_in_use');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await countAccounts('IDEM-3')).toBe(0);
    } finally {
      await holder.end();
    }
    // Once the first is done, the retry runs.
    expect((await post('key-busy', { name: 'Busy', currency: 'USD', external_id: 'IDEM-3' })).status).toBe(201);
  });

  it('of two truly concurrent requests with one key, exactly one runs', async () => {
    const body = { name: 'Race', currency: 'USD', external_id: 'IDEM-RACE' };
    const results = await Promise.all(Array.from({ length: 8 }, () => post('key-race', body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const executed = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(executed).toHaveLength(1);
    expect(await countAccounts('IDEM-RACE')).toBe(1);
  });

  it('stores a business rejection and replays it, even after the cause is gone', async () => {
    await post('key-setup', { name: 'Holder', currency: 'USD', external_id: 'IDEM-TAKEN' });
    const rejected = await post('key-conflict', { name: 'Dup', currency: 'USD', external_id: 'IDEM-TAKEN' });
    expect(rejected.status).toBe(409);
    expect(rejected.body.code).toBe('external_id_taken');
    const replay = await post('key-conflict', { name: 'Dup', currency: 'USD', external_id: 'IDEM-TAKEN' });
    expect(replay.status).toBe(409);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('content-type')).toMatch(/problem\+json/);
    expect(replay.body).toEqual(rejected.body);
  });

  it('stores nothing for a request that fails validation, so the key can be used after fixing it', async () => {
    const invalid = await post('key-invalid', { name: 'Fixed', currency: 'usd' });
    expect(invalid.status).toBe(400);
    const fixed = await post('key-invalid', { name: 'Fixed', currency: 'USD', external_id: 'IDEM-FIXED' });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps keys 24 hours, then treats the key as new', async () => {
    await post('key-expiry', { name: 'Day one', currency: 'USD', external_id: 'IDEM-D1' });
    clock.advance(23 * 3600 * 1000);
    expect((await post('key-expiry', { name: 'Day two', currency: 'USD', external_id: 'IDEM-D2' })).status).toBe(422);
    clock.advance(2 * 3600 * 1000);
    const later = await post('key-expiry', { name: 'Day two', currency: 'USD', external_id: 'IDEM-D2' });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys per tenant', async () => {
    const other = await createTestTenant(ctx.db.dataSource, 'idempotency-other');
    const mine = await post('shared-key', { name: 'Mine', currency: 'USD' });
    const theirs = await ctx.api.request('POST', '/v1/accounts', {
      key: other.adminKey,
      body: { name: 'Theirs', currency: 'EUR' },
      headers: { 'idempotency-key': 'shared-key' },
    });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('works for platform requests too (creating a tenant)', async () => {
    const request = () =>
      ctx.api.request('POST', '/v1/tenants', {
        key: TEST_PLATFORM_KEY,
        body: { name: 'Idempotent Colo', slug: 'idempotent-colo' },
        headers: { 'idempotency-key': 'tenant-create-1' },
      });
    const first = await request();
    const second = await request();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const tenants = await ctx.db.asSuperuser(async (c) => (await c.query("SELECT count(*) AS n FROM tenants WHERE slug = 'idempotent-colo'")).rows[0].n);
    expect(Number(tenants)).toBe(1);
  });
});
