import { startTestApi, TEST_PLATFORM_KEY, useApiTest } from '../support/http';
import { createTestKey, createTestTenant } from '../support/tenants';

const ctx = useApiTest('keys');

describe('API keys', () => {
  it('shows the secret once and stores only its digest', async () => {
    const created = await ctx.api.request('POST', '/v1/api_keys', { key: ctx.tenant.adminKey, body: { name: 'Provisioning', scopes: ['read', 'admin'] } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^rr_[a-z0-9]{12}_[A-Za-z0-9]{32}$/);
    expect(created.body.secret.startsWith(created.body.prefix + '_')).toBe(true);
    expect(created.body.scopes).toEqual(['admin', 'read']);

    const read = await ctx.api.request('GET', `/v1/api_keys/${created.body.id}`, { key: ctx.tenant.adminKey });
    expect(read.body).not.toHaveProperty('secret');
    const list = await ctx.api.request('GET', '/v1/api_keys', { key: ctx.tenant.adminKey });
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const stored = await ctx.db.asSuperuser(async (c) => (await c.query('SELECT * FROM api_keys WHERE id = $1', [created.body.id])).rows[0]);
    expect(JSON.stringify(stored)).not.toContain(created.body.secret.split('_')[2]);
    expect(stored.secret_hash).toHaveLength(32);

    // The new key works.
    expect((await ctx.api.request('GET', '/v1/accounts', { key: created.body.secret })).status).toBe(200);
  });

  it('a revoked key stops working at once; revoking twice is a conflict', async () => {
    const secret = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const list = await ctx.api.request('GET', '/v1/api_keys?limit=100', { key: ctx.tenant.adminKey });
    const id = list.body.data.find((k: { prefix: string }) => secret.startsWith(k.prefix + '_')).id;
    expect((await ctx.api.request('GET', '/v1/accounts', { key: secret })).status).toBe(200);
    const revoked = await ctx.api.request('POST', `/v1/api_keys/${id}/revoke`, { key: ctx.tenant.adminKey });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await ctx.api.request('GET', '/v1/accounts', { key: secret })).status).toBe(401);
    const again = await ctx.api.request('POST', `/v1/api_keys/${id}/revoke`, { key: ctx.tenant.adminKey });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('api_key_revoked');
  });

  it('an expired key is refused', async () => {
    const secret = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read'], { expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await ctx.api.request('GET', '/v1/accounts', { key: secret })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await ctx.api.request('GET', '/v1/accounts', { key: secret })).status).toBe(401);
  });

  it('refuses an expiry in the past', async () => {
    const res = await ctx.api.request('POST', '/v1/api_keys', {
      key: ctx.tenant.adminKey,
      body: { name: 'late', scopes: ['read'], expires_at: '2020-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'expires_at', code: 'not_in_future' })]);
  });

  it('will not revoke the last working admin key', async () => {
    const lone = await createTestTenant(ctx.db.dataSource, 'keys-lone');
    const keys = await ctx.api.request('GET', '/v1/api_keys', { key: lone.adminKey });
    expect(keys.body.data).toHaveLength(1);
    const res = await ctx.api.request('POST', `/v1/api_keys/${keys.body.data[0].id}/revoke`, { key: lone.adminKey });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('last_admin_key');
    expect((await ctx.api.request('GET', '/v1/accounts', { key: lone.adminKey })).status).toBe(200);
  });

  it('scopes: read may only read, ingest and portal may not touch accounts', async () => {
    const read = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    expect((await ctx.api.request('GET', '/v1/accounts', { key: read })).status).toBe(200);
    expect((await ctx.api.request('POST', '/v1/api_keys', { key: read, body: { name: 'x', scopes: ['admin'] } })).status).toBe(403);
    for (const scope of ['ingest', 'portal'] as const) {
      const key = await createTestKey(ctx.db.dataSource, ctx.tenant.id, [scope]);
      expect((await ctx.api.request('GET', '/v1/accounts', { key })).status).toBe(403);
    }
  });

  it('records last use, at most hourly', async () => {
    const secret = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    await ctx.api.request('GET', '/v1/accounts', { key: secret });
    const prefix = secret.split('_').slice(0, 2).join('_');
    // The update is not awaited by the request; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const used = await ctx.db.asSuperuser(async (c) => (await c.query('SELECT last_used_at FROM api_keys WHERE prefix = $1', [prefix])).rows[0].last_used_at);
    expect(used).toBeInstanceOf(Date);
  });
});

describe('platform operations', () => {
  it('creates a tenant with a working admin key, visible to the platform only', async () => {
    const res = await ctx.api.request('POST', '/v1/tenants', { key: TEST_PLATFORM_KEY, body: { name: 'Acme Colocation', slug: 'acme-colo' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'tenant', slug: 'acme-colo', status: 'active' });
    const secret = res.body.initial_api_key.secret;
    expect(res.body.initial_api_key.scopes).toEqual(['admin']);
    expect((await ctx.api.request('GET', '/v1/accounts', { key: secret })).status).toBe(200);

    const audit = await ctx.api.request('GET', '/v1/audit_log', { key: secret });
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(['api_key.created', 'tenant.created']);
    expect(audit.body.data[0].actor).toEqual({ type: 'platform', id: null, label: 'platform' });

    const dup = await ctx.api.request('POST', '/v1/tenants', { key: TEST_PLATFORM_KEY, body: { name: 'Other', slug: 'acme-colo' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('tenant_slug_taken');

    const list = await ctx.api.request('GET', '/v1/tenants', { key: TEST_PLATFORM_KEY });
    expect(list.body.data.map((t: { slug: string }) => t.slug)).toContain('acme-colo');
    expect((await ctx.api.request('GET', `/v1/tenants/${res.body.id}`, { key: TEST_PLATFORM_KEY })).body.name).toBe('Acme Colocation');
  });

  it('lets the operator issue a key for a locked-out tenant', async () => {
    const res = await ctx.api.request('POST', `/v1/tenants/${ctx.tenant.id}/api_keys`, {
      key: TEST_PLATFORM_KEY,
      body: { name: 'Recovery', scopes: ['admin'] },
    });
    expect(res.status).toBe(201);
    expect((await ctx.api.request('GET', '/v1/accounts', { key: res.body.secret })).status).toBe(200);
    const missing = await ctx.api.request('POST', '/v1/tenants/01900000-0000-7000-8000-000000000000/api_keys', {
      key: TEST_PLATFORM_KEY,
      body: { name: 'x', scopes: ['admin'] },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses a wrong platform key, and platform calls when none is configured', async () => {
    expect((await ctx.api.request('GET', '/v1/tenants', { key: 'wrong-platform-key-0123456789abcdef012' })).status).toBe(401);
    const bare = await startTestApi(ctx.db.dataSource, { env: { RACKRATE_PLATFORM_KEY: '' } });
    try {
      const res = await bare.request('GET', '/v1/tenants', { key: TEST_PLATFORM_KEY });
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/RACKRATE_PLATFORM_KEY/);
    } finally {
      await bare.close();
    }
  });
});
