import { requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { createTestKey } from '../support/tenants';
import { createAccount, insertSubscription, seedUsageCatalog } from '../db/metering/thresholds-fixtures';

/** /v1/usage_thresholds: create, read, list, change, archive; every bad field named; audited and announced. */
const ctx = useApiTest('usage-thresholds');
const req = requester(ctx);
const NOVEMBER = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
let accountId: string;
let otherAccountId: string;
let subscriptionId: string;
let uncommittedId: string;

beforeAll(async () => {
  const key = ctx.tenant.adminKey;
  await seedUsageCatalog(ctx.api, key);
  accountId = await createAccount(ctx.api, key, { name: 'Thresholded' });
  otherAccountId = await createAccount(ctx.api, key, { name: 'Other' });
  subscriptionId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: NOVEMBER });
  uncommittedId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId: otherAccountId, plan: 'uncommitted', period: NOVEMBER });
});

const budget = (extra: Record<string, unknown> = {}) => ({ account_id: accountId, basis: 'amount', reference: 'value', reference_value: '5000.00', percents: [100, 50, 80], ...extra });

describe('creating', () => {
  it('an amount budget for an account: levels sorted, budget normalised, audited and announced', async () => {
    const res = await req('POST', '/v1/usage_thresholds', budget({ metadata: { owner: 'finance' } }));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/usage_thresholds/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'usage_threshold', account_id: accountId, subscription_id: null, basis: 'amount', metric_code: null,
      reference: 'value', reference_value: '5000', percents: [50, 80, 100], status: 'active', metadata: { owner: 'finance' }, version: 1,
    });
    const audit = await req('GET', `/v1/audit_log?resource_id=${res.body.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['usage_threshold.created']);
    const events = await req('GET', `/v1/domain_events?resource_id=${res.body.id}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([['usage_threshold.created', res.body]]);
  });

  it('a units threshold on the commit of a subscription: the commit is read from the plan', async () => {
    const res = await req('POST', '/v1/usage_thresholds', {
      account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'commit', percents: [80, 100, 150],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ subscription_id: subscriptionId, metric_code: 'transit-gb', reference: 'commit', reference_value: null, percents: [80, 100, 150] });
    // A burstable port commits 100 Mbps: accepted for the account as a whole too.
    await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'burstable', period: NOVEMBER });
    const port = await req('POST', '/v1/usage_thresholds', { account_id: accountId, basis: 'units', metric_code: 'port-bps', reference: 'commit', percents: [90] });
    expect(port.status).toBe(201);
  });

  it('refuses a commit threshold where nothing is committed, saying why', async () => {
    const res = await req('POST', '/v1/usage_thresholds', {
      account_id: otherAccountId, subscription_id: uncommittedId, basis: 'units', metric_code: 'transit-gb', reference: 'commit', percents: [100],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('threshold_reference_unavailable');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reference', code: 'no_commit', message: 'its graduated price has no commit and the charge includes no quantity' })]);
    const metricNotCharged = await req('POST', '/v1/usage_thresholds', {
      account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'api-calls', reference: 'commit', percents: [100],
    });
    expect(metricNotCharged.status).toBe(422);
    expect(metricNotCharged.body.detail).toContain('has no usage charge on metric api-calls');
  });

  it('names every bad field at once', async () => {
    const res = await req('POST', '/v1/usage_thresholds', {
      account_id: 'not-a-uuid', basis: 'amount', metric_code: 'transit-gb', reference: 'commit', percents: [0, 50, 50, 1001], colour: 'red',
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as Array<{ field: string; code: string }>).map((e) => `${e.field} ${e.code}`).sort();
    expect(fields).toEqual([
      'account_id invalid_format', 'colour unknown_field', 'metric_code invalid', 'percents invalid', 'percents[0] too_small', 'percents[3] too_big', 'reference invalid',
    ]);
    const missing = await req('POST', '/v1/usage_thresholds', { account_id: accountId, basis: 'units', reference: 'value', percents: [] });
    expect((missing.body.errors as Array<{ field: string; code: string }>).map((e) => `${e.field} ${e.code}`).sort()).toEqual([
      'metric_code invalid', 'percents too_small', 'reference_value invalid',
    ]);
    const eleven = await req('POST', '/v1/usage_thresholds', budget({ percents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }));
    expect(eleven.body.errors).toEqual([expect.objectContaining({ field: 'percents', code: 'too_big' })]);
  });

  it('refuses unknown or mismatched references, all at once', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    const res = await req('POST', '/v1/usage_thresholds', { account_id: missing, subscription_id: missing, basis: 'units', metric_code: 'nope', reference: 'value', reference_value: '1', percents: [1] });
    expect(res.status).toBe(400);
    expect((res.body.errors as Array<{ field: string; code: string }>).map((e) => `${e.field} ${e.code}`)).toEqual(['account_id unknown', 'subscription_id unknown', 'metric_code unknown']);
    const foreign = await req('POST', '/v1/usage_thresholds', budget({ account_id: otherAccountId, subscription_id: subscriptionId }));
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'subscription_id', code: 'not_of_account' })]);
  });
});

