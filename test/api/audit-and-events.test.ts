import { inTenantTransaction } from '../../db/tenant-transaction';
import { createAccount } from '../../services/accounts/account-service';
import { useApiTest } from '../support/http';

const ctx = useApiTest('audit');

describe('audit log', () => {
  it('records who changed what, with which key, before and after, and the request id', async () => {
    const created = await ctx.api.request('POST', '/v1/accounts', {
      key: ctx.tenant.adminKey,
      body: { name: 'Audited', currency: 'USD' },
      headers: { 'x-request-id': 'support-ticket-4711' },
    });
    expect(created.headers.get('x-request-id')).toBe('support-ticket-4711');
    const updated = await ctx.api.request('PATCH', `/v1/accounts/${created.body.id}`, { key: ctx.tenant.adminKey, body: { name: 'Audited & renamed' } });
    await ctx.api.request('POST', `/v1/accounts/${created.body.id}/archive`, { key: ctx.tenant.adminKey });

    const log = await ctx.api.request('GET', `/v1/audit_log?resource_type=account&resource_id=${created.body.id}`, { key: ctx.tenant.adminKey });
    expect(log.body.data.map((e: { action: string }) => e.action)).toEqual(['account.archived', 'account.updated', 'account.created']);
    const [archived, update, create] = log.body.data;
    const keyPrefix = ctx.tenant.adminKey.split('_').slice(0, 2).join('_');
    expect(create).toMatchObject({ before: null, after: created.body, request_id: 'support-ticket-4711' });
    expect(create.actor).toMatchObject({ type: 'api_key', label: `${keyPrefix} (Initial admin key)` });
    expect(create.actor.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(update.before.name).toBe('Audited');
    expect(update.after).toEqual(updated.body);
    expect(archived.after.status).toBe('archived');

    const one = await ctx.api.request('GET', `/v1/audit_log/${create.id}`, { key: ctx.tenant.adminKey });
    expect(one.body).toEqual(create);
  });

  it('has no entry, and no event, for a change that failed', async () => {
    const before = await ctx.api.request('GET', '/v1/audit_log?limit=100', { key: ctx.tenant.adminKey });
    await ctx.api.request('POST', '/v1/accounts', { key: ctx.tenant.adminKey, body: { name: 'Bad parent', currency: 'USD', parent_id: '01900000-0000-7000-8000-000000000000' } });
    const after = await ctx.api.request('GET', '/v1/audit_log?limit=100', { key: ctx.tenant.adminKey });
    expect(after.body.data).toEqual(before.body.data);
  });
});

describe('domain events (outbox)', () => {
  it('emits one event per change, carrying the resource as it became', async () => {
    const created = await ctx.api.request('POST', '/v1/accounts', { key: ctx.tenant.adminKey, body: { name: 'Evented', currency: 'EUR' } });
    await ctx.api.request('PATCH', `/v1/accounts/${created.body.id}`, { key: ctx.tenant.adminKey, body: { email: 'ap@evented.example' } });
    const events = await ctx.api.request('GET', `/v1/domain_events?resource_id=${created.body.id}`, { key: ctx.tenant.adminKey });
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['account.updated', 'account.created']);
    expect(events.body.data[1].data).toEqual(created.body);
    expect(events.body.data[0].data.email).toBe('ap@evented.example');
    expect(events.body.data[0].published_at).toBeNull();
    const byType = await ctx.api.request('GET', '/v1/domain_events?type=account.updated', { key: ctx.tenant.adminKey });
    expect(byType.body.data.every((e: { type: string }) => e.type === 'account.updated')).toBe(true);
  });

  it('writes the event in the transaction of the change: a rollback leaves neither', async () => {
    const actor = { type: 'system' as const, id: 'test', label: 'test' };
    await expect(
      inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, async (tx) => {
        await createAccount(tx, { tenantId: ctx.tenant.id, actor, requestId: 'rolled-back', now: new Date() }, { name: 'Ghost', currency: 'USD' });
        throw new Error('crash after the write');
      }),
    ).rejects.toThrow('crash after the write');
    const counts = await ctx.db.asSuperuser(async (c) => ({
      accounts: Number((await c.query(`SELECT count(*) AS n FROM accounts WHERE name = 'Ghost'`)).rows[0].n),
      events: Number((await c.query(`SELECT count(*) AS n FROM outbox_events WHERE request_id = 'rolled-back'`)).rows[0].n),
      audit: Number((await c.query(`SELECT count(*) AS n FROM audit_log WHERE request_id = 'rolled-back'`)).rows[0].n),
    }));
    expect(counts).toEqual({ accounts: 0, events: 0, audit: 0 });
  });
});
