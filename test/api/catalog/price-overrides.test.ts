import { useApiTest } from '../../support/http';
import { colocationDefinition, catalogFootprint, expectCreated, expectRejected, fieldErrors, requester, seedCatalog } from '../../support/catalog-fixtures';

/**
 * Contract pricing: an account's own prices for a plan's charges, in the
 * account currency, with at most one override per account, plan and
 * currency at any time.
 */
const ctx = useApiTest('catalog-price-overrides');
const req = requester(ctx);

let planId: string;
let premiumId: string;
let usd: string;
let otherUsd: string;
let eur: string;
let gbp: string;

const TIERS = [{ up_to: '50000', unit_price: '0.040' }, { up_to: null, unit_price: '0.020' }];

/** A valid override for the USD account on colo-standard in 2027, with `extra` on top. */
function override(extra: Record<string, unknown> = {}) {
  return {
    account_id: usd,
    plan: 'colo-standard',
    currency: 'USD',
    charges: { transit: { price: { model: 'graduated', tiers: TIERS }, included_quantity: '5000' } },
    minimum_commitment: '15000.00',
    starts_at: '2027-01-01T00:00:00Z',
    ends_at: '2028-01-01T00:00:00Z',
    ...extra,
  };
}

beforeAll(async () => {
  ({ planId } = await seedCatalog(ctx.api, ctx.tenant.adminKey));
  premiumId = (await expectCreated(req('POST', '/v1/plans', { code: 'colo-premium', name: 'Premium', definition: colocationDefinition() }))).id;
  const account = async (name: string, currency: string) => (await expectCreated(req('POST', '/v1/accounts', { name, currency }))).id;
  usd = await account('Acme Streaming', 'USD');
  otherUsd = await account('Other Streaming', 'USD');
  eur = await account('Euro Hosting', 'EUR');
  gbp = await account('London Racks', 'GBP');
});

