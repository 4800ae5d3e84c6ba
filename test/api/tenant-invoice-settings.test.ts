import { draftCycleInvoice } from '../../services/invoicing/invoice-drafts';
import { expectCreated, fieldErrors, requester } from '../support/catalog-fixtures';
import { TEST_PLATFORM_KEY, useApiTest } from '../support/http';
import { systemChange, tenantTx } from '../support/invoicing-fixtures';

/**
 * The provider's invoice settings, changed by the platform operator with
 * PATCH /v1/tenants/{id}: number prefixes (numbers stay gapless whatever
 * the prefix), the drafts' grace period, and the branding every invoice's
 * seller block shows (logo, colours, address, remittance for wire and ACH).
 * Invoices built afterwards take them; a finalised invoice keeps what it
 * said. Bad values are refused naming the field and change nothing.
 */
const BASE = Date.parse('2031-01-10T09:00:00.000Z');
const started = Date.now();
const ctx = useApiTest('tenant-invoice-settings', { clock: { now: () => new Date(BASE + (Date.now() - started)) } });
const req = requester(ctx);
let accountId: string;

// A 1×1 PNG.
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const REMITTANCE = {
  bank_name: 'First Hudson Bank, N.A.', account_name: 'Meridian Colocation LLC', account_number: '4410227790', routing_number: '021000322',
  iban: 'GB82WEST12345698765432', swift_bic: 'FHUBUS33XXX', check_address: { line1: 'PO Box 5120', city: 'New York', region: 'NY', postal_code: '10008', country: 'US' },
  instructions: 'Quote the invoice number.',
};
const BRANDING = {
  display_name: 'Meridian Colocation', legal_name: 'Meridian Colocation LLC',
  address: { line1: '60 Hudson Street', city: 'New York', region: 'NY', postal_code: '10013', country: 'US' },
  email: 'billing@meridian.example', phone: '+1 212 555 0142', website: 'meridian.example', tax_ids: [{ type: 'us_ein', value: '84-3127765' }],
  primary_color: '#12395b', accent_color: '#E07A1F', logo: { media_type: 'image/png', base64: PIXEL }, remittance: REMITTANCE,
  footer: 'Balances unpaid 30 days after the due date accrue 1.5 % per month.',
};

const patch = (body: unknown) => ctx.api.request('PATCH', `/v1/tenants/${ctx.tenant.id}`, { key: TEST_PLATFORM_KEY, body });
const readTenant = async () => (await ctx.api.request('GET', `/v1/tenants/${ctx.tenant.id}`, { key: TEST_PLATFORM_KEY })).body;
const invoice = (extra: Record<string, unknown> = {}) =>
  expectCreated(req('POST', '/v1/invoices', { account_id: accountId, items: [{ description: 'Cabinet installation', unit_price: '500.00' }], ...extra }));

beforeAll(async () => {
  accountId = (await expectCreated(req('POST', '/v1/accounts', { name: 'Northwind Data', currency: 'USD', timezone: 'UTC' }))).id;
});

it('number prefixes: invoices and credit notes afterwards carry them, and the numbers go on without a gap', async () => {
  const first = await invoice({ finalize: true });
  expect(first.number).toBe('INV-000001');
  const res = await patch({ invoice_number_prefix: 'MC/2031-', credit_note_number_prefix: 'MC-CN-' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ invoice_number_prefix: 'MC/2031-', credit_note_number_prefix: 'MC-CN-' });
  const second = await invoice({ finalize: true });
  expect(second.number).toBe('MC/2031-000002');
  const note = await expectCreated(req('POST', `/v1/invoices/${second.id}/credit_notes`, { reason: 'billing_error' }));
  expect(note.number).toBe('MC-CN-000001');
  // The earlier invoice keeps the number it was issued with.
  expect((await req('GET', `/v1/invoices/${first.id}`)).body.number).toBe('INV-000001');
  // An empty prefix is allowed: bare numbers.
  await patch({ invoice_number_prefix: '' });
  expect((await invoice({ finalize: true })).number).toBe('000003');
  await patch({ invoice_number_prefix: 'INV-', credit_note_number_prefix: 'CN-' });
});

