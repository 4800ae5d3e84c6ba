import { accountSchema } from '../../services/accounts/account-schemas';
import { useApiTest } from '../support/http';

const ctx = useApiTest('accounts');

const create = (body: unknown, headers?: Record<string, string>) =>
  ctx.api.request('POST', '/v1/accounts', { key: ctx.tenant.adminKey, body, ...(headers ? { headers } : {}) });

describe('accounts', () => {
  it('creates an account with defaults and returns it in the documented shape', async () => {
    const res = await create({ name: 'Acme Streaming', currency: 'USD' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/accounts/${res.body.id}`);
    expect(() => accountSchema.parse(res.body)).not.toThrow();
    expect(res.body).toMatchObject({
      object: 'account',
      name: 'Acme Streaming',
      currency: 'USD',
      timezone: 'UTC',
      locale: 'en-US',
      billing_anchor_day: 1,
      payment_terms: { type: 'due_on_receipt' },
      tax_exemption: 'none',
      invoice_delivery: 'email',
      status: 'active',
      version: 1,
      parent_id: null,
      bill_to_parent: false,
    });

    const read = await ctx.api.request('GET', `/v1/accounts/${res.body.id}`, { key: ctx.tenant.adminKey });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('stores every field it accepts', async () => {
    const full = {
      external_id: 'CRM-42',
      name: 'Globex Research GmbH',
      legal_name: 'Globex Research Gesellschaft mbH',
      email: 'rechnung@globex.example',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
      billing_anchor_day: 31,
      payment_terms: { type: 'net', days: 30 },
      tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }],
      tax_exemption: 'reverse_charge',
      billing_address: { line1: 'Kleyerstrasse 90', city: 'Frankfurt am Main', postal_code: '60326', country: 'DE' },
      service_address: { line1: 'Hanauer Landstrasse 298', city: 'Frankfurt am Main', country: 'DE' },
      contacts: [{ name: 'Jana Vogel', email: 'jana@globex.example', phone: '+49 69 1234567', roles: ['billing', 'primary'] }],
      invoice_delivery: 'postal',
      metadata: { crm: 'salesforce', segment: 'enterprise' },
    };
    const res = await create(full);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(full);
  });

  it('rejects a second account with the same external_id, naming the field', async () => {
    expect((await create({ name: 'First', currency: 'USD', external_id: 'DUP-1' })).status).toBe(201);
    const res = await create({ name: 'Second', currency: 'USD', external_id: 'DUP-1' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('external_id_taken');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'external_id', code: 'taken' })]);
  });

  it('updates only the fields sent, merges metadata and bumps the version', async () => {
    const created = await create({ name: 'Patch me', currency: 'USD', email: 'a@example.com', metadata: { a: '1', b: '2' } });
    const res = await ctx.api.request('PATCH', `/v1/accounts/${created.body.id}`, {
      key: ctx.tenant.adminKey,
      body: { name: 'Patched', email: null, metadata: { b: null, c: '3' }, payment_terms: { type: 'net', days: 45 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Patched',
      email: null,
      currency: 'USD',
      metadata: { a: '1', c: '3' },
      payment_terms: { type: 'net', days: 45 },
      version: 2,
    });
    expect(res.body.metadata).not.toHaveProperty('b');
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const created = await create({ name: 'Same', currency: 'USD', billing_address: { line1: '1 Main St', city: 'Springfield', country: 'US' } });
    const res = await ctx.api.request('PATCH', `/v1/accounts/${created.body.id}`, {
      key: ctx.tenant.adminKey,
      // Same content, keys in another order.
      body: { name: 'Same', billing_address: { country: 'US', city: 'Springfield', line1: '1 Main St' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    const audit = await ctx.api.request('GET', `/v1/audit_log?resource_id=${created.body.id}`, { key: ctx.tenant.adminKey });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['account.created']);
  });

  it('lists newest first with cursor pagination that visits every account once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create({ name: `Paged ${i}`, currency: 'USD', metadata: { batch: 'paging' } })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const res = await ctx.api.request('GET', `/v1/accounts${query}`, { key: ctx.tenant.adminKey });
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((a: { id: string }) => a.id));
      cursor = res.body.next_cursor;
      expect(cursor === null).toBe(!res.body.has_more);
      pages += 1;
    } while (cursor !== null && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    // The seven made here are the newest, in reverse creation order.
    expect(seen.slice(0, 7)).toEqual([...ids].reverse());
  });

  it('filters by external_id', async () => {
    await create({ name: 'Findable', currency: 'USD', external_id: 'FIND-ME' });
    const res = await ctx.api.request('GET', '/v1/accounts?external_id=FIND-ME', { key: ctx.tenant.adminKey });
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].name).toBe('Findable');
  });

  it('archives an account: it stays readable, leaves the default list and refuses changes', async () => {
    const created = await create({ name: 'To archive', currency: 'USD', external_id: 'ARCH-1' });
    const archived = await ctx.api.request('POST', `/v1/accounts/${created.body.id}/archive`, { key: ctx.tenant.adminKey });
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archived_at).not.toBeNull();

    const again = await ctx.api.request('POST', `/v1/accounts/${created.body.id}/archive`, { key: ctx.tenant.adminKey });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(archived.body.version);

    const active = await ctx.api.request('GET', '/v1/accounts?external_id=ARCH-1', { key: ctx.tenant.adminKey });
    expect(active.body.data).toHaveLength(0);
    const all = await ctx.api.request('GET', '/v1/accounts?external_id=ARCH-1&status=all', { key: ctx.tenant.adminKey });
    expect(all.body.data).toHaveLength(1);

    const patch = await ctx.api.request('PATCH', `/v1/accounts/${created.body.id}`, { key: ctx.tenant.adminKey, body: { name: 'x' } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('account_archived');

    // A successor may take over the archived account's external id.
    const successor = await create({ name: 'Successor', currency: 'USD', external_id: 'ARCH-1' });
    expect(successor.status).toBe(201);
  });
});

describe('account hierarchy (master billing)', () => {
  it('puts a child under a parent and bills it to the parent', async () => {
    const parent = await create({ name: 'Parent', currency: 'USD' });
    const child = await create({ name: 'Child', currency: 'USD', parent_id: parent.body.id, bill_to_parent: true });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parent_id: parent.body.id, bill_to_parent: true });
    const children = await ctx.api.request('GET', `/v1/accounts?parent_id=${parent.body.id}`, { key: ctx.tenant.adminKey });
    expect(children.body.data.map((a: { id: string }) => a.id)).toEqual([child.body.id]);
  });

  it('rejects a parent that does not exist', async () => {
    const res = await create({ name: 'Orphan', currency: 'USD', parent_id: '01900000-0000-7000-8000-000000000000' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_account_hierarchy');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parent_id', code: 'parent_not_found' })]);
  });

  it("rejects bill_to_parent without a parent, and with a currency other than the parent's", async () => {
    const lone = await create({ name: 'Lone', currency: 'USD', bill_to_parent: true });
    expect(lone.status).toBe(422);
    expect(lone.body.errors).toEqual([expect.objectContaining({ field: 'bill_to_parent', code: 'bill_to_parent_without_parent' })]);

    const parent = await create({ name: 'USD parent', currency: 'USD' });
    const eur = await create({ name: 'EUR child', currency: 'EUR', parent_id: parent.body.id, bill_to_parent: true });
    expect(eur.status).toBe(422);
    expect(eur.body.errors).toEqual([expect.objectContaining({ field: 'currency', code: 'parent_currency_mismatch' })]);
  });

  it('rejects a cycle and leaves both accounts unchanged', async () => {
    const a = await create({ name: 'A', currency: 'USD' });
    const b = await create({ name: 'B', currency: 'USD', parent_id: a.body.id });
    const c = await create({ name: 'C', currency: 'USD', parent_id: b.body.id });
    const res = await ctx.api.request('PATCH', `/v1/accounts/${a.body.id}`, { key: ctx.tenant.adminKey, body: { parent_id: c.body.id } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parent_id', code: 'hierarchy_cycle' })]);
    const self = await ctx.api.request('PATCH', `/v1/accounts/${a.body.id}`, { key: ctx.tenant.adminKey, body: { parent_id: a.body.id } });
    expect(self.body.errors).toEqual([expect.objectContaining({ code: 'parent_is_self' })]);
    const after = await ctx.api.request('GET', `/v1/accounts/${a.body.id}`, { key: ctx.tenant.adminKey });
    expect(after.body).toMatchObject({ parent_id: null, version: 1 });
  });

  it('allows five levels and refuses a sixth, also when a subtree is moved', async () => {
    let parentId: string | null = null;
    const chain: string[] = [];
    for (let level = 1; level <= 5; level++) {
      const res = await create({ name: `Level ${level}`, currency: 'USD', ...(parentId ? { parent_id: parentId } : {}) });
      expect(res.status).toBe(201);
      chain.push(res.body.id);
      parentId = res.body.id;
    }
    const sixth = await create({ name: 'Level 6', currency: 'USD', parent_id: parentId });
    expect(sixth.status).toBe(422);
    expect(sixth.body.errors).toEqual([expect.objectContaining({ code: 'hierarchy_too_deep' })]);

    // A two-level subtree under level 4 would reach level 6.
    const top = await create({ name: 'Subtree top', currency: 'USD' });
    await create({ name: 'Subtree leaf', currency: 'USD', parent_id: top.body.id });
    const move = await ctx.api.request('PATCH', `/v1/accounts/${top.body.id}`, { key: ctx.tenant.adminKey, body: { parent_id: chain[3] } });
    expect(move.status).toBe(422);
    expect(move.body.errors).toEqual([expect.objectContaining({ code: 'hierarchy_too_deep' })]);
    const ok = await ctx.api.request('PATCH', `/v1/accounts/${top.body.id}`, { key: ctx.tenant.adminKey, body: { parent_id: chain[2] } });
    expect(ok.status).toBe(200);
  });

  it('refuses to change the currency of a parent whose children bill to it', async () => {
    const parent = await create({ name: 'Currency parent', currency: 'USD' });
    await create({ name: 'Currency child', currency: 'USD', parent_id: parent.body.id, bill_to_parent: true });
    const res = await ctx.api.request('PATCH', `/v1/accounts/${parent.body.id}`, { key: ctx.tenant.adminKey, body: { currency: 'EUR' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'currency', code: 'children_currency_mismatch' })]);
  });

  it('refuses to archive a parent with active children, and to use an archived parent', async () => {
    const parent = await create({ name: 'Busy parent', currency: 'USD' });
    const child = await create({ name: 'Busy child', currency: 'USD', parent_id: parent.body.id });
    const blocked = await ctx.api.request('POST', `/v1/accounts/${parent.body.id}/archive`, { key: ctx.tenant.adminKey });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('account_has_active_children');

    await ctx.api.request('POST', `/v1/accounts/${child.body.id}/archive`, { key: ctx.tenant.adminKey });
    expect((await ctx.api.request('POST', `/v1/accounts/${parent.body.id}/archive`, { key: ctx.tenant.adminKey })).status).toBe(200);
    const late = await create({ name: 'Late child', currency: 'USD', parent_id: parent.body.id });
    expect(late.status).toBe(422);
    expect(late.body.errors).toEqual([expect.objectContaining({ code: 'parent_archived' })]);
  });
});