describe('creating', () => {
  let first: string;

  it('creates an override with a graduated price, an included quantity and a minimum commitment, normalised', async () => {
    const res = await req('POST', '/v1/price_overrides', override({ description: 'MSA 2027-014' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/price_overrides/${res.body.id}`);
    expect(res.body).toEqual({
      id: res.body.id,
      object: 'price_override',
      account_id: usd,
      plan_id: planId,
      currency: 'USD',
      charges: {
        transit: { price: { model: 'graduated', tiers: [{ up_to: '50000', unit_price: '0.04' }, { up_to: null, unit_price: '0.02' }] }, included_quantity: '5000' },
      },
      minimum_commitment: '15000',
      starts_at: '2027-01-01T00:00:00.000Z',
      ends_at: '2028-01-01T00:00:00.000Z',
      description: 'MSA 2027-014',
      created_at: res.body.created_at,
      updated_at: res.body.created_at,
      version: 1,
    });
    first = res.body.id;
    expect((await req('GET', `/v1/price_overrides/${first}`)).body).toEqual(res.body);
    const audit = await req('GET', `/v1/audit_log?resource_id=${first}`);
    expect(audit.body.data).toEqual([expect.objectContaining({ action: 'price_override.created', after: res.body })]);
    const events = await req('GET', `/v1/domain_events?resource_id=${first}`);
    expect(events.body.data).toEqual([expect.objectContaining({ type: 'price_override.created', data: res.body })]);
  });

  it('creates an override of only a minimum commitment, open-ended, for an EUR account', async () => {
    const res = await req('POST', '/v1/price_overrides', {
      account_id: eur, plan: 'colo-standard', currency: 'EUR', minimum_commitment: '1000', starts_at: '2027-01-01T00:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ charges: {}, minimum_commitment: '1000', ends_at: null, description: null });
  });

  it('refuses a currency other than the account\'s (422 not_account_currency)', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override({ currency: 'EUR' })), 422, 'invalid_catalog');
    expect(fieldErrors(res)).toEqual(['currency not_account_currency']);
  });

  it('refuses the account currency when the plan is not priced in it', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override({ account_id: gbp, currency: 'GBP' })), 422, 'invalid_catalog');
    expect(fieldErrors(res)).toEqual(['currency currency_not_in_plan']);
  });

  it('refuses an unknown charge key at charges.<key>, and a model the charge cannot use, all at once', async () => {
    const res = await expectRejected(
      ctx.db,
      () =>
        req('POST', '/v1/price_overrides', override({
          charges: {
            nope: { included_quantity: '1' },
            install: { price: { model: 'graduated', tiers: TIERS } },
            transit: { price: { model: 'percentile', commit_mbps: '100', commit_price: '1', burst_price: '2' } },
          },
        })),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(res)).toEqual([
      'charges.nope unknown_charge',
      'charges.install.price.model model_not_allowed',
      'charges.transit.price.model model_not_allowed',
    ]);
  });

  it('refuses a usage-only model on a recurring charge', async () => {
    const res = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/price_overrides', override({ charges: { cabinet: { price: { model: 'percentage', percent: '2.9' } } } })),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(res)).toEqual(['charges.cabinet.price.model model_not_allowed']);
  });

  it('refuses unknown and archived references', async () => {
    const unknown = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/price_overrides', override({ account_id: '01900000-0000-7000-8000-000000000000', plan: 'no-such-plan' })),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(unknown)).toEqual(['account_id unknown_account', 'plan unknown_plan']);

    const gone = await expectCreated(req('POST', '/v1/accounts', { name: 'Gone', currency: 'USD' }));
    expect((await req('POST', `/v1/accounts/${gone.id}/archive`)).status).toBe(200);
    const archived = await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override({ account_id: gone.id })), 422, 'invalid_catalog');
    expect(fieldErrors(archived)).toEqual(['account_id archived_account']);
  });

  it.each([
    ['an end before the start', { ends_at: '2026-12-31T00:00:00Z' }, ['ends_at']],
    ['an end equal to the start', { ends_at: '2027-01-01T00:00:00Z' }, ['ends_at']],
    ['nothing overridden', { charges: {}, minimum_commitment: undefined }, ['charges']],
    ['an empty charge override', { charges: { transit: {} } }, ['charges.transit']],
    ['a negative minimum commitment', { minimum_commitment: '-1' }, ['minimum_commitment']],
    ['unordered tiers', { charges: { transit: { price: { model: 'graduated', tiers: [{ up_to: '10', unit_price: '1' }, { up_to: '5', unit_price: '1' }, { up_to: null, unit_price: '1' }] } } } }, ['charges.transit.price.tiers[1].up_to']],
    ['a lower-case currency', { currency: 'usd' }, ['currency']],
  ])('refuses %s (400)', async (_label, extra, fields) => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override(extra)), 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
  });

  it('refuses an overlapping period for the same account, plan and currency (409), and accepts what does not overlap', async () => {
    for (const period of [
      { starts_at: '2027-06-01T00:00:00Z', ends_at: undefined },
      { starts_at: '2026-06-01T00:00:00Z', ends_at: '2027-01-01T00:00:01Z' },
      { starts_at: '2027-12-31T23:59:59Z', ends_at: '2028-06-01T00:00:00Z' },
      { starts_at: '2026-01-01T00:00:00Z', ends_at: undefined },
    ]) {
      const res = await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override(period)), 409, 'price_override_overlap');
      expect(res.body.detail).toContain(first);
    }
    // Touching ends are not overlaps (ends_at is exclusive); other plans and accounts are independent.
    expect((await req('POST', '/v1/price_overrides', override({ starts_at: '2028-01-01T00:00:00Z', ends_at: '2029-01-01T00:00:00Z' }))).status).toBe(201);
    expect((await req('POST', '/v1/price_overrides', override({ starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' }))).status).toBe(201);
    expect((await req('POST', '/v1/price_overrides', override({ plan: 'colo-premium' }))).body.plan_id).toBe(premiumId);
    expect((await req('POST', '/v1/price_overrides', override({ account_id: otherUsd }))).status).toBe(201);
  });

  it('lets exactly one of several simultaneous overlapping creations through', async () => {
    const account = await expectCreated(req('POST', '/v1/accounts', { name: 'Race', currency: 'USD' }));
    const periods = ['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01'].map((day) => override({ account_id: account.id, starts_at: `${day}T00:00:00Z`, ends_at: undefined }));
    const results = await Promise.all(periods.map((body) => req('POST', '/v1/price_overrides', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await req('GET', `/v1/price_overrides?account_id=${account.id}`)).body.data).toHaveLength(1);
  });

  it('lists overrides by account', async () => {
    const res = await req('GET', `/v1/price_overrides?account_id=${usd}&limit=100`);
    expect(res.body.data).toHaveLength(4);
    expect(res.body.data.every((o: { account_id: string }) => o.account_id === usd)).toBe(true);
    expect((await req('GET', `/v1/price_overrides?account_id=${gbp}`)).body.data).toEqual([]);
    expect((await req('GET', '/v1/price_overrides?limit=100')).body.data).toHaveLength(7);
  });

  describe('ending', () => {
    it('brings the end forward, which frees the rest of the period', async () => {
      const res = await req('POST', `/v1/price_overrides/${first}/end`, { ends_at: '2027-09-01T00:00:00Z' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ends_at: '2027-09-01T00:00:00.000Z', version: 2 });
      expect((await req('GET', `/v1/price_overrides/${first}`)).body.ends_at).toBe('2027-09-01T00:00:00.000Z');
      const audit = await req('GET', `/v1/audit_log?resource_id=${first}&action=price_override.ended`);
      expect(audit.body.data[0]).toMatchObject({ before: { ends_at: '2028-01-01T00:00:00.000Z' }, after: { ends_at: '2027-09-01T00:00:00.000Z' } });
      const gap = await req('POST', '/v1/price_overrides', override({ starts_at: '2027-09-01T00:00:00Z', ends_at: '2028-01-01T00:00:00Z' }));
      expect(gap.status).toBe(201);
    });

    it('ending at the same time again changes nothing', async () => {
      const before = await catalogFootprint(ctx.db);
      expect((await req('POST', `/v1/price_overrides/${first}/end`, { ends_at: '2027-09-01T00:00:00.000Z' })).body.version).toBe(2);
      expect(await catalogFootprint(ctx.db)).toEqual(before);
    });

    it('refuses to extend, or to end at or before the start (400 naming ends_at)', async () => {
      for (const [endsAt, code] of [
        ['2027-09-01T00:00:00.001Z', 'extends'],
        ['2029-01-01T00:00:00Z', 'extends'],
        ['2027-01-01T00:00:00Z', 'before_start'],
        ['2026-06-01T00:00:00Z', 'before_start'],
      ] as const) {
        const res = await expectRejected(ctx.db, () => req('POST', `/v1/price_overrides/${first}/end`, { ends_at: endsAt }), 400, 'validation_failed');
        expect(fieldErrors(res)).toEqual([`ends_at ${code}`]);
      }
      await expectRejected(ctx.db, () => req('POST', `/v1/price_overrides/${first}/end`, {}), 400, 'validation_failed');
      await expectRejected(ctx.db, () => req('POST', `/v1/price_overrides/${first}/end`, { ends_at: 'tomorrow' }), 400, 'validation_failed');
    });

    it('sets an end on an open-ended override, after which a later one fits', async () => {
      const open = await expectCreated(req('POST', '/v1/price_overrides', override({ starts_at: '2030-01-01T00:00:00Z', ends_at: undefined })));
      await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides', override({ starts_at: '2035-01-01T00:00:00Z', ends_at: undefined })), 409, 'price_override_overlap');
      const res = await req('POST', `/v1/price_overrides/${open.id}/end`, { ends_at: '2031-01-01T00:00:00Z' });
      expect(res.body).toMatchObject({ ends_at: '2031-01-01T00:00:00.000Z', version: 2 });
      expect((await req('POST', '/v1/price_overrides', override({ starts_at: '2035-01-01T00:00:00Z', ends_at: undefined }))).status).toBe(201);
    });

    it('answers 404 for an unknown override', async () => {
      await expectRejected(ctx.db, () => req('POST', '/v1/price_overrides/01900000-0000-7000-8000-000000000000/end', { ends_at: '2027-01-01T00:00:00Z' }), 404, 'not_found');
    });
  });
});
