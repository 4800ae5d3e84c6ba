import { Decimal } from '../../domain/money/decimal';
import { bindTenant, inTenantTransaction } from '../../db/tenant-transaction';
import { RackrateError } from '../../lib/errors';
import { createTaxRateSchema } from '../../services/invoicing/tax-rate-schemas';
import { createTaxRate } from '../../services/invoicing/tax-rates';
import { registerTaxProvider, taxProviderFor, type TaxProvider } from '../../services/invoicing/tax-provider';
import { fieldErrors, requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { createTestKey, createTestTenant } from '../support/tenants';

/** /v1/tax_rates: create, read, list, rename or end; overlaps refused (also under concurrency); bad input names its fields and changes nothing. */
const ctx = useApiTest('tax-rates');
const req = requester(ctx);

/** Everything a refused request must leave as it was: the rates, their versions, the audit log and the outbox. */
async function footprint(): Promise<string> {
  return ctx.db.asSuperuser(async (c) => {
    const rows = await c.query(`SELECT
      (SELECT json_agg(t ORDER BY id) FROM tax_rates t) AS rates,
      (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM outbox_events) AS events`);
    return JSON.stringify(rows.rows[0]);
  });
}

async function expectUnchanged(send: () => ReturnType<typeof req>, status: number, code: string) {
  const before = await footprint();
  const res = await send();
  if (res.status !== status || res.body?.code !== code) throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await footprint()).toEqual(before);
  return res;
}

const Y2027 = '2027-01-01T00:00:00.000Z';
const Y2028 = '2028-01-01T00:00:00.000Z';

describe('creating', () => {
  it('a country rate with defaults: exclusive, from now, open-ended; audited and announced', async () => {
    const before = Date.now();
    const res = await req('POST', '/v1/tax_rates', { name: 'VAT', country: 'GB', percentage: '20.00', metadata: { hmrc: 'standard' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/tax_rates/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'tax_rate', name: 'VAT', country: 'GB', region: null, tax_code: null, percentage: '20', inclusive: false,
      valid_to: null, description: null, metadata: { hmrc: 'standard' }, version: 1,
    });
    expect(Date.parse(res.body.valid_from)).toBeGreaterThanOrEqual(before - 1000);
    const audit = await req('GET', `/v1/audit_log?resource_id=${res.body.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['tax_rate.created']);
    const events = await req('GET', `/v1/domain_events?resource_id=${res.body.id}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([['tax_rate.created', res.body]]);
  });

  it('a regional, tax-code, inclusive rate with a validity period', async () => {
    const res = await req('POST', '/v1/tax_rates', {
      name: 'PST', country: 'CA', region: 'BC', tax_code: 'software', percentage: '7.0000', inclusive: true,
      valid_from: Y2027, valid_to: Y2028, description: 'BC PST on software',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ region: 'BC', tax_code: 'software', percentage: '7', inclusive: true, valid_from: Y2027, valid_to: Y2028 });
  });

  it('names every bad field at once and writes nothing', async () => {
    const res = await expectUnchanged(
      () => req('POST', '/v1/tax_rates', { name: '', country: 'XX', region: ' BC', percentage: '12.34567', inclusive: 'yes', valid_from: Y2028, valid_to: Y2027, colour: 'red' }),
      400, 'validation_failed',
    );
    expect(fieldErrors(res).sort()).toEqual([
      'colour unknown_field', 'country invalid_value', 'inclusive invalid_type', 'name too_small', 'percentage invalid_format', 'region invalid_format', 'valid_to invalid',
    ]);
    for (const [percentage, message] of [['100.5', 'between 0 and 100'], ['-1', 'at most 4 decimals'], [20, 'a string'], ['1e2', 'at most 4 decimals']] as const) {
      const bad = await expectUnchanged(() => req('POST', '/v1/tax_rates', { name: 'X', country: 'FR', percentage }), 400, 'validation_failed');
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'percentage', message: expect.stringContaining(message) })]);
    }
    const missing = await expectUnchanged(() => req('POST', '/v1/tax_rates', {}), 400, 'validation_failed');
    expect(fieldErrors(missing).sort()).toEqual(['country required', 'name required', 'percentage required']);
  });

  it('refuses an end before the default start (now)', async () => {
    const res = await expectUnchanged(() => req('POST', '/v1/tax_rates', { name: 'X', country: 'FR', percentage: '20', valid_to: '2020-01-01T00:00:00Z' }), 400, 'validation_failed');
    expect(fieldErrors(res)).toEqual(['valid_to before_start']);
  });
});

