import { useApiTest, type TestResponse } from '../../support/http';
import { catalogFootprint, expectCreated, expectRejected, fieldErrors, requester, seedCatalog } from '../../support/catalog-fixtures';

/**
 * Asset types (priced NRC/MRC per currency) and the assets ordered from
 * them: prices copied at order time, and the ordered → active →
 * disconnected (or cancelled) life reported by provisioning.
 */
const ctx = useApiTest('catalog-assets');
const req = requester(ctx);

let cabinetProductId: string;
let usd: string;
let otherUsd: string;
let gbp: string;
let typeId: string;

const CABINET_TYPE = {
  code: 'cab-42u',
  name: 'Cabinet 42U',
  product: 'cabinet',
  category: 'cabinet',
  prices: { USD: { nrc: '500.00', mrc: '1200.00' }, EUR: { nrc: '450', mrc: '1100.50' } },
};

/** An instant `ms` after the asset was ordered, so no transition predates the order. */
const after = (asset: { ordered_at: string }, ms: number) => new Date(Date.parse(asset.ordered_at) + ms).toISOString();
const order = (providerAssetId: string, extra: Record<string, unknown> = {}) =>
  req('POST', '/v1/assets', { account_id: usd, asset_type: 'cab-42u', provider_asset_id: providerAssetId, ...extra });
const transition = (id: string, name: string, at?: string): Promise<TestResponse> =>
  req('POST', `/v1/assets/${id}/${name}`, at === undefined ? {} : { at });

beforeAll(async () => {
  const seeded = await seedCatalog(ctx.api, ctx.tenant.adminKey);
  cabinetProductId = seeded.productIds.cabinet!;
  usd = (await expectCreated(req('POST', '/v1/accounts', { name: 'Acme', currency: 'USD' }))).id;
  otherUsd = (await expectCreated(req('POST', '/v1/accounts', { name: 'Other', currency: 'USD' }))).id;
  gbp = (await expectCreated(req('POST', '/v1/accounts', { name: 'London', currency: 'GBP' }))).id;
});

describe('asset types', () => {
  it('creates a type with NRC and MRC per currency for a product, normalised', async () => {
    const res = await req('POST', '/v1/asset_types', CABINET_TYPE);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/asset_types/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'asset_type',
      code: 'cab-42u',
      product_id: cabinetProductId,
      category: 'cabinet',
      prices: { USD: { nrc: '500', mrc: '1200' }, EUR: { nrc: '450', mrc: '1100.5' } },
      status: 'active',
      version: 1,
    });
    typeId = res.body.id;
    expect((await req('GET', `/v1/asset_types/${typeId}`)).body).toEqual(res.body);
    expect((await req('GET', '/v1/asset_types')).body.data.map((t: { id: string }) => t.id)).toEqual([typeId]);
  });

  it('refuses a taken code (409), an unknown product (422) and bad prices (400), changing nothing', async () => {
    await expectRejected(ctx.db, () => req('POST', '/v1/asset_types', CABINET_TYPE), 409, 'code_taken');
    const unknown = await expectRejected(ctx.db, () => req('POST', '/v1/asset_types', { ...CABINET_TYPE, code: 'x', product: 'no-product' }), 422, 'invalid_catalog');
    expect(fieldErrors(unknown)).toEqual(['product unknown_product']);
    const bad = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/asset_types', { ...CABINET_TYPE, code: 'x', category: 'rack', prices: { USD: { nrc: '-1', mrc: '10' }, EUR: { nrc: '1' } } }),
      400,
      'validation_failed',
    );
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'prices.EUR.mrc', 'prices.USD.nrc']);
    const empty = await expectRejected(ctx.db, () => req('POST', '/v1/asset_types', { ...CABINET_TYPE, code: 'x', prices: {} }), 400, 'validation_failed');
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(['prices']);
  });
});

