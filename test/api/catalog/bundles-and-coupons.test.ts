import { useApiTest } from '../../support/http';
import {
  addonDefinition,
  catalogFootprint,
  colocationDefinition,
  expectCreated,
  expectRejected,
  fieldErrors,
  requester,
  seedCatalog,
} from '../../support/catalog-fixtures';

/** Bundles (plan + add-ons), coupons and their promotion codes. */
const ctx = useApiTest('catalog-bundles-coupons');
const req = requester(ctx);

beforeAll(async () => {
  await seedCatalog(ctx.api, ctx.tenant.adminKey);
  await expectCreated(req('POST', '/v1/plans', { code: 'colo-premium', name: 'Colocation premium', definition: colocationDefinition({ trial_days: 30 }) }));
  // Add-ons: one for colo-standard only, one for premium only, one for any plan.
  await expectCreated(req('POST', '/v1/plans', { code: 'xc-standard', kind: 'addon', name: 'Cross-connect', definition: addonDefinition(['colo-standard']) }));
  await expectCreated(req('POST', '/v1/plans', { code: 'xc-premium', kind: 'addon', name: 'Premium cross-connect', definition: addonDefinition(['colo-premium']) }));
  await expectCreated(req('POST', '/v1/plans', { code: 'remote-hands', kind: 'addon', name: 'Remote hands', definition: addonDefinition() }));
});

