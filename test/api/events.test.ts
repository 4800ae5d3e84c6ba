import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { expectCreated, seedCatalog } from '../support/catalog-fixtures';
import { useApiTest, type TestResponse } from '../support/http';
import { createTestKey, createTestTenant, type TestTenant } from '../support/tenants';

/**
 * POST /v1/events and /v1/events/batch on the real API and PostgreSQL:
 * every result is checked against the rows actually stored (read as the
 * superuser, under no row-level security), and against values worked out
 * here from the events sent.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let offsetMs = 0;
/** The API's clock: real time plus an offset the tests move ("a day later"). */
const clock = { now: () => new Date(Date.now() + offsetMs) };
const ctx = useApiTest('events', { withTemporal: true, clock });

let other: TestTenant;
const ids: Record<string, string> = {};

/** An instant relative to the API's clock, as RFC 3339. */
const at = (msFromNow: number) => new Date(clock.now().getTime() + msFromNow).toISOString();

const send = (path: string, body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) =>
  ctx.api.request('POST', path, { key: options.key ?? ctx.tenant.adminKey, body, ...(options.headers ? { headers: options.headers } : {}) });
const single = (event: unknown, options?: { key?: string; headers?: Record<string, string> }) => send('/v1/events', event, options);
const batch = (events: unknown, options?: { key?: string; headers?: Record<string, string> }) => send('/v1/events/batch', events, options);

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return ctx.db.asSuperuser(async (c) => (await c.query(text, params)).rows as T[]);
}