describe('ordering assets', () => {
  it('orders an asset with the prices of its type in the account currency', async () => {
    const res = await order('NYC1-CAB-0412', { description: 'Row 4', metadata: { cage: 'C7' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/assets/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'asset', account_id: usd, asset_type_id: typeId, provider_asset_id: 'NYC1-CAB-0412', state: 'ordered',
      currency: 'USD', nrc: '500', mrc: '1200', activated_at: null, disconnected_at: null, description: 'Row 4', metadata: { cage: 'C7' }, version: 1,
    });
    expect((await req('GET', `/v1/assets/${res.body.id}`)).body).toEqual(res.body);
    const events = await req('GET', `/v1/domain_events?resource_id=${res.body.id}`);
    expect(events.body.data).toEqual([expect.objectContaining({ type: 'asset.ordered', data: res.body })]);
  });

  it('takes contract prices over the type\'s, one or both', async () => {
    const both = await order('NYC1-CAB-0413', { nrc: '0', mrc: '999.990' });
    expect(both.body).toMatchObject({ nrc: '0', mrc: '999.99' });
    const mrcOnly = await order('NYC1-CAB-0414', { mrc: '1000' });
    expect(mrcOnly.body).toMatchObject({ nrc: '500', mrc: '1000' });
  });

  it('refuses a currency the type has no price in, unless both prices are given (422 not_priced)', async () => {
    const none = await expectRejected(ctx.db, () => order('LON1-CAB-0001', { account_id: gbp }), 422, 'invalid_catalog');
    expect(fieldErrors(none)).toEqual(['currency not_priced']);
    const half = await expectRejected(ctx.db, () => order('LON1-CAB-0001', { account_id: gbp, nrc: '100' }), 422, 'invalid_catalog');
    expect(fieldErrors(half)).toEqual(['currency not_priced']);
    const priced = await order('LON1-CAB-0001', { account_id: gbp, nrc: '100', mrc: '900' });
    expect(priced.status).toBe(201);
    expect(priced.body).toMatchObject({ currency: 'GBP', nrc: '100', mrc: '900' });
  });

  it('refuses another currency than the account\'s, unknown accounts and asset types, all at once', async () => {
    const currency = await expectRejected(ctx.db, () => order('NYC1-CAB-0500', { currency: 'EUR' }), 422, 'invalid_catalog');
    expect(fieldErrors(currency)).toEqual(['currency not_account_currency']);
    const unknown = await expectRejected(
      ctx.db,
      () => order('NYC1-CAB-0500', { account_id: '01900000-0000-7000-8000-000000000000', asset_type: 'no-type' }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(unknown)).toEqual(['account_id unknown_account', 'asset_type unknown_asset_type']);
  });

  it('refuses a provider asset id already used (409 provider_asset_id_taken)', async () => {
    const res = await expectRejected(ctx.db, () => order('NYC1-CAB-0412', { account_id: otherUsd }), 409, 'provider_asset_id_taken');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'provider_asset_id', code: 'taken' })]);
  });

  it('keeps existing assets\' prices when the type\'s prices change', async () => {
    const existing = await expectCreated(order('NYC1-CAB-0600'));
    const updated = await req('PATCH', `/v1/asset_types/${typeId}`, { prices: { USD: { nrc: '650', mrc: '1300' } } });
    expect(updated.body).toMatchObject({ prices: { USD: { nrc: '650', mrc: '1300' } }, version: 2 });
    expect((await req('GET', `/v1/assets/${existing.id}`)).body).toMatchObject({ nrc: '500', mrc: '1200', version: 1 });
    expect((await order('NYC1-CAB-0601')).body).toMatchObject({ nrc: '650', mrc: '1300' });
    const before = await catalogFootprint(ctx.db);
    expect((await req('PATCH', `/v1/asset_types/${typeId}`, { prices: { USD: { nrc: '650.00', mrc: '1300' } } })).body.version).toBe(2);
    expect(await catalogFootprint(ctx.db)).toEqual(before);
  });

  it('refuses assets of an archived type, and changes to it', async () => {
    const spare = await expectCreated(req('POST', '/v1/asset_types', { ...CABINET_TYPE, code: 'old-cage', category: 'cage' }));
    expect((await req('POST', `/v1/asset_types/${spare.id}/archive`)).body).toMatchObject({ status: 'archived', version: 2 });
    const res = await expectRejected(ctx.db, () => order('OLD-1', { asset_type: 'old-cage' }), 422, 'invalid_catalog');
    expect(fieldErrors(res)).toEqual(['asset_type archived_asset_type']);
    await expectRejected(ctx.db, () => req('PATCH', `/v1/asset_types/${spare.id}`, { name: 'x' }), 409, 'catalog_item_archived');
  });
});