describe('reading, changing and archiving', () => {
  it('lists newest first with filters and a cursor', async () => {
    const a = await req('POST', '/v1/usage_thresholds', budget({ account_id: otherAccountId, percents: [10] }));
    const b = await req('POST', '/v1/usage_thresholds', budget({ account_id: otherAccountId, percents: [20] }));
    const c = await req('POST', '/v1/usage_thresholds', budget({ account_id: otherAccountId, subscription_id: uncommittedId, percents: [30] }));
    const first = await req('GET', `/v1/usage_thresholds?account_id=${otherAccountId}&limit=2`);
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([c.body.id, b.body.id]);
    expect(first.body.has_more).toBe(true);
    const second = await req('GET', `/v1/usage_thresholds?account_id=${otherAccountId}&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((t: { id: string }) => t.id)).toEqual([a.body.id]);
    expect(second.body.has_more).toBe(false);
    const bySubscription = await req('GET', `/v1/usage_thresholds?subscription_id=${uncommittedId}`);
    expect(bySubscription.body.data.map((t: { id: string }) => t.id)).toEqual([c.body.id]);
    const bad = await req('GET', '/v1/usage_thresholds?account_id=x&status=gone');
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['account_id', 'status']);
  });

  it('changes levels, budget and metadata; a no-op changes nothing', async () => {
    const t = (await req('POST', '/v1/usage_thresholds', budget())).body;
    const res = await req('PATCH', `/v1/usage_thresholds/${t.id}`, { percents: [90, 75], reference_value: '7500.50', metadata: { k: 'v' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ percents: [75, 90], reference_value: '7500.5', metadata: { k: 'v' }, version: 2 });
    const again = await req('PATCH', `/v1/usage_thresholds/${t.id}`, { percents: [75, 90] });
    expect(again.body.version).toBe(2);
    expect((await req('GET', `/v1/usage_thresholds/${t.id}`)).body).toEqual(res.body);
    const audit = await req('GET', `/v1/audit_log?resource_id=${t.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['usage_threshold.updated', 'usage_threshold.created']);
  });

  it('refuses a budget on a commit threshold', async () => {
    const t = (await req('POST', '/v1/usage_thresholds', { account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'commit', percents: [100] })).body;
    const res = await req('PATCH', `/v1/usage_thresholds/${t.id}`, { reference_value: '10' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reference_value', code: 'not_applicable' })]);
  });

  it('archives with DELETE (idempotently); an archived threshold cannot change', async () => {
    const t = (await req('POST', '/v1/usage_thresholds', budget())).body;
    const res = await req('DELETE', `/v1/usage_thresholds/${t.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, status: 'archived', version: 2 });
    expect((await req('DELETE', `/v1/usage_thresholds/${t.id}`)).body.version).toBe(2);
    const patch = await req('PATCH', `/v1/usage_thresholds/${t.id}`, { percents: [1] });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('usage_threshold_archived');
    const listed = await req('GET', `/v1/usage_thresholds?account_id=${accountId}&limit=100`);
    expect(listed.body.data.map((x: { id: string }) => x.id)).not.toContain(t.id);
    const archived = await req('GET', `/v1/usage_thresholds?account_id=${accountId}&status=archived`);
    expect(archived.body.data.map((x: { id: string }) => x.id)).toEqual([t.id]);
  });

  it('needs the admin scope to write and read scope to read', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const write = await ctx.api.request('POST', '/v1/usage_thresholds', { key: reader, body: budget() });
    expect(write.status).toBe(403);
    expect((await ctx.api.request('GET', '/v1/usage_thresholds', { key: reader })).status).toBe(200);
    const missing = await req('GET', '/v1/usage_thresholds/01900000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
  });
});