async function storedIds(eventIds: string[]): Promise<string[]> {
  const rows = await sql<{ event_id: string }>(`SELECT event_id FROM usage_events WHERE event_id = ANY($1) ORDER BY event_id`, [eventIds]);
  return rows.map((r) => r.event_id);
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

function expectOk(res: TestResponse, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
}

beforeAll(async () => {
  const key = ctx.tenant.adminKey;
  const post = (path: string, body: unknown, k = key) => expectCreated(ctx.api.request('POST', path, { key: k, body }));
  await seedCatalog(ctx.api, key);
  await post('/v1/billable_metrics', { code: 'api-calls', name: 'API calls', event_name: 'api.call', aggregation: { type: 'count' } });
  await post('/v1/billable_metrics', { code: 'storage', name: 'Storage', event_name: 'storage.level', aggregation: { type: 'time_weighted', property: 'value' } });
  await post('/v1/billable_metrics', { code: 'transit-95', name: 'Transit 95th', event_name: 'interface.rate', aggregation: { type: 'percentile', property: 'bps', percentile: '95' } });
  await post('/v1/billable_metrics', { code: 'unique-ips', name: 'Unique IPs', event_name: 'ip.seen', aggregation: { type: 'unique_count', property: 'ip' } });
  // A second metric on interface.bytes that only applies to region ams1 and reads a nested property.
  await post('/v1/billable_metrics', {
    code: 'transit-ams', name: 'Transit AMS', event_name: 'interface.bytes',
    aggregation: { type: 'sum', property: 'ams.gb' }, filters: [{ property: 'region', operator: 'eq', values: ['ams1'] }],
  });
  ids.one = (await post('/v1/accounts', { name: 'One sub', currency: 'USD', external_id: 'CUST-1' })).id;
  ids.none = (await post('/v1/accounts', { name: 'No sub', currency: 'USD', external_id: 'CUST-2' })).id;
  ids.two = (await post('/v1/accounts', { name: 'Two subs', currency: 'USD', external_id: 'CUST-3' })).id;
  ids.oneSub = (await post('/v1/subscriptions', { account_id: ids.one, plan: 'colo-standard', external_id: 'SUB-1' })).id;
  ids.twoSubA = (await post('/v1/subscriptions', { account_id: ids.two, plan: 'colo-standard' })).id;
  ids.twoSubB = (await post('/v1/subscriptions', { account_id: ids.two, plan: 'colo-standard', requires_provisioning: true })).id;

  other = await createTestTenant(ctx.db.dataSource, 'events-other');
  await seedCatalog(ctx.api, other.adminKey);
  ids.otherAccount = (await post('/v1/accounts', { name: 'Other', currency: 'USD', external_id: 'CUST-OTHER' }, other.adminKey)).id;
  ids.otherSub = (await post('/v1/subscriptions', { account_id: ids.otherAccount, plan: 'colo-standard', external_id: 'SUB-OTHER' }, other.adminKey)).id;
}, 90_000);

afterEach(() => {
  offsetMs = 0;
});

describe('POST /v1/events', () => {
  it('stores one event, attributed to the customer\'s only subscription charging for its code', async () => {
    const timestamp = at(-HOUR);
    const res = await single({ id: 'one-1', customer: 'CUST-1', code: 'interface.bytes', timestamp, properties: { gb: '12.75', port: 'xe-0/0/1' } });
    expectOk(res, 202);
    expect(res.body).toEqual({ id: 'one-1', status: 'accepted', subscription_id: ids.oneSub });
    const rows = await sql(`SELECT account_id, subscription_id, code, occurred_at, value, properties, received_at > now() - interval '1 minute' AS fresh FROM usage_events WHERE event_id = 'one-1'`);
    expect(rows).toEqual([{
      account_id: ids.one, subscription_id: ids.oneSub, code: 'interface.bytes', occurred_at: new Date(timestamp),
      value: null, properties: { gb: '12.75', port: 'xe-0/0/1' }, fresh: true,
    }]);
  });

  it('answers duplicate for an id it has stored, and keeps the first copy', async () => {
    const event = { id: 'one-dup', customer: 'CUST-1', code: 'api.call', timestamp: at(-HOUR) };
    expectOk(await single(event), 202);
    const again = await single({ ...event, timestamp: at(-2 * HOUR), customer: 'CUST-2' });
    expectOk(again, 202);
    expect(again.body).toEqual({ id: 'one-dup', status: 'duplicate', subscription_id: null });
    expect(await sql(`SELECT account_id FROM usage_events WHERE event_id = 'one-dup'`)).toEqual([{ account_id: ids.one }]);
  });

  it('keeps an event of a customer with no subscription charging for it, unattributed', async () => {
    const res = await single({ id: 'none-1', customer: 'CUST-2', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } });
    expect(res.body).toEqual({ id: 'none-1', status: 'accepted', subscription_id: null });
    expect(await sql(`SELECT account_id, subscription_id FROM usage_events WHERE event_id = 'none-1'`)).toEqual([{ account_id: ids.none, subscription_id: null }]);
  });

  it('refuses an event naming every bad field at once (422 problem+json), and stores nothing', async () => {
    const res = await single({ id: 'bad-1', customer: 'CUST-1', code: 'interface.bytes', timestamp: at(DAY), value: 'lots', colour: 'blue' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('event_rejected');
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`).sort()).toEqual([
      'colour unknown_field', 'timestamp too_far_in_future', 'value not_numeric',
    ]);
    expect(res.body.errors[0].in).toBe('body');
    expect(await storedIds(['bad-1'])).toEqual([]);
  });

  it('asks which subscription when the customer has several charging for the code', async () => {
    const res = await single({ id: 'two-1', customer: 'CUST-3', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'subscription', code: 'ambiguous_subscription' })]);
    const named = await single({ id: 'two-1', customer: 'CUST-3', subscription_id: ids.twoSubB, code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } });
    expect(named.body).toEqual({ id: 'two-1', status: 'accepted', subscription_id: ids.twoSubB });
    // A metric code no plan charges for (api.call) is not ambiguous: nothing to bill it to.
    const uncharged = await single({ id: 'two-2', customer: 'CUST-3', code: 'api.call', timestamp: at(0) });
    expect(uncharged.body).toEqual({ id: 'two-2', status: 'accepted', subscription_id: null });
  });

  it("attributes by an add-on's usage charge too, and ignores canceled subscriptions", async () => {
    const key = ctx.tenant.adminKey;
    const usagePrice = { USD: { model: 'per_unit', unit_price: '0.001' }, EUR: { model: 'per_unit', unit_price: '0.001' } };
    await expectCreated(ctx.api.request('POST', '/v1/plans', {
      key,
      body: { code: 'api-addon', kind: 'addon', name: 'API calls', definition: { billing_interval: 'month', currencies: ['USD', 'EUR'], charges: [{ key: 'calls', product: 'transit', type: 'usage', metric: 'api-calls', prices: usagePrice }] } },
    }));
    const account = (await expectCreated(ctx.api.request('POST', '/v1/accounts', { key, body: { name: 'Add-on', currency: 'USD', external_id: 'CUST-4' } }))).id;
    const withAddon = (await expectCreated(ctx.api.request('POST', '/v1/subscriptions', { key, body: { account_id: account, plan: 'colo-standard', addons: [{ code: 'api-addon' }] } }))).id;
    const pending = (await expectCreated(ctx.api.request('POST', '/v1/subscriptions', { key, body: { account_id: account, plan: 'colo-standard', requires_provisioning: true } }))).id;
    const calls = await single({ id: 'addon-1', customer: 'CUST-4', code: 'api.call', timestamp: at(0) });
    expect(calls.body).toEqual({ id: 'addon-1', status: 'accepted', subscription_id: withAddon });
    // Both subscriptions charge interface.bytes (the plan's transit) until the pending one is canceled.
    const before = await single({ id: 'addon-2', customer: 'CUST-4', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } });
    expect(before.body.errors).toEqual([expect.objectContaining({ field: 'subscription', code: 'ambiguous_subscription' })]);
    expectOk(await ctx.api.request('POST', `/v1/subscriptions/${pending}/cancel`, { key, body: { effective: 'now' } }), 200);
    await waitFor(async () => (await sql(`SELECT status FROM subscriptions WHERE id = $1`, [pending]))[0]?.status === 'canceled');
    const after = await single({ id: 'addon-2', customer: 'CUST-4', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } });
    expect(after.body).toEqual({ id: 'addon-2', status: 'accepted', subscription_id: withAddon });
  });

  it('takes a subscription by external id alone, and refuses one of another customer', async () => {
    const bySub = await single({ id: 'sub-1', subscription: 'SUB-1', code: 'api.call', timestamp: at(0) });
    expect(bySub.body).toEqual({ id: 'sub-1', status: 'accepted', subscription_id: ids.oneSub });
    expect(await sql(`SELECT account_id FROM usage_events WHERE event_id = 'sub-1'`)).toEqual([{ account_id: ids.one }]);
    const mismatch = await single({ id: 'sub-2', customer: 'CUST-2', subscription: 'SUB-1', code: 'api.call', timestamp: at(0) });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors).toEqual([expect.objectContaining({ field: 'subscription', code: 'account_mismatch' })]);
  });

  it('accepts a CloudEvent (application/cloudevents+json) and names CloudEvents attributes in errors', async () => {
    const headers = { 'content-type': 'application/cloudevents+json' };
    const ok = await single(
      { specversion: '1.0', id: 'ce-1', source: '/agents/ams1', type: 'interface.bytes', time: at(-HOUR), subject: 'CUST-1', data: { gb: 3.5, port: 'xe-0/0/2' } },
      { headers },
    );
    expect(ok.body).toEqual({ id: 'ce-1', status: 'accepted', subscription_id: ids.oneSub });
    expect(await sql(`SELECT value, properties FROM usage_events WHERE event_id = 'ce-1'`)).toEqual([{ value: null, properties: { gb: 3.5, port: 'xe-0/0/2' } }]);
    const valued = await single({ specversion: '1.0', id: 'ce-2', source: 's', type: 'storage.level', time: at(0), subject: 'CUST-2', data: 42 }, { headers });
    expect(valued.status).toBe(202);
    expect(await sql(`SELECT value::text AS value FROM usage_events WHERE event_id = 'ce-2'`)).toEqual([{ value: '42' }]);
    const bad = await single({ specversion: '1.0', id: 'ce-3', source: 's', type: 'interface.bytes', subject: 'NOBODY', data: { gb: 'x' } }, { headers });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['time']);
    const late = await single({ specversion: '1.0', id: 'ce-4', source: 's', type: 'interface.bytes', time: at(0), subject: 'NOBODY', data: { gb: 'x' } }, { headers });
    expect(late.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual(['subject unknown_customer', 'data.gb not_numeric']);
  });

  it('lets an ingest key send events but not read accounts; a read key cannot send', async () => {
    const ingestKey = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['ingest']);
    const readKey = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    expect((await single({ id: 'scoped-1', customer: 'CUST-2', code: 'api.call', timestamp: at(0) }, { key: ingestKey })).status).toBe(202);
    expect((await batch([{ id: 'scoped-2', customer: 'CUST-2', code: 'api.call', timestamp: at(0) }], { key: ingestKey })).status).toBe(200);
    const read = await ctx.api.request('GET', '/v1/accounts', { key: ingestKey });
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('insufficient_scope');
    const refused = await single({ id: 'scoped-3', customer: 'CUST-2', code: 'api.call', timestamp: at(0) }, { key: readKey });
    expect(refused.status).toBe(403);
    expect(await storedIds(['scoped-1', 'scoped-2', 'scoped-3'])).toEqual(['scoped-1', 'scoped-2']);
  });

  it("does not see another tenant's customers, subscriptions or event ids", async () => {
    const res = await batch([
      { id: 'iso-1', customer: 'CUST-OTHER', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
      { id: 'iso-2', subscription_id: ids.otherSub, code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
      { id: 'iso-3', account_id: ids.otherAccount, code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
      { id: 'iso-4', subscription: 'SUB-OTHER', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
    ]);
    expect(res.body.results.map((r: { errors: Array<{ field: string; code: string }> }) => r.errors.map((e) => `${e.field} ${e.code}`))).toEqual([
      ['customer unknown_customer'], ['subscription_id unknown_subscription'], ['account_id unknown_account'], ['subscription unknown_subscription'],
    ]);
    // The other tenant's own copy of an id this tenant stored is not a duplicate there.
    const theirs = await single({ id: 'one-1', customer: 'CUST-OTHER', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } }, { key: other.adminKey });
    expect(theirs.body).toEqual({ id: 'one-1', status: 'accepted', subscription_id: ids.otherSub });
    expect(await sql(`SELECT tenant_id FROM usage_events WHERE event_id = 'one-1' ORDER BY tenant_id`)).toHaveLength(2);
  });
});

describe('POST /v1/events/batch', () => {
  it('reports each bad event naming its field, and stores every other event of the batch', async () => {
    const good = (id: string) => ({ id, customer: 'CUST-1', code: 'interface.bytes', timestamp: at(-HOUR), properties: { gb: 2 } });
    const events = [
      good('b-ok-1'),
      { customer: 'CUST-1', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
      { id: 'b-no-time', customer: 'CUST-1', code: 'interface.bytes', properties: { gb: 1 } },
      { id: 'b-nan', customer: 'CUST-1', code: 'interface.bytes', timestamp: at(0), properties: { gb: 'twelve' } },
      { id: 'b-nan-value', customer: 'CUST-2', code: 'storage.level', timestamp: at(0), value: '1,5' },
      { id: 'b-no-value', customer: 'CUST-2', code: 'storage.level', timestamp: at(0) },
      { id: 'b-who', customer: 'CUST-NOBODY', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1 } },
      { id: 'b-what', customer: 'CUST-1', code: 'interface.bits', timestamp: at(0) },
      { id: 'b-future', customer: 'CUST-1', code: 'api.call', timestamp: at(10 * 60_000) },
      good('b-ok-2'),
      { id: 'b-old', customer: 'CUST-1', code: 'api.call', timestamp: at(-36 * DAY) },
      { id: 'b-bad-time', customer: 'CUST-1', code: 'api.call', timestamp: '2026-02-30T00:00:00Z' },
      { id: 'b-no-offset', customer: 'CUST-1', code: 'api.call', timestamp: at(0).replace('Z', '') },
      { id: 'b-ams', customer: 'CUST-1', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1, region: 'ams1' } },
      { id: 'b-fra', customer: 'CUST-1', code: 'interface.bytes', timestamp: at(0), properties: { gb: 1, region: 'fra1' } },
      'not an event',
      { id: 'b-nobody', code: 'api.call', timestamp: at(0) },
      { id: 'x'.repeat(201), customer: 'CUST-1', code: 'api.call', timestamp: at(0) },
      { id: 'b-nul', customer: 'CUST-1', code: 'api.call', timestamp: at(0), properties: { note: 'a\u0000b' } },
      { id: 'b-big', customer: 'CUST-1', code: 'api.call', timestamp: at(0), properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      good('b-ok-3'),
    ];
    const res = await batch(events);
    expectOk(res, 200);
    const summary = res.body.results.map((r: { index: number; id: string | null; status: string; errors?: Array<{ field: string; code: string }> }) =>
      [r.index, r.status, ...(r.errors ?? []).map((e) => `${e.field} ${e.code}`)].join(' '));
    expect(summary).toEqual([
      '0 accepted',
      '1 rejected id required',
      '2 rejected timestamp required',
      '3 rejected properties.gb not_numeric',
      '4 rejected value not_numeric',
      '5 rejected value required',
      '6 rejected customer unknown_customer',
      '7 rejected code unknown_event_code',
      '8 rejected timestamp too_far_in_future',
      '9 accepted',
      '10 rejected timestamp too_old',
      '11 rejected timestamp invalid_format',
      '12 rejected timestamp invalid_format',
      '13 rejected properties.ams.gb required',
      '14 accepted',
      '15 rejected  invalid_type',
      '16 rejected customer required',
      '17 rejected id too_big',
      '18 rejected properties invalid_characters',
      '19 rejected properties too_big',
      '20 accepted',
    ]);
    expect(res.body).toMatchObject({ accepted: 4, duplicates: 0, rejected: 17 });
    expect(res.body.results[2].id).toBe('b-no-time');
    expect(res.body.results[1].id).toBeNull();
    expect(await storedIds(events.map((e) => (typeof e === 'object' ? (e.id as string) : '')).filter(Boolean))).toEqual(['b-fra', 'b-ok-1', 'b-ok-2', 'b-ok-3']);
  });

  it('accepts {"events": [...]} and CloudEvents batches (application/cloudevents-batch+json), mixed with our shape', async () => {
    const wrapped = await batch({ events: [{ id: 'w-1', customer: 'CUST-2', code: 'api.call', timestamp: at(0) }] });
    expect(wrapped.body.results).toEqual([{ index: 0, id: 'w-1', status: 'accepted', subscription_id: null }]);
    const ce = await batch(
      [
        { specversion: '1.0', id: 'ceb-1', source: '/a', type: 'interface.bytes', time: at(0), subject: 'CUST-1', data: { value: 7, properties: { gb: 1.5 } } },
        { specversion: '1.0', id: 'ceb-2', source: '/a', type: 'interface.bytes', time: at(0), rackratesubscription: 'SUB-1', data: { gb: 2 }, traceparent: '00-abc' },
        { specversion: '0.3', id: 'ceb-3', source: '/a', type: 'interface.bytes', time: at(0), subject: 'CUST-1', data: { gb: 2 } },
        { id: 'ceb-4', customer: 'CUST-1', code: 'api.call', timestamp: at(0) },
      ],
      { headers: { 'content-type': 'application/cloudevents-batch+json' } },
    );
    expectOk(ce, 200);
    expect(ce.body.results).toEqual([
      { index: 0, id: 'ceb-1', status: 'accepted', subscription_id: ids.oneSub },
      { index: 1, id: 'ceb-2', status: 'accepted', subscription_id: ids.oneSub },
      { index: 2, id: 'ceb-3', status: 'rejected', errors: [expect.objectContaining({ field: 'specversion', code: 'invalid_value' })] },
      // api.call: no plan charges for it, so unattributed.
      { index: 3, id: 'ceb-4', status: 'accepted', subscription_id: null },
    ]);
    expect(await sql(`SELECT event_id, value::text AS value, properties FROM usage_events WHERE event_id IN ('ceb-1', 'ceb-2') ORDER BY event_id`)).toEqual([
      { event_id: 'ceb-1', value: '7', properties: { gb: 1.5 } },
      { event_id: 'ceb-2', value: null, properties: { gb: 2 } },
    ]);
  });

  it('refuses the whole request, naming the field, when the batch is too large, not JSON or not a batch', async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM usage_event_ids`);
    const tooMany = Array.from({ length: INGEST_LIMITS.maxBatchEvents + 1 }, (_, i) => ({ id: `big-${i}`, customer: 'CUST-2', code: 'api.call', timestamp: at(0) }));
    const big = await batch(tooMany);
    expect([big.status, big.body.code, big.body.errors]).toEqual([400, 'validation_failed', [expect.objectContaining({ field: '', code: 'too_big' })]]);
    const wrappedBig = await batch({ events: tooMany });
    expect([wrappedBig.status, wrappedBig.body.errors[0].field]).toEqual([400, 'events']);

    // Over 10 MiB: refused before it is read. (1 MiB, the limit of other routes, is fine here.)
    const padding = 'p'.repeat(7000);
    const heavy = Array.from({ length: 1600 }, (_, i) => ({ id: `heavy-${i}`, customer: 'CUST-2', code: 'api.call', timestamp: at(0), properties: { padding } }));
    const tooHeavy = await batch(heavy);
    expect([tooHeavy.status, tooHeavy.body.code]).toEqual([413, 'payload_too_large']);
    const twoMiB = await batch(heavy.slice(0, 300));
    expect([twoMiB.status, twoMiB.body.accepted]).toEqual([200, 300]);

    const broken = await ctx.api.request('POST', '/v1/events/batch', { key: ctx.tenant.adminKey, rawBody: '[{"id": "x",', headers: { 'content-type': 'application/json' } });
    expect([broken.status, broken.body.code]).toEqual([400, 'malformed_json']);
    const text = await ctx.api.request('POST', '/v1/events/batch', { key: ctx.tenant.adminKey, rawBody: 'id=x', headers: { 'content-type': 'text/plain' } });
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
    const notBatch = await batch({ id: 'x', customer: 'CUST-2', code: 'api.call', timestamp: at(0) });
    expect([notBatch.status, notBatch.body.code]).toEqual([400, 'validation_failed']);
    expect(notBatch.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'customer', 'id', 'timestamp']);
    const wrongEvents = await batch({ events: 'all of them' });
    expect([wrongEvents.status, wrongEvents.body.errors]).toEqual([400, [expect.objectContaining({ field: 'events', code: 'invalid_type' })]]);
    const none = await ctx.api.request('POST', '/v1/events/batch', { key: ctx.tenant.adminKey });
    expect([none.status, none.body.errors[0].code]).toEqual([400, 'required']);
    const singleArray = await single([{ id: 'x' }]);
    expect([singleArray.status, singleArray.body.code]).toEqual([400, 'validation_failed']);

    expect(await sql(`SELECT count(*)::int AS n FROM usage_event_ids`)).toEqual([{ n: before[0]!.n + 300 }]);
  });

  it('counts an id once: twice in one batch (the first copy wins), across batches, and replayed a day later', async () => {
    const event = (id: string, gb: number, extra: Record<string, unknown> = {}) => ({ id, customer: 'CUST-1', code: 'interface.bytes', timestamp: at(-2 * HOUR), properties: { gb }, ...extra });
    const first = await batch([event('d-1', 1), event('d-2', 2), event('d-1', 100), { id: 'd-2', code: 'nonsense' }, event('d-3', 3)]);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'duplicate', 'duplicate', 'accepted']);
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 2, rejected: 0 });

    const second = await batch([event('d-3', 30), event('d-4', 4)]);
    expect(second.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'accepted']);

    offsetMs = DAY;
    const dayLater = await batch([event('d-1', 1000), event('d-2', 2000), event('d-5', 5)]);
    expect(dayLater.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    // A copy that would now be refused (its customer is unknown) is still reported as the duplicate it is.
    const refusedCopy = await batch([{ ...event('d-4', 4), customer: 'CUST-NOBODY' }]);
    expect(refusedCopy.body.results[0].status).toBe('duplicate');

    const totals = await sql(`SELECT count(*)::int AS n, sum((properties->>'gb')::numeric)::text AS gb FROM usage_events WHERE event_id LIKE 'd-%'`);
    expect(totals).toEqual([{ n: 5, gb: String(1 + 2 + 3 + 4 + 5) }]);
    expect(await sql(`SELECT count(*)::int AS n FROM usage_event_ids WHERE event_id LIKE 'd-%'`)).toEqual([{ n: 5 }]);
  });

  it('folds rate samples into usage_samples once per event, per port series, day and 5-minute slot', async () => {
    // Midnight UTC two days back (by the API clock), so the slots are known.
    const midnight = Math.floor((clock.now().getTime() - 2 * DAY) / DAY) * DAY;
    const sample = (id: string, minute: number, second: number, bps: Record<string, number>, port = 'xe-0/0/1', extra: Record<string, unknown> = {}) => ({
      id, customer: 'CUST-2', code: 'interface.rate', timestamp: new Date(midnight + minute * 60_000 + second * 1000).toISOString(),
      properties: { port, region: 'ams1', bps, ...extra },
    });
    const res = await batch([
      sample('s-1', 0, 0, { in: 1000, out: 500 }),
      sample('s-2', 4, 59, { in: 3000 }),
      sample('s-3', 5, 0, { in: 10, out: 20 }),
      sample('s-4', 1439, 30, { out: 7 }),
      sample('s-5', 0, 30, { in: 1 }, 'xe-0/0/2'),
      sample('s-1', 0, 0, { in: 999999, out: 999999 }),
      // Numbers are not series labels; only string properties are.
      sample('s-6', 2, 0, { in: 5 }, 'xe-0/0/1', { vlan: 42 }),
      sample('s-7', 2, 0, { in: -1 }),
    ]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'duplicate', 'accepted', 'rejected']);
    expect(res.body.results[7].errors).toEqual([expect.objectContaining({ field: 'properties.bps.in', code: 'not_numeric' })]);
    // Replayed: folds nothing twice.
    expect((await batch([sample('s-2', 4, 59, { in: 3000 })])).body.results[0].status).toBe('duplicate');
    // Later the same day, another batch adds to the same slot.
    expect((await batch([sample('s-8', 3, 0, { in: 2000, out: 100 })])).body.accepted).toBe(1);

    const rows = await sql<{ series: Record<string, string>; day: string; in_sum: number[]; in_count: number[]; out_sum: number[]; out_count: number[]; subscription_id: string; slot_minutes: number }>(
      `SELECT series, to_char(day, 'YYYY-MM-DD') AS day, in_sum, in_count, out_sum, out_count, subscription_id, slot_minutes
         FROM usage_samples WHERE account_id = $1 AND code = 'interface.rate' ORDER BY series->>'port'`,
      [ids.none],
    );
    const day = new Date(midnight).toISOString().slice(0, 10);
    const zeros = () => new Array(288).fill(0);
    const expected1 = { in_sum: zeros(), in_count: zeros(), out_sum: zeros(), out_count: zeros() };
    // Slot 0 (00:00-00:05): s-1, s-2, s-6, s-8 in; s-1, s-8 out. Slot 1: s-3. Slot 287: s-4 (out only).
    expected1.in_sum[0] = 1000 + 3000 + 5 + 2000; expected1.in_count[0] = 4;
    expected1.out_sum[0] = 500 + 100; expected1.out_count[0] = 2;
    expected1.in_sum[1] = 10; expected1.in_count[1] = 1; expected1.out_sum[1] = 20; expected1.out_count[1] = 1;
    expected1.out_sum[287] = 7; expected1.out_count[287] = 1;
    const port2 = { in_sum: zeros(), in_count: zeros(), out_sum: zeros(), out_count: zeros() };
    port2.in_sum[0] = 1; port2.in_count[0] = 1;
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(rows).toEqual([
      { series: { port: 'xe-0/0/1', region: 'ams1' }, day, subscription_id: nil, slot_minutes: 5, ...expected1 },
      { series: { port: 'xe-0/0/2', region: 'ams1' }, day, subscription_id: nil, slot_minutes: 5, ...port2 },
    ]);
  });

  it('queues every account it stored events for once the tenant has an active threshold, in the same transaction', async () => {
    await sql(`DELETE FROM usage_threshold_queue`);
    // No threshold yet: nothing to check, nothing queued.
    expect((await batch([{ id: 'q-0', customer: 'CUST-1', code: 'api.call', timestamp: at(0) }])).body.accepted).toBe(1);
    expect(await sql(`SELECT account_id FROM usage_threshold_queue`)).toEqual([]);
    // A threshold on one account: every account with stored events is queued (a parent's budget covers its children).
    await sql(
      `INSERT INTO usage_thresholds (tenant_id, id, account_id, basis, metric_code, reference, reference_value, percents, status, metadata, created_at, updated_at, version)
       VALUES ($1, gen_random_uuid(), $2, 'units', 'api-calls', 'value', 100, '{50,100}', 'active', '{}', now(), now(), 1)`,
      [ctx.tenant.id, ids.none],
    );
    const res = await batch([
      { id: 'q-1', customer: 'CUST-2', code: 'api.call', timestamp: at(0) },
      { id: 'q-2', customer: 'CUST-1', code: 'api.call', timestamp: at(0) },
      { id: 'q-1', customer: 'CUST-2', code: 'api.call', timestamp: at(0) },
    ]);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1 });
    const queued = await sql(`SELECT tenant_id, account_id FROM usage_threshold_queue ORDER BY account_id`);
    expect(queued).toEqual([ids.one!, ids.none!].sort().map((account_id) => ({ tenant_id: ctx.tenant.id, account_id })));
  });

  it('writes nothing of a batch that fails part-way (after its keys and events are written)', async () => {
    await sql(`CREATE FUNCTION fail_fold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
    await sql(`CREATE TRIGGER fail_fold BEFORE INSERT OR UPDATE ON usage_samples FOR EACH ROW EXECUTE FUNCTION fail_fold()`);
    const events = [
      { id: 'crash-1', customer: 'CUST-2', code: 'api.call', timestamp: at(0) },
      { id: 'crash-2', customer: 'CUST-2', code: 'interface.rate', timestamp: at(0), properties: { port: 'p', bps: { in: 1 } } },
    ];
    try {
      const res = await batch(events);
      expect([res.status, res.body.code]).toEqual([500, 'internal_error']);
    } finally {
      await sql(`DROP TRIGGER fail_fold ON usage_samples`);
    }
    expect(await storedIds(['crash-1', 'crash-2'])).toEqual([]);
    expect(await sql(`SELECT event_id FROM usage_event_ids WHERE event_id LIKE 'crash-%'`)).toEqual([]);
    // The keys were not kept either: the retry is accepted, not a duplicate.
    expect((await batch(events)).body).toMatchObject({ accepted: 2, duplicates: 0 });
  });
});