describe('overlaps', () => {
  it('refuses a rate of the same place and tax code in overlapping time, naming the other rate', async () => {
    const first = (await req('POST', '/v1/tax_rates', { name: 'MwSt.', country: 'DE', percentage: '19', inclusive: true, valid_from: Y2027 })).body;
    const res = await expectUnchanged(() => req('POST', '/v1/tax_rates', { name: 'MwSt. neu', country: 'DE', percentage: '21', valid_from: Y2028 }), 409, 'tax_rate_overlap');
    expect(res.body.detail).toContain(first.id);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'valid_from', code: 'overlap' })]);
    // Another tax code or region is another rate.
    expect((await req('POST', '/v1/tax_rates', { name: 'Ermäßigt', country: 'DE', tax_code: 'books', percentage: '7', valid_from: Y2027 })).status).toBe(201);
    expect((await req('POST', '/v1/tax_rates', { name: 'Land', country: 'DE', region: 'BY', percentage: '1', valid_from: Y2027 })).status).toBe(201);
    // Regions compare case-insensitively.
    const byLower = await expectUnchanged(() => req('POST', '/v1/tax_rates', { name: 'Land', country: 'DE', region: 'by', percentage: '2', valid_from: Y2028 }), 409, 'tax_rate_overlap');
    expect(byLower.body.detail).toContain('DE-BY');
    // Ending the first rate makes room for its successor from that instant (ends are exclusive).
    expect((await req('PATCH', `/v1/tax_rates/${first.id}`, { valid_to: Y2028 })).body.valid_to).toBe(Y2028);
    expect((await req('POST', '/v1/tax_rates', { name: 'MwSt. neu', country: 'DE', percentage: '21', valid_from: Y2028 })).status).toBe(201);
  });

  it('lets exactly one of several concurrent creates of the same place win', async () => {
    const body = (n: number) => ({ name: `Race ${n}`, country: 'NL', percentage: '21', valid_from: Y2027 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => req('POST', '/v1/tax_rates', body(n))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.id;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.detail).toContain(winner);
    const rows = await ctx.db.asSuperuser((c) => c.query(`SELECT id FROM tax_rates WHERE country = 'NL'`));
    expect(rows.rows).toEqual([{ id: winner }]);
  });

  it('makes a create wait for a concurrent uncommitted one, then refuses it', async () => {
    // Forces the interleaving the HTTP race above may or may not hit: without the lock the second
    // create would not see the first (uncommitted) row, insert its own and commit.
    const ds = ctx.db.dataSource;
    const change = () => ({ tenantId: ctx.tenant.id, actor: { type: 'system' as const, id: 'test', label: 'test' }, requestId: null, now: new Date() });
    const input = createTaxRateSchema.parse({ name: 'BTW', country: 'BE', percentage: '21', valid_from: Y2027 });
    const first = ds.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await bindTenant(first.manager, ctx.tenant.id);
      const winner = await createTaxRate(first.manager, change(), input);
      let settled = false;
      const second = inTenantTransaction(ds, ctx.tenant.id, (tx) => createTaxRate(tx, change(), input)).then(
        (rate) => ({ ok: true as const, id: rate.id }),
        (error: unknown) => ({ ok: false as const, error }),
      ).finally(() => { settled = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await first.commitTransaction();
      const outcome = await second;
      expect(outcome.ok).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(RackrateError);
      expect((error as RackrateError).code).toBe('tax_rate_overlap');
      expect((error as RackrateError).message).toContain(winner.id);
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }
    const rows = await ctx.db.asSuperuser((c) => c.query(`SELECT count(*)::int AS n FROM tax_rates WHERE country = 'BE'`));
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  it('checks again when an end moves later or is removed', async () => {
    const early = (await req('POST', '/v1/tax_rates', { name: 'TVA', country: 'FR', percentage: '19.6', valid_from: '2012-01-01T00:00:00Z', valid_to: '2014-01-01T00:00:00Z' })).body;
    const late = (await req('POST', '/v1/tax_rates', { name: 'TVA', country: 'FR', percentage: '20', valid_from: '2014-01-01T00:00:00Z' })).body;
    const reopen = await expectUnchanged(() => req('PATCH', `/v1/tax_rates/${early.id}`, { valid_to: null }), 409, 'tax_rate_overlap');
    expect(reopen.body.detail).toContain(late.id);
    expect(reopen.body.errors).toEqual([expect.objectContaining({ field: 'valid_to', code: 'overlap' })]);
    await expectUnchanged(() => req('PATCH', `/v1/tax_rates/${early.id}`, { valid_to: '2014-01-01T00:00:00.001Z' }), 409, 'tax_rate_overlap');
    const shorter = await req('PATCH', `/v1/tax_rates/${early.id}`, { valid_to: '2013-06-01T00:00:00Z' });
    expect(shorter.body).toMatchObject({ valid_to: '2013-06-01T00:00:00.000Z', version: 2 });
  });
});

describe('reading and changing', () => {
  it('lists newest first with a cursor, by country and by the instant a rate is valid at', async () => {
    const mk = async (from: string, to?: string) =>
      (await req('POST', '/v1/tax_rates', { name: 'GST', country: 'AU', percentage: '10', valid_from: from, ...(to ? { valid_to: to } : {}) })).body.id as string;
    const a = await mk('2000-07-01T00:00:00Z', '2010-01-01T00:00:00Z');
    const b = await mk('2010-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
    const c = await mk('2020-01-01T00:00:00Z');
    const first = await req('GET', '/v1/tax_rates?country=AU&limit=2');
    expect(first.body.data.map((r: { id: string }) => r.id)).toEqual([c, b]);
    expect(first.body.has_more).toBe(true);
    const second = await req('GET', `/v1/tax_rates?country=AU&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((r: { id: string }) => r.id)).toEqual([a]);
    const at = async (instant: string) => (await req('GET', `/v1/tax_rates?country=AU&active_at=${instant}`)).body.data.map((r: { id: string }) => r.id);
    expect(await at('2010-01-01T00:00:00Z')).toEqual([b]);
    expect(await at('2009-12-31T23:59:59.999Z')).toEqual([a]);
    expect(await at('1999-01-01T00:00:00Z')).toEqual([]);
    const bad = await req('GET', '/v1/tax_rates?country=Australia&active_at=yesterday&colour=red');
    expect(fieldErrors(bad).sort()).toEqual(['active_at invalid_format', 'colour unknown_field', 'country invalid_value']);
  });

  it('renames, describes and tags; a no-op writes nothing', async () => {
    const rate = (await req('POST', '/v1/tax_rates', { name: 'IVA', country: 'ES', percentage: '21', valid_from: Y2027 })).body;
    const res = await req('PATCH', `/v1/tax_rates/${rate.id}`, { name: 'IVA general', description: 'Tipo general', metadata: { aeat: '01' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'IVA general', description: 'Tipo general', metadata: { aeat: '01' }, percentage: '21', version: 2 });
    const again = await req('PATCH', `/v1/tax_rates/${rate.id}`, { name: 'IVA general' });
    expect(again.body.version).toBe(2);
    const cleared = await req('PATCH', `/v1/tax_rates/${rate.id}`, { description: null });
    expect(cleared.body).toMatchObject({ description: null, version: 3 });
    expect((await req('GET', `/v1/tax_rates/${rate.id}`)).body).toEqual(cleared.body);
    const audit = await req('GET', `/v1/audit_log?resource_id=${rate.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['tax_rate.updated', 'tax_rate.updated', 'tax_rate.created']);
  });

  it('refuses changes to what a rate charges, naming each field, and to an end before the start', async () => {
    const rate = (await req('POST', '/v1/tax_rates', { name: 'IVA', country: 'PT', percentage: '23', valid_from: Y2027 })).body;
    const res = await expectUnchanged(
      () => req('PATCH', `/v1/tax_rates/${rate.id}`, { name: 'New name', percentage: '22', inclusive: true, country: 'ES', region: 'X', tax_code: 'y', valid_from: Y2028 }),
      400, 'validation_failed',
    );
    expect(fieldErrors(res).sort()).toEqual(['country invalid', 'inclusive invalid', 'percentage invalid', 'region invalid', 'tax_code invalid', 'valid_from invalid']);
    expect(res.body.errors[0].message).toContain('cannot be changed');
    const early = await expectUnchanged(() => req('PATCH', `/v1/tax_rates/${rate.id}`, { valid_to: Y2027 }), 400, 'validation_failed');
    expect(fieldErrors(early)).toEqual(['valid_to before_start']);
    await expectUnchanged(() => req('PATCH', '/v1/tax_rates/01900000-0000-7000-8000-000000000000', { name: 'x' }), 404, 'not_found');
  });

  it('needs the admin scope to write and the read scope to read', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const write = await ctx.api.request('POST', '/v1/tax_rates', { key: reader, body: { name: 'X', country: 'IT', percentage: '22' } });
    expect(write.status).toBe(403);
    expect((await ctx.api.request('GET', '/v1/tax_rates', { key: reader })).status).toBe(200);
  });
});

describe('tenants', () => {
  it("another tenant neither sees nor changes these rates, and its own rates do not overlap them", async () => {
    const mine = (await req('POST', '/v1/tax_rates', { name: 'MOMS', country: 'SE', percentage: '25', valid_from: Y2027 })).body;
    const other = await createTestTenant(ctx.db.dataSource, 'tax-rates-other');
    const as = (method: string, path: string, body?: unknown) => ctx.api.request(method, path, { key: other.adminKey, ...(body ? { body } : {}) });
    expect((await as('GET', `/v1/tax_rates/${mine.id}`)).status).toBe(404);
    const before = await footprint();
    expect((await as('PATCH', `/v1/tax_rates/${mine.id}`, { name: 'Stolen' })).status).toBe(404);
    expect(await footprint()).toEqual(before);
    expect((await as('GET', '/v1/tax_rates?country=SE')).body.data).toEqual([]);
    const theirs = await as('POST', '/v1/tax_rates', { name: 'MOMS', country: 'SE', percentage: '25', valid_from: Y2027 });
    expect(theirs.status).toBe(201);
    expect((await req('GET', '/v1/tax_rates?country=SE')).body.data.map((r: { id: string }) => r.id)).toEqual([mine.id]);
  });
});

describe('the rate-table tax provider', () => {
  it("taxes with the tenant's rates of the place valid at the request's instant", async () => {
    await req('POST', '/v1/tax_rates', { name: 'GST', country: 'CA', percentage: '5', valid_from: Y2027 });
    await req('POST', '/v1/tax_rates', { name: 'PST', country: 'CA', region: 'BC', percentage: '7', valid_from: Y2027 });
    const provider = taxProviderFor('rate_table');
    const request = {
      currency: 'CAD', at: new Date('2027-06-01T00:00:00Z'), place: { country: 'CA', region: 'bc' }, exemption: 'none' as const, customerTaxIds: [],
      lines: [{ key: 'port', amount: new Decimal('1000.00'), taxCode: null }, { key: 'sw', amount: new Decimal('100.00'), taxCode: 'software' }],
    };
    const result = await inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => provider.calculate(tx, ctx.tenant.id, request));
    expect(result.summary.map((s) => [s.name, s.jurisdiction, s.inclusive, s.amount])).toEqual([
      ['GST', 'CA', false, '55.00'],
      ['PST', 'CA-BC', false, '70.00'],
      // The software PST (7 % inclusive, 2027 only) of the first test: 100 × 7/107.
      ['PST', 'CA-BC', true, '6.54'],
    ]);
    expect(result.taxTotal.toFixed(2)).toBe('125.00');
    // Before the rates start there is nothing to apply.
    const earlier = await inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => provider.calculate(tx, ctx.tenant.id, { ...request, at: new Date('2026-06-01T00:00:00Z') }));
    expect(earlier.summary).toEqual([]);
  });

  it('refuses an unknown provider name; a registered one is found by name', () => {
    expect(() => taxProviderFor('avalara')).toThrow(/Unknown tax provider "avalara".*rate_table/);
    const fake: TaxProvider = { name: 'fake-engine', calculate: async () => ({ lines: new Map(), summary: [], notes: [], taxTotal: new Decimal(0), taxIncluded: new Decimal(0) }) };
    registerTaxProvider(fake);
    expect(taxProviderFor('fake-engine')).toBe(fake);
  });
});