it('the grace period applies to cycle drafts created afterwards', async () => {
  expect((await readTenant()).invoice_grace_period_hours).toBe(24);
  const res = await patch({ invoice_grace_period_hours: 72 });
  expect(res.body.invoice_grace_period_hours).toBe(72);
  await expectCreated(req('POST', '/v1/one_off_charges', { account_id: accountId, description: 'Remote hands', unit_price: '80.00', service_date: '2030-12-15T00:00:00Z' }));
  const draft = await tenantTx(ctx.db.dataSource, ctx.tenant.id, (tx) =>
    draftCycleInvoice(tx, systemChange(ctx.tenant.id, new Date(BASE)), { billingAccountId: accountId, billDate: new Date('2031-01-01T00:00:00Z'), periodStart: new Date('2030-12-01T00:00:00Z') }),
  );
  expect((await req('GET', `/v1/invoices/${draft!.id}`)).body).toMatchObject({ kind: 'cycle', grace_ends_at: '2031-01-04T00:00:00.000Z', auto_finalize: true });
  await patch({ invoice_grace_period_hours: 0 });
  expect((await readTenant()).invoice_grace_period_hours).toBe(0);
});

it('branding is the seller block of invoices built afterwards, in JSON, HTML and PDF; a finalised invoice keeps its own', async () => {
  const before = await invoice({ finalize: true });
  const draft = await invoice();
  expect(before.seller).toMatchObject({ name: `Tenant ${ctx.tenant.slug}`, primary_color: '#1f4e79', logo: null, remittance: null });
  const res = await patch({ branding: BRANDING });
  expect(res.status).toBe(200);
  expect(res.body.branding).toEqual(BRANDING);
  const audit = await ctx.api.request('GET', `/v1/audit_log?resource_id=${ctx.tenant.id}`, { key: ctx.tenant.adminKey });
  expect(audit.body.data[0]).toMatchObject({ action: 'tenant.updated', after: { branding: BRANDING } });

  const after = await invoice({ finalize: true });
  const { display_name: name, ...rest } = BRANDING;
  expect(after.seller).toEqual({ name, ...rest });
  expect((await req('GET', `/v1/invoices/${before.id}`)).body.seller).toEqual(before.seller);
  // A draft is rebuilt from the current branding.
  expect((await req('POST', `/v1/invoices/${draft.id}/refresh`)).body.seller).toEqual({ name, ...rest });

  const html = (await req('GET', `/v1/invoices/${after.id}/html`)).text;
  for (const text of ['Meridian Colocation', 'GB82WEST12345698765432', '021000322', 'FHUBUS33XXX', '1.5 % per month', `data:image/png;base64,${PIXEL}`]) expect(html).toContain(text);
  const pdf = await fetch(`${ctx.api.url}/v1/invoices/${after.id}/pdf`, { headers: { authorization: `Bearer ${ctx.tenant.adminKey}` } });
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

it('refuses bad values naming each field, leaving the tenant as it was', async () => {
  const before = await readTenant();
  const auditCount = async () => (await ctx.db.asSuperuser((c) => c.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1`, [ctx.tenant.id]))).rows[0].n;
  const entries = await auditCount();
  const bad = await patch({
    invoice_number_prefix: 'INV 2031', credit_note_number_prefix: 'C'.repeat(21), invoice_grace_period_hours: 169, tax_provider: 'avalara',
    branding: {
      primary_color: 'navy', accent_color: '#12345', colour: 'red', logo: { media_type: 'image/gif', base64: 'not base64!' },
      remittance: { ...REMITTANCE, routing_number: '02100032', iban: 'GB82 WEST 1234 5698 7654 32', swift_bic: 'FHUB' },
    },
  });
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
    'branding.accent_color', 'branding.colour', 'branding.logo.base64', 'branding.logo.media_type', 'branding.primary_color',
    'branding.remittance.iban', 'branding.remittance.routing_number', 'branding.remittance.swift_bic',
    'credit_note_number_prefix', 'invoice_grace_period_hours', 'invoice_number_prefix', 'tax_provider',
  ]);
  const iban = bad.body.errors.find((e: { field: string }) => e.field === 'branding.remittance.iban');
  expect(iban.message).toBe('must be an IBAN without spaces');
  // Remittance details are given whole: a missing field is named too.
  const partial = await patch({ branding: { remittance: { iban: 'GB82WEST12345698765432' } } });
  expect(fieldErrors(partial).sort()).toEqual(
    ['account_name', 'account_number', 'bank_name', 'check_address', 'instructions', 'routing_number', 'swift_bic'].map((f) => `branding.remittance.${f} required`),
  );
  const tenantKey = await ctx.api.request('PATCH', `/v1/tenants/${ctx.tenant.id}`, { key: ctx.tenant.adminKey, body: { invoice_number_prefix: 'X-' } });
  expect(tenantKey.status).toBe(401);
  expect(await readTenant()).toEqual(before);
  expect(await auditCount()).toBe(entries);
});