describe('bundles', () => {
  let bundleId: string;

  it('creates a bundle of a plan and add-ons with a percent discount, normalised', async () => {
    const res = await req('POST', '/v1/bundles', {
      code: 'starter-cage',
      name: 'Starter cage',
      items: { plan: 'colo-standard', addons: [{ addon: 'xc-standard', quantity: 2 }, { addon: 'remote-hands' }] },
      discount: { percent_off: '12.50' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/bundles/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'bundle',
      code: 'starter-cage',
      items: { plan: 'colo-standard', addons: [{ addon: 'xc-standard', quantity: 2 }, { addon: 'remote-hands', quantity: 1 }] },
      discount: { percent_off: '12.5' },
      status: 'active',
      version: 1,
    });
    bundleId = res.body.id;
    expect((await req('GET', `/v1/bundles/${bundleId}`)).body).toEqual(res.body);
    expect((await req('GET', '/v1/bundles')).body.data.map((b: { id: string }) => b.id)).toEqual([bundleId]);
  });

  it('a bundle without add-ons or discount is a plan alone', async () => {
    const res = await req('POST', '/v1/bundles', { code: 'plain', name: 'Plain', items: { plan: 'colo-premium' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ items: { plan: 'colo-premium', addons: [] }, discount: null });
  });

  it('refuses an add-on that does not apply to the plan (422 addon_not_for_plan)', async () => {
    const res = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/bundles', { code: 'mismatch', name: 'Mismatch', items: { plan: 'colo-standard', addons: [{ addon: 'remote-hands' }, { addon: 'xc-premium' }] } }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(res)).toEqual(['items.addons[1].addon addon_not_for_plan']);
  });

  it('refuses unknown plans and add-ons, and a plan and an add-on in each other\'s place, all at once', async () => {
    const unknown = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/bundles', { code: 'ghost', name: 'Ghost', items: { plan: 'no-such-plan', addons: [{ addon: 'no-such-addon' }, { addon: 'colo-premium' }] } }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(unknown)).toEqual(['items.plan unknown_plan', 'items.addons[0].addon unknown_addon', 'items.addons[1].addon unknown_addon']);
    const addonAsPlan = await expectRejected(ctx.db, () => req('POST', '/v1/bundles', { code: 'ghost', name: 'Ghost', items: { plan: 'remote-hands' } }), 422, 'invalid_catalog');
    expect(fieldErrors(addonAsPlan)).toEqual(['items.plan unknown_plan']);
  });

  it('refuses a repeated add-on, a discount over 100 and a zero quantity, all at once (400 with paths)', async () => {
    const res = await expectRejected(
      ctx.db,
      () =>
        req('POST', '/v1/bundles', {
          code: 'twice',
          name: 'Twice',
          items: { plan: 'colo-standard', addons: [{ addon: 'remote-hands' }, { addon: 'remote-hands', quantity: 0 }] },
          discount: { percent_off: '120' },
        }),
      400,
      'validation_failed',
    );
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['discount.percent_off', 'items.addons', 'items.addons[1].quantity']);
    const repeated = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/bundles', { code: 'twice', name: 'Twice', items: { plan: 'colo-standard', addons: [{ addon: 'remote-hands' }, { addon: 'remote-hands', quantity: 3 }] } }),
      400,
      'validation_failed',
    );
    expect(fieldErrors(repeated)).toEqual(['items.addons invalid']);
  });

  it('refuses a second bundle with the same code', async () => {
    await expectRejected(ctx.db, () => req('POST', '/v1/bundles', { code: 'starter-cage', name: 'Again', items: { plan: 'colo-standard' } }), 409, 'code_taken');
  });

  it('updates items and discount, checking the new items against the catalogue', async () => {
    const bad = await expectRejected(
      ctx.db,
      () => req('PATCH', `/v1/bundles/${bundleId}`, { items: { plan: 'colo-premium', addons: [{ addon: 'xc-standard' }] } }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(bad)).toEqual(['items.addons[0].addon addon_not_for_plan']);

    const res = await req('PATCH', `/v1/bundles/${bundleId}`, { items: { plan: 'colo-premium', addons: [{ addon: 'xc-premium', quantity: 4 }] }, discount: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: { plan: 'colo-premium', addons: [{ addon: 'xc-premium', quantity: 4 }] }, discount: null, version: 2 });
    const before = await catalogFootprint(ctx.db);
    const same = await req('PATCH', `/v1/bundles/${bundleId}`, { items: { plan: 'colo-premium', addons: [{ addon: 'xc-premium', quantity: 4 }] } });
    expect(same.body.version).toBe(2);
    expect(await catalogFootprint(ctx.db)).toEqual(before);
    const audit = await req('GET', `/v1/audit_log?resource_id=${bundleId}`);
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(['bundle.created', 'bundle.updated']);
  });

  it('refuses a bundle on an archived plan, and changes to an archived bundle', async () => {
    const temp = await expectCreated(req('POST', '/v1/plans', { code: 'temp-plan', name: 'Temp', definition: colocationDefinition() }));
    await req('POST', `/v1/plans/${temp.id}/archive`);
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/bundles', { code: 'temp', name: 'Temp', items: { plan: 'temp-plan' } }), 422, 'invalid_catalog');
    expect(fieldErrors(res)).toEqual(['items.plan archived_plan']);

    expect((await req('POST', `/v1/bundles/${bundleId}/archive`)).body).toMatchObject({ status: 'archived', version: 3 });
    await expectRejected(ctx.db, () => req('PATCH', `/v1/bundles/${bundleId}`, { name: 'Revived' }), 409, 'catalog_item_archived');
    expect((await req('GET', '/v1/bundles?status=archived')).body.data.map((b: { id: string }) => b.id)).toEqual([bundleId]);
  });
});

describe('coupons', () => {
  const coupon = (code: string, extra: Record<string, unknown>) => ({ code, name: code, discount: { type: 'percent', percent_off: '10' }, duration: 'once', ...extra });

  it('creates a percent coupon for N periods, limited to a plan and a product', async () => {
    const res = await req(
      'POST',
      '/v1/coupons',
      coupon('half-off-q1', {
        discount: { type: 'percent', percent_off: '50.00' },
        duration: 'repeating',
        duration_periods: 3,
        applies_to: { plans: ['colo-standard'], products: ['cabinet'] },
        max_redemptions: 10,
        redeem_by: '2027-03-31T23:59:59.000Z',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'coupon',
      discount: { type: 'percent', percent_off: '50' },
      duration: 'repeating',
      duration_periods: 3,
      applies_to: { plans: ['colo-standard'], products: ['cabinet'] },
      max_redemptions: 10,
      redeem_by: '2027-03-31T23:59:59.000Z',
      times_redeemed: 0,
      status: 'active',
      version: 1,
    });
    expect((await req('GET', `/v1/coupons/${res.body.id}`)).body).toEqual(res.body);
  });

  it('creates an amount coupon with an amount per currency, forever, for everything', async () => {
    const res = await req('POST', '/v1/coupons', coupon('loyalty', { discount: { type: 'amount', amount_off: { USD: '100.00', EUR: '90.5' } }, duration: 'forever' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ discount: { type: 'amount', amount_off: { USD: '100', EUR: '90.5' } }, duration: 'forever', duration_periods: null, applies_to: {}, max_redemptions: null });
  });

  it.each([
    ['repeating without duration_periods', { duration: 'repeating' }, ['duration_periods']],
    ['once with duration_periods', { duration: 'once', duration_periods: 2 }, ['duration_periods']],
    ['forever with duration_periods', { duration: 'forever', duration_periods: 2 }, ['duration_periods']],
    ['an unknown duration', { duration: 'sometimes' }, ['duration']],
    ['a zero percent', { discount: { type: 'percent', percent_off: '0' } }, ['discount.percent_off']],
    ['over 100 percent', { discount: { type: 'percent', percent_off: '100.01' } }, ['discount.percent_off']],
    ['an amount in no currency', { discount: { type: 'amount', amount_off: {} } }, ['discount.amount_off']],
    ['a negative amount', { discount: { type: 'amount', amount_off: { USD: '-5' } } }, ['discount.amount_off.USD']],
    ['an unknown currency', { discount: { type: 'amount', amount_off: { usd: '5' } } }, ['discount.amount_off.usd']],
    ['percent_off on an amount coupon', { discount: { type: 'amount', percent_off: '5', amount_off: { USD: '5' } } }, ['discount.percent_off']],
    ['an unknown discount type', { discount: { type: 'bogo' } }, ['discount.type']],
  ])('refuses %s (400 with paths)', async (_label, extra, fields) => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/coupons', coupon('bad-coupon', extra)), 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
  });

  it('refuses applies_to naming unknown plans or products (422 by path)', async () => {
    const res = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/coupons', coupon('scoped', { applies_to: { plans: ['colo-standard', 'no-plan'], products: ['no-product', 'cabinet'] } })),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(res)).toEqual(['applies_to.plans[1] unknown_plan', 'applies_to.products[0] unknown_product']);
  });

  it('refuses a second coupon with the same code', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/coupons', coupon('loyalty', {})), 409, 'code_taken');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'code' })]);
  });

  it('updates max_redemptions and redeem_by, refuses changing the discount, and archives', async () => {
    const created = await expectCreated(req('POST', '/v1/coupons', coupon('spring', { max_redemptions: 5 })));
    const res = await req('PATCH', `/v1/coupons/${created.id}`, { max_redemptions: 50, redeem_by: '2027-06-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ max_redemptions: 50, redeem_by: '2027-06-01T00:00:00.000Z', version: 2 });
    const cleared = await req('PATCH', `/v1/coupons/${created.id}`, { max_redemptions: null });
    expect(cleared.body).toMatchObject({ max_redemptions: null, version: 3 });

    const immutable = await expectRejected(
      ctx.db,
      () => req('PATCH', `/v1/coupons/${created.id}`, { discount: { type: 'percent', percent_off: '90' }, duration: 'forever', max_redemptions: 0 }),
      400,
      'validation_failed',
    );
    expect(fieldErrors(immutable).sort()).toEqual(['discount unknown_field', 'duration unknown_field', 'max_redemptions too_small']);

    const archivedRes = await req('POST', `/v1/coupons/${created.id}/archive`);
    expect(archivedRes.body).toMatchObject({ status: 'archived', version: 4 });
    await expectRejected(ctx.db, () => req('PATCH', `/v1/coupons/${created.id}`, { max_redemptions: 60 }), 409, 'catalog_item_archived');
    const audit = await req('GET', `/v1/audit_log?resource_id=${created.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(['coupon.archived', 'coupon.created', 'coupon.updated', 'coupon.updated']);
    const events = await req('GET', `/v1/domain_events?resource_id=${created.id}&type=coupon.archived`);
    expect(events.body.data[0].data).toMatchObject({ id: created.id, status: 'archived' });
  });
});

describe('promotion codes', () => {
  let promoId: string;
  let couponId: string;

  beforeAll(async () => {
    couponId = (await expectCreated(req('POST', '/v1/coupons', { code: 'welcome', name: 'Welcome', discount: { type: 'percent', percent_off: '15' }, duration: 'once' }))).id;
  });

  it('creates a promotion code for a coupon given by code', async () => {
    const res = await req('POST', '/v1/promotion_codes', { code: 'Welcome2027', coupon: 'welcome', max_redemptions: 100, expires_at: '2027-12-31T00:00:00Z', first_time_only: true });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/promotion_codes/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'promotion_code', code: 'Welcome2027', coupon_id: couponId, max_redemptions: 100,
      expires_at: '2027-12-31T00:00:00.000Z', first_time_only: true, active: true, times_redeemed: 0, version: 1,
    });
    promoId = res.body.id;
    expect((await req('GET', `/v1/promotion_codes/${promoId}`)).body).toEqual(res.body);
    const other = await req('POST', '/v1/promotion_codes', { code: 'PARTNER-10', coupon: 'welcome' });
    expect(other.body).toMatchObject({ first_time_only: false, max_redemptions: null, expires_at: null });
  });

  it('keeps codes unique ignoring case (409 code_taken)', async () => {
    for (const code of ['Welcome2027', 'WELCOME2027', 'welcome2027']) {
      const res = await expectRejected(ctx.db, () => req('POST', '/v1/promotion_codes', { code, coupon: 'loyalty' }), 409, 'code_taken');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'code', code: 'taken' })]);
    }
  });

  it('refuses an unknown or archived coupon (422) and a malformed code (400)', async () => {
    const unknown = await expectRejected(ctx.db, () => req('POST', '/v1/promotion_codes', { code: 'NOPE1', coupon: 'no-such-coupon' }), 422, 'invalid_catalog');
    expect(fieldErrors(unknown)).toEqual(['coupon unknown_coupon']);
    const archived = await expectRejected(ctx.db, () => req('POST', '/v1/promotion_codes', { code: 'SPRING1', coupon: 'spring' }), 422, 'invalid_catalog');
    expect(fieldErrors(archived)).toEqual(['coupon archived_coupon']);
    const malformed = await expectRejected(ctx.db, () => req('POST', '/v1/promotion_codes', { code: 'no spaces!', coupon: 'welcome' }), 400, 'validation_failed');
    expect(fieldErrors(malformed)).toEqual(['code invalid_format']);
  });

  it('lists by code ignoring case, and by coupon', async () => {
    const byCode = await req('GET', '/v1/promotion_codes?code=wElCoMe2027');
    expect(byCode.body.data.map((p: { id: string }) => p.id)).toEqual([promoId]);
    expect((await req('GET', '/v1/promotion_codes?code=welcome')).body.data).toEqual([]);
    const byCoupon = await req('GET', `/v1/promotion_codes?coupon_id=${couponId}`);
    expect(byCoupon.body.data.map((p: { code: string }) => p.code).sort()).toEqual(['PARTNER-10', 'Welcome2027']);
  });

  it('deactivates a code once; doing it again changes nothing', async () => {
    const res = await req('POST', `/v1/promotion_codes/${promoId}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, version: 2 });
    const before = await catalogFootprint(ctx.db);
    expect((await req('POST', `/v1/promotion_codes/${promoId}/deactivate`)).body).toMatchObject({ active: false, version: 2 });
    expect(await catalogFootprint(ctx.db)).toEqual(before);
    const audit = await req('GET', `/v1/audit_log?resource_id=${promoId}`);
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(['promotion_code.created', 'promotion_code.deactivated']);
    // A deactivated code still holds its name.
    await expectRejected(ctx.db, () => req('POST', '/v1/promotion_codes', { code: 'WELCOME2027', coupon: 'welcome' }), 409, 'code_taken');
  });
});