describe('asset life', () => {
  it('activates then disconnects; repeating a step with the same time returns the asset unchanged', async () => {
    const asset = (await expectCreated(order('NYC1-XC-1'))) as { id: string; ordered_at: string };
    const activatedAt = after(asset, 1000);
    const active = await transition(asset.id, 'activate', activatedAt);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ state: 'active', activated_at: activatedAt, disconnected_at: null, version: 2 });

    const before = await catalogFootprint(ctx.db);
    const again = await transition(asset.id, 'activate', activatedAt.replace('Z', '+00:00'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(active.body);
    expect(await catalogFootprint(ctx.db)).toEqual(before);

    const disconnectedAt = after(asset, 2000);
    const gone = await transition(asset.id, 'disconnect', disconnectedAt);
    expect(gone.body).toMatchObject({ state: 'disconnected', activated_at: activatedAt, disconnected_at: disconnectedAt, version: 3 });
    expect((await transition(asset.id, 'disconnect', disconnectedAt)).body.version).toBe(3);

    const audit = await req('GET', `/v1/audit_log?resource_id=${asset.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(['asset.activated', 'asset.disconnected', 'asset.ordered']);
    const events = await req('GET', `/v1/domain_events?resource_id=${asset.id}&type=asset.disconnected`);
    expect(events.body.data[0].data).toEqual(gone.body);

    // A late retry of the activation, after the disconnection, answers with the asset unchanged.
    expect((await transition(asset.id, 'activate', activatedAt)).body).toEqual(gone.body);
    for (const [name, at] of [['activate', after(asset, 1500)], ['cancel', undefined], ['disconnect', after(asset, 3000)]] as const) {
      await expectRejected(ctx.db, () => transition(asset.id, name, at), 409, 'invalid_asset_transition');
    }
  });

  it('takes transitions without a body, and refuses an activation before the order', async () => {
    const asset = (await expectCreated(order('NYC1-XC-6'))) as { id: string; ordered_at: string };
    const early = new Date(Date.parse(asset.ordered_at) - 86_400_000).toISOString();
    await expectRejected(ctx.db, () => transition(asset.id, 'activate', early), 409, 'invalid_asset_transition');
    const bare = await ctx.api.request('POST', `/v1/assets/${asset.id}/activate`, { key: ctx.tenant.adminKey });
    expect(bare.status).toBe(200);
    expect(bare.body.state).toBe('active');
    // Repeated without a time: unchanged.
    const again = await ctx.api.request('POST', `/v1/assets/${asset.id}/activate`, { key: ctx.tenant.adminKey });
    expect(again.body).toEqual(bare.body);
  });

  it('records an older asset with its order time, so it can be activated back then', async () => {
    const orderedAt = '2026-01-05T09:00:00.000Z';
    const asset = await expectCreated(order('NYC1-XC-7', { ordered_at: orderedAt }));
    const res = await transition(asset.id, 'activate', '2026-01-10T00:00:00.000Z');
    expect(res.body).toMatchObject({ state: 'active', ordered_at: orderedAt, activated_at: '2026-01-10T00:00:00.000Z' });
  });

  it('activates at the time of the call when no time is given', async () => {
    const asset = await expectCreated(order('NYC1-XC-2'));
    const before = Date.now();
    const res = await transition(asset.id, 'activate');
    expect(res.status).toBe(200);
    expect(Math.abs(Date.parse(res.body.activated_at) - before)).toBeLessThan(60_000);
  });

  it('refuses invalid transitions with 409 invalid_asset_transition, changing nothing', async () => {
    const asset = (await expectCreated(order('NYC1-XC-3'))) as { id: string; ordered_at: string };
    // Disconnecting what was never activated.
    await expectRejected(ctx.db, () => transition(asset.id, 'disconnect', after(asset, 1000)), 409, 'invalid_asset_transition');
    const activatedAt = after(asset, 5000);
    expect((await transition(asset.id, 'activate', activatedAt)).status).toBe(200);
    // Activating again at another time.
    await expectRejected(ctx.db, () => transition(asset.id, 'activate', after(asset, 6000)), 409, 'invalid_asset_transition');
    // Without a time, a repeated activation is a retry: unchanged.
    expect((await transition(asset.id, 'activate')).body).toMatchObject({ activated_at: activatedAt, version: 2 });
    // Disconnecting before the activation.
    await expectRejected(ctx.db, () => transition(asset.id, 'disconnect', after(asset, 4999)), 409, 'invalid_asset_transition');
    // Cancelling an active asset.
    await expectRejected(ctx.db, () => transition(asset.id, 'cancel'), 409, 'invalid_asset_transition');
    expect((await req('GET', `/v1/assets/${asset.id}`)).body).toMatchObject({ state: 'active', activated_at: activatedAt, version: 2 });
    // Disconnecting at the activation instant is allowed (zero billed time).
    expect((await transition(asset.id, 'disconnect', activatedAt)).body).toMatchObject({ state: 'disconnected', disconnected_at: activatedAt });
  });

  it('refuses a time more than 5 minutes ahead (400 naming at), accepts a little clock drift', async () => {
    const asset = await expectCreated(order('NYC1-XC-4'));
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const res = await expectRejected(ctx.db, () => transition(asset.id, 'activate', future), 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'at', code: 'in_future' })]);
    const malformed = await expectRejected(ctx.db, () => transition(asset.id, 'activate', 'now'), 400, 'validation_failed');
    expect(fieldErrors(malformed)).toEqual(['at invalid_format']);
    const drift = new Date(Date.now() + 60_000).toISOString();
    expect((await transition(asset.id, 'activate', drift)).body).toMatchObject({ state: 'active', activated_at: drift });
    const farDisconnect = new Date(Date.now() + 10 * 60_000).toISOString();
    await expectRejected(ctx.db, () => transition(asset.id, 'disconnect', farDisconnect), 400, 'validation_failed');
  });

  it('cancels an ordered asset once; a cancelled asset cannot be activated', async () => {
    const asset = (await expectCreated(order('NYC1-XC-5'))) as { id: string; ordered_at: string };
    const res = await transition(asset.id, 'cancel');
    expect(res.body).toMatchObject({ state: 'cancelled', activated_at: null, version: 2 });
    expect((await transition(asset.id, 'cancel')).body.version).toBe(2);
    await expectRejected(ctx.db, () => transition(asset.id, 'activate', after(asset, 1000)), 409, 'invalid_asset_transition');
    await expectRejected(ctx.db, () => transition(asset.id, 'disconnect'), 409, 'invalid_asset_transition');
  });

  it('answers 404 for an unknown asset', async () => {
    await expectRejected(ctx.db, () => transition('01900000-0000-7000-8000-000000000000', 'activate'), 404, 'not_found');
  });
});

describe('listing assets', () => {
  it('filters by account, state and provider asset id', async () => {
    const all = (await req('GET', '/v1/assets?limit=100')).body.data as Array<{ account_id: string; state: string; provider_asset_id: string }>;
    expect(all.length).toBeGreaterThan(5);
    const ids = (res: TestResponse) => res.body.data.map((a: { provider_asset_id: string }) => a.provider_asset_id).sort();

    expect(ids(await req('GET', `/v1/assets?account_id=${gbp}`))).toEqual(['LON1-CAB-0001']);
    expect(ids(await req('GET', `/v1/assets?account_id=${otherUsd}`))).toEqual([]);
    expect(ids(await req('GET', '/v1/assets?state=cancelled'))).toEqual(['NYC1-XC-5']);
    expect(ids(await req('GET', '/v1/assets?state=disconnected&limit=100'))).toEqual(['NYC1-XC-1', 'NYC1-XC-3']);
    expect(ids(await req('GET', '/v1/assets?provider_asset_id=NYC1-CAB-0413'))).toEqual(['NYC1-CAB-0413']);
    expect(ids(await req('GET', `/v1/assets?account_id=${usd}&state=active&limit=100`))).toEqual(['NYC1-XC-2', 'NYC1-XC-4', 'NYC1-XC-6', 'NYC1-XC-7']);
    expect(ids(await req('GET', `/v1/assets?account_id=${gbp}&state=active`))).toEqual([]);
    const expected = all.filter((a) => a.account_id === usd && a.state === 'ordered').map((a) => a.provider_asset_id).sort();
    expect(ids(await req('GET', `/v1/assets?account_id=${usd}&state=ordered&limit=100`))).toEqual(expected);

    const bad = await req('GET', '/v1/assets?state=retired&account_id=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { in: string; field: string }) => `${e.in}:${e.field}`).sort()).toEqual(['query:account_id', 'query:state']);
  });
});
