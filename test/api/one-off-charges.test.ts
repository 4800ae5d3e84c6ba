import { draftCycleInvoice } from '../../services/invoicing/invoice-drafts';
import { invoiceSchema } from '../../services/invoicing/invoice-schemas';
import { expectCreated, fieldErrors, requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { systemChange, tenantTx } from '../support/invoicing-fixtures';
import { createTestKey } from '../support/tenants';

/**
 * /v1/one_off_charges: a charge (remote hands, a setup fee, hardware) waits
 * in the account's currency for the billing account's first cycle invoice
 * whose bill date is on or after its service date. Created, listed (pending
 * or invoiced), read, deleted while waiting, refused once invoiced. The
 * clock starts on 10 January 2031.
 */
const BASE = Date.parse('2031-01-10T09:00:00.000Z');
const started = Date.now();
const ctx = useApiTest('one-off-charges', { clock: { now: () => new Date(BASE + (Date.now() - started)) } });
const req = requester(ctx);
const MISSING = '01900000-0000-7000-8000-000000000000';
let accountId: string;

async function footprint(): Promise<Record<string, unknown>> {
  return ctx.db.asSuperuser(async (c) => {
    const out: Record<string, unknown> = {};
    for (const t of ['one_off_charges', 'invoices', 'invoice_lines', 'audit_log', 'outbox_events']) {
      out[t] = (await c.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS rows FROM ${t} x`)).rows[0];
    }
    return out;
  });
}

async function expectRefused(method: string, path: string, body: unknown, status: number, code: string, fields: string[] = []) {
  const before = await footprint();
  const res = await req(method, path, body);
  if (res.status !== status || res.body?.code !== code) throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (fields.length > 0) expect(fieldErrors(res).sort()).toEqual([...fields].sort());
  expect(await footprint()).toEqual(before);
  return res;
}

const charge = (body: Record<string, unknown>) => expectCreated(req('POST', '/v1/one_off_charges', { account_id: accountId, description: 'Remote hands', unit_price: '95.00', ...body }));
const ids = async (query: string) => (await req('GET', `/v1/one_off_charges?${query}`)).body.data.map((c: { id: string }) => c.id);
const draftCycle = (billingAccountId: string, billDate: string, periodStart: string) =>
  tenantTx(ctx.db.dataSource, ctx.tenant.id, (tx) =>
    draftCycleInvoice(tx, systemChange(ctx.tenant.id, new Date(billDate)), { billingAccountId, billDate: new Date(billDate), periodStart: new Date(periodStart) }),
  );

beforeAll(async () => {
  await expectCreated(req('POST', '/v1/products', { code: 'hardware', name: 'Hardware', tax_code: 'goods' }));
  accountId = (await expectCreated(req('POST', '/v1/accounts', { name: 'Harbor Networks', currency: 'EUR', timezone: 'UTC' }))).id;
});

describe('creating and reading', () => {
  it('rounds the amount to the currency, defaults quantity and service date, takes the product tax code; audited and announced', async () => {
    const res = await req('POST', '/v1/one_off_charges', {
      account_id: accountId, currency: 'EUR', description: 'SFP+ optics', quantity: '3', unit_price: '33.335', product_code: 'hardware', metadata: { ticket: 'RH-7' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/one_off_charges/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'one_off_charge', account_id: accountId, currency: 'EUR', description: 'SFP+ optics', quantity: '3', unit_price: '33.335',
      amount: '100.01', product_code: 'hardware', tax_code: 'goods', invoice_id: null, metadata: { ticket: 'RH-7' },
    });
    expect(Date.parse(res.body.service_date)).toBeGreaterThanOrEqual(BASE);
    const plain = await charge({ tax_code: 'services' });
    expect(plain).toMatchObject({ quantity: '1', amount: '95.00', product_code: null, tax_code: 'services' });
    expect((await req('GET', `/v1/one_off_charges/${res.body.id}`)).body).toEqual(res.body);
    const audit = await req('GET', `/v1/audit_log?resource_id=${res.body.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['one_off_charge.created']);
    const events = await req('GET', `/v1/domain_events?resource_id=${res.body.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['one_off_charge.created']);
  });

  it('lists newest first, by account and by pending or invoiced, with a cursor', async () => {
    const other = (await expectCreated(req('POST', '/v1/accounts', { name: 'Listed', currency: 'EUR' }))).id;
    const a = await charge({ account_id: other, service_date: '2030-12-05T00:00:00Z' });
    const b = await charge({ account_id: other, service_date: '2030-12-06T00:00:00Z' });
    const c = await charge({ account_id: other, service_date: '2031-01-05T00:00:00Z' });
    expect(await ids(`account_id=${other}`)).toEqual([c.id, b.id, a.id]);
    const invoice = await draftCycle(other, '2031-01-01T00:00:00.000Z', '2030-12-01T00:00:00.000Z');
    expect(await ids(`account_id=${other}&pending=true`)).toEqual([c.id]);
    expect(await ids(`account_id=${other}&pending=false`)).toEqual([b.id, a.id]);
    expect((await req('GET', `/v1/one_off_charges/${a.id}`)).body.invoice_id).toBe(invoice!.id);
    const page = await req('GET', `/v1/one_off_charges?account_id=${other}&limit=2`);
    expect(page.body.has_more).toBe(true);
    expect(await ids(`account_id=${other}&limit=2&cursor=${page.body.next_cursor}`)).toEqual([a.id]);
    const bad = await req('GET', '/v1/one_off_charges?pending=yes&account_id=nope');
    expect(fieldErrors(bad).map((f) => f.split(' ')[0]).sort()).toEqual(['account_id', 'pending']);
    expect((await req('GET', `/v1/one_off_charges/${MISSING}`)).body).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('needs the write scope to create or delete', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const waiting = await charge({});
    expect((await ctx.api.request('POST', '/v1/one_off_charges', { key: reader, body: { account_id: accountId, description: 'x', unit_price: '1' } })).status).toBe(403);
    expect((await ctx.api.request('DELETE', `/v1/one_off_charges/${waiting.id}`, { key: reader })).status).toBe(403);
    expect((await ctx.api.request('GET', `/v1/one_off_charges/${waiting.id}`, { key: reader })).status).toBe(200);
  });
});

describe('invoicing', () => {
  it('lands on the first cycle invoice whose bill date is on or after its service date, a child’s on its parent’s', async () => {
    const parent = (await expectCreated(req('POST', '/v1/accounts', { name: 'Parent', currency: 'EUR', timezone: 'UTC' }))).id;
    const child = (await expectCreated(req('POST', '/v1/accounts', { name: 'Child', currency: 'EUR', parent_id: parent, bill_to_parent: true }))).id;
    const december = await charge({ account_id: child, description: 'Rack and stack', quantity: '2', unit_price: '60.25', service_date: '2030-12-31T23:59:59Z' });
    const onBillDate = await charge({ account_id: parent, description: 'Cage keys', unit_price: '15.00', service_date: '2031-01-01T00:00:00Z' });
    const january = await charge({ account_id: parent, description: 'Cabling', unit_price: '40.00', service_date: '2031-01-01T00:00:01Z' });
    const invoice = await draftCycle(parent, '2031-01-01T00:00:00.000Z', '2030-12-01T00:00:00.000Z');
    const body = invoiceSchema.parse((await req('GET', `/v1/invoices/${invoice!.id}`)).body);
    expect(body.groups.map((g) => [g.account_id, g.lines.map((l) => [l.key, l.amount])])).toEqual([
      [parent, [[`one_off:${onBillDate.id}`, '15.00']]],
      [child, [[`one_off:${december.id}`, '120.50']]],
    ]);
    expect(body).toMatchObject({ kind: 'cycle', currency: 'EUR', subtotal: '135.50', total: '135.50' });
    expect((await req('GET', `/v1/one_off_charges/${january.id}`)).body.invoice_id).toBeNull();
    // Drafting again (a retried bill run) adds nothing and moves nothing.
    const again = await draftCycle(parent, '2031-01-01T00:00:00.000Z', '2030-12-01T00:00:00.000Z');
    expect([again!.id, again!.revision]).toEqual([invoice!.id, invoice!.revision]);
    const february = await draftCycle(parent, '2031-02-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z');
    expect(february!.document.groups.flatMap((g) => g.lines.map((l) => l.key))).toEqual([`one_off:${january.id}`]);
  });
});

describe('deleting', () => {
  it('a waiting charge: gone, audited; one on an invoice is refused and stays', async () => {
    const waiting = await charge({});
    const res = await req('DELETE', `/v1/one_off_charges/${waiting.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(waiting);
    expect((await req('GET', `/v1/one_off_charges/${waiting.id}`)).status).toBe(404);
    const audit = await req('GET', `/v1/audit_log?resource_id=${waiting.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['one_off_charge.deleted', 'one_off_charge.created']);
    expect((await req('DELETE', `/v1/one_off_charges/${waiting.id}`)).status).toBe(404);

    const invoiced = invoiceSchema.parse(await expectCreated(req('POST', '/v1/invoices', { account_id: accountId, items: [{ description: 'Setup', unit_price: '500.00' }] })));
    const chargeId = invoiced.groups[0]!.lines[0]!.key.replace('one_off:', '');
    const refused = await expectRefused('DELETE', `/v1/one_off_charges/${chargeId}`, undefined, 409, 'invoice_state_conflict');
    expect(refused.body.detail).toContain(invoiced.id);
  });
});

describe('bad input is refused naming the field, changing nothing', () => {
  it('another currency than the account’s', async () => {
    await expectRefused('POST', '/v1/one_off_charges', { account_id: accountId, currency: 'USD', description: 'x', unit_price: '1.00' }, 422, 'account_currency_mismatch', ['currency account_currency']);
  });

  it('an unknown product, a negative price, a zero quantity, a missing description, unknown fields', async () => {
    await expectRefused('POST', '/v1/one_off_charges', { account_id: accountId, description: 'x', unit_price: '1', product_code: 'no-such' }, 400, 'validation_failed', ['product_code unknown_product']);
    const res = await expectRefused('POST', '/v1/one_off_charges', { account_id: accountId, quantity: '0', unit_price: '-5', colour: 'red' }, 400, 'validation_failed');
    expect(fieldErrors(res).map((f) => f.split(' ')[0]).sort()).toEqual(['colour', 'description', 'quantity', 'unit_price']);
  });

  it('an archived or unknown account', async () => {
    const archived = (await expectCreated(req('POST', '/v1/accounts', { name: 'Gone', currency: 'EUR' }))).id;
    expect((await req('POST', `/v1/accounts/${archived}/archive`)).status).toBe(200);
    await expectRefused('POST', '/v1/one_off_charges', { account_id: archived, description: 'x', unit_price: '1' }, 409, 'account_archived');
    await expectRefused('POST', '/v1/one_off_charges', { account_id: MISSING, description: 'x', unit_price: '1' }, 404, 'not_found');
  });
});
