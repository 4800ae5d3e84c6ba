import { draftCycleInvoice } from '../../services/invoicing/invoice-drafts';
import { invoiceSchema } from '../../services/invoicing/invoice-schemas';
import { expectCreated, fieldErrors, requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { systemChange, tenantTx } from '../support/invoicing-fixtures';
import { createTestKey } from '../support/tenants';

/**
 * /v1/invoices end to end: one-off invoices (draft and finalised at once,
 * totals and tax to the penny), reading and filtering, the draft's PO
 * number and memo, refresh, finalise, void (credit balance restored),
 * uncollectible, deleting a one-off draft, the upcoming-invoice preview
 * with a child billed to its parent, PDF and HTML downloads. Every refusal
 * is problem+json naming what is wrong and leaves the invoicing tables as
 * they were. The clock starts on 10 January 2031 and runs, so dates are the
 * same whatever day the test runs.
 */
const BASE = Date.parse('2031-01-10T09:00:00.000Z');
const started = Date.now();
const ctx = useApiTest('invoices', { clock: { now: () => new Date(BASE + (Date.now() - started)) } });
const req = requester(ctx);
const DAY = 86_400_000;
const MISSING = '01900000-0000-7000-8000-000000000000';

let taxRateId: string;
let london: string;

/** 225.00 + 999.99 + 13.04 (13.035 rounded half up) = 1238.03; VAT 20 % of it = 247.606 → 247.61; total 1485.64. */
const ITEMS = [
  { description: 'Remote hands, 1.5 h (ticket RH-1042)', quantity: '1.5', unit_price: '150.00' },
  { description: 'Cabinet installation', product_code: 'setup', unit_price: '999.99' },
  { description: 'Patch cables', quantity: '3', unit_price: '4.345', tax_code: 'hardware' },
];
const LONDON_ADDRESS = { line1: '1 Canada Square', city: 'London', postal_code: 'E14 5AB', country: 'GB' };

async function newAccount(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const body = { name, currency: 'GBP', timezone: 'Europe/London', payment_terms: { type: 'net', days: 30 }, billing_address: LONDON_ADDRESS, ...extra };
  return (await expectCreated(req('POST', '/v1/accounts', body))).id;
}

async function oneOff(accountId: string, extra: Record<string, unknown> = {}) {
  return invoiceSchema.parse(await expectCreated(req('POST', '/v1/invoices', { account_id: accountId, items: ITEMS, ...extra })));
}

/** Every invoicing table in full (as hashes of their rows), the counters and the audit and outbox counts: what a refused request must leave alone. */
async function footprint(): Promise<Record<string, unknown>> {
  return ctx.db.asSuperuser(async (c) => {
    const out: Record<string, unknown> = {};
    for (const t of ['invoices', 'invoice_lines', 'one_off_charges', 'credit_balance_entries', 'document_number_sequences', 'invoice_documents', 'audit_log', 'outbox_events']) {
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

const balanceOf = async (accountId: string) => (await req('GET', `/v1/accounts/${accountId}/credit_balance`)).body.balance;
const pendingCharges = async (accountId: string) =>
  (await req('GET', `/v1/one_off_charges?account_id=${accountId}&pending=true&limit=100`)).body.data.map((c: { id: string }) => c.id).sort();
const draftCycle = (accountId: string, billDate: string, periodStart: string) =>
  tenantTx(ctx.db.dataSource, ctx.tenant.id, (tx) =>
    draftCycleInvoice(tx, systemChange(ctx.tenant.id, new Date(BASE)), { billingAccountId: accountId, billDate: new Date(billDate), periodStart: new Date(periodStart) }),
  );

async function download(path: string) {
  const res = await fetch(`${ctx.api.url}${path}`, { headers: { authorization: `Bearer ${ctx.tenant.adminKey}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  await expectCreated(req('POST', '/v1/products', { code: 'setup', name: 'Installation', tax_code: 'services' }));
  taxRateId = (await expectCreated(req('POST', '/v1/tax_rates', { name: 'VAT', country: 'GB', percentage: '20', valid_from: '2030-01-01T00:00:00Z' }))).id;
  london = await newAccount('Thames Data Ltd');
});

describe('one-off invoices', () => {
  it('a draft: one line per item, VAT on the net to the penny, not numbered; its charges are on it', async () => {
    const res = await req('POST', '/v1/invoices', { account_id: london, items: ITEMS, po_number: 'PO-7781', memo: 'Installation week' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/invoices/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'invoice', kind: 'one_off', status: 'draft', number: null, account_id: london, currency: 'GBP', period: null,
      issued_at: null, due_at: null, net_terms_days: 30, po_number: 'PO-7781', memo: 'Installation week', auto_finalize: false,
      subtotal: '1238.03', discount_total: '0.00', tax_total: '247.61', tax_included: '0.00', total: '1485.64',
      credit_applied: '0.00', amount_due: '1485.64', amount_paid: '0.00', line_count: 3, revision: 1,
    });
    const [group, ...others] = res.body.groups;
    expect(others).toEqual([]);
    expect(group).toMatchObject({ account_id: london, account_name: 'Thames Data Ltd', depth: 0, subtotal: '1238.03' });
    // Lines of one service date are ordered by description (domain/invoicing/invoice-generator.ts), not as sent.
    const lines = invoiceSchema.shape.groups.parse(res.body.groups)[0]!.lines;
    expect(lines.map((l) => [l.kind, l.description, l.product_code, l.tax_code, l.quantity, l.amount, l.taxes.map((t) => t.amount)])).toEqual([
      ['one_off', 'Cabinet installation', 'setup', 'services', '1', '999.99', ['200.00']],
      ['one_off', 'Patch cables', null, 'hardware', '3', '13.04', ['2.61']],
      ['one_off', ITEMS[0]!.description, null, null, '1.5', '225.00', ['45.00']],
    ]);
    expect(res.body.taxes).toEqual([{ rate_id: taxRateId, name: 'VAT', percentage: '20', inclusive: false, jurisdiction: 'GB', taxable_amount: '1238.03', amount: '247.61' }]);
    expect(res.body.customer).toMatchObject({ account_id: london, name: 'Thames Data Ltd', billing_address: expect.objectContaining({ country: 'GB' }) });
    const charges = (await req('GET', `/v1/one_off_charges?account_id=${london}&pending=false&limit=100`)).body.data;
    expect(charges.map((c: { id: string; invoice_id: string }) => [`one_off:${c.id}`, c.invoice_id]).sort()).toEqual(
      group.lines.map((l: { key: string }) => [l.key, res.body.id]).sort(),
    );
    expect((await req('GET', `/v1/invoices/${res.body.id}`)).body).toEqual(res.body);
    const audit = await req('GET', `/v1/audit_log?resource_id=${res.body.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['invoice.created']);
  });

  it('finalised at once: the first number, issued now, due after the net terms, open for the total', async () => {
    const inv = await oneOff(london, { finalize: true });
    expect(inv).toMatchObject({ number: 'INV-000001', status: 'open', total: '1485.64', amount_due: '1485.64', amount_remaining: '1485.64', amount_paid: '0.00' });
    const issued = Date.parse(inv.issued_at ?? 'not issued');
    expect(issued).toBeGreaterThanOrEqual(BASE);
    expect(issued).toBeLessThan(BASE + 600_000);
    expect(Date.parse(inv.due_at ?? 'not due') - issued).toBe(30 * DAY);
    expect((await req('GET', `/v1/invoices/${inv.id}`)).body).toEqual(inv);
  });

  it('finalising a draft takes the next number; the invoice says its own terms; a second finalise is refused and changes nothing', async () => {
    const draft = await oneOff(london, { net_terms_days: 14 });
    const res = await req('POST', `/v1/invoices/${draft.id}/finalize`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: 'INV-000002', status: 'open', net_terms_days: 14, total: '1485.64' });
    expect(Date.parse(res.body.due_at) - Date.parse(res.body.issued_at)).toBe(14 * DAY);
    const dueOnReceipt = await oneOff(london, { net_terms_days: 0, finalize: true });
    expect(dueOnReceipt).toMatchObject({ number: 'INV-000003' });
    expect(dueOnReceipt.due_at).toBe(dueOnReceipt.issued_at);
    await expectRefused('POST', `/v1/invoices/${draft.id}/finalize`, undefined, 409, 'invoice_state_conflict');
  });
});

describe('finalising concurrently, and with nothing due', () => {
  it('two finalisations at once: one wins, one number is used; nothing due is paid at once', async () => {
    const racing = await oneOff(london);
    const results = await Promise.all([0, 1].map(() => req('POST', `/v1/invoices/${racing.id}/finalize`)));
    expect(results.map((r) => [r.status, r.body.code ?? r.body.number]).sort()).toEqual([[200, 'INV-000004'], [409, 'invoice_state_conflict']]);
    const free = await oneOff(london, { items: [{ description: 'Courtesy cross-connect', unit_price: '0' }], finalize: true });
    expect(free).toMatchObject({ number: 'INV-000005', status: 'paid', total: '0.00', amount_due: '0.00', paid_at: free.issued_at });
  });
});

describe('reading', () => {
  it('lists newest first, filtered by account, status and kind, with a cursor', async () => {
    const account = await newAccount('Listed');
    const a = await oneOff(account);
    const b = await oneOff(account, { finalize: true });
    const c = await oneOff(account);
    const ids = async (query: string) => (await req('GET', `/v1/invoices?account_id=${account}&${query}`)).body.data.map((i: { id: string }) => i.id);
    expect(await ids('limit=100')).toEqual([c.id, b.id, a.id]);
    expect(await ids('status=open')).toEqual([b.id]);
    expect(await ids('status=draft&kind=one_off')).toEqual([c.id, a.id]);
    expect(await ids('kind=cycle')).toEqual([]);
    const first = await req('GET', `/v1/invoices?account_id=${account}&limit=2`);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data[0]).not.toHaveProperty('groups');
    const rest = await req('GET', `/v1/invoices?account_id=${account}&limit=2&cursor=${first.body.next_cursor}`);
    expect(rest.body.data.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const bad = await req('GET', '/v1/invoices?status=sent&kind=weekly&account_id=x');
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad).map((f) => f.split(' ')[0]).sort()).toEqual(['account_id', 'kind', 'status']);
    expect((await req('GET', `/v1/invoices/${MISSING}`)).body).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('needs the write scope to change anything', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const as = (method: string, path: string, body?: unknown) => ctx.api.request(method, path, { key: reader, ...(body ? { body } : {}) });
    expect((await as('POST', '/v1/invoices', { account_id: london, items: ITEMS })).status).toBe(403);
    expect((await as('GET', `/v1/invoices?account_id=${london}`)).status).toBe(200);
  });
});

describe('changing drafts, and not finalised invoices', () => {
  it("PATCH sets a draft's PO number and memo, in the document too; null clears", async () => {
    const draft = await oneOff(london);
    const res = await req('PATCH', `/v1/invoices/${draft.id}`, { po_number: 'PO-4471', memo: 'Deliver to dock 4' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ po_number: 'PO-4471', memo: 'Deliver to dock 4', revision: 2, total: draft.total });
    const [row] = (await ctx.db.asSuperuser((c) => c.query(`SELECT document->>'po_number' AS po, document->>'memo' AS memo FROM invoices WHERE id = $1`, [draft.id]))).rows;
    expect(row).toEqual({ po: 'PO-4471', memo: 'Deliver to dock 4' });
    const html = await req('GET', `/v1/invoices/${draft.id}/html`);
    expect(html.text).toContain('PO-4471');
    expect(html.text).toContain('Deliver to dock 4');
    const cleared = await req('PATCH', `/v1/invoices/${draft.id}`, { po_number: null });
    expect(cleared.body).toMatchObject({ po_number: null, memo: 'Deliver to dock 4', revision: 3 });
    const audit = await req('GET', `/v1/audit_log?resource_id=${draft.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['invoice.updated', 'invoice.updated', 'invoice.created']);
  });

  it('a finalised invoice refuses PATCH, refresh and DELETE, and stays exactly as it was', async () => {
    const inv = await oneOff(london, { finalize: true, po_number: 'PO-1' });
    const before = (await req('GET', `/v1/invoices/${inv.id}`)).body;
    await expectRefused('PATCH', `/v1/invoices/${inv.id}`, { po_number: 'PO-2', memo: 'changed' }, 409, 'invoice_finalized');
    await expectRefused('POST', `/v1/invoices/${inv.id}/refresh`, undefined, 409, 'invoice_finalized');
    await expectRefused('DELETE', `/v1/invoices/${inv.id}`, undefined, 409, 'invoice_finalized');
    expect((await req('GET', `/v1/invoices/${inv.id}`)).body).toEqual(before);
  });

  it('refresh rebuilds a cycle draft with a charge recorded since; unchanged sources change nothing', async () => {
    const account = await newAccount('Refreshed');
    const first = await expectCreated(req('POST', '/v1/one_off_charges', { account_id: account, description: 'Cross-connect install', unit_price: '250.00', service_date: '2030-12-20T00:00:00Z' }));
    const draft = await draftCycle(account, '2031-01-01T00:00:00.000Z', '2030-12-01T00:00:00.000Z');
    expect(draft).not.toBeNull();
    const late = await expectCreated(req('POST', '/v1/one_off_charges', { account_id: account, description: 'Remote hands', unit_price: '80.00', service_date: '2030-12-28T00:00:00Z' }));
    expect((await req('GET', `/v1/invoices/${draft!.id}`)).body).toMatchObject({ kind: 'cycle', line_count: 1, total: '300.00', revision: 1 });
    const res = await req('POST', `/v1/invoices/${draft!.id}/refresh`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'draft', line_count: 2, subtotal: '330.00', tax_total: '66.00', total: '396.00', revision: 2 });
    expect(res.body.groups[0].lines.map((l: { key: string }) => l.key).sort()).toEqual([`one_off:${first.id}`, `one_off:${late.id}`].sort());
    expect((await req('POST', `/v1/invoices/${draft!.id}/refresh`)).body.revision).toBe(2);
    // Cycle drafts are refreshed or finalised, never deleted.
    await expectRefused('DELETE', `/v1/invoices/${draft!.id}`, undefined, 409, 'invoice_state_conflict');
  });

  it('DELETE of a one-off draft releases its charges to the next invoice', async () => {
    const account = await newAccount('Deleted draft');
    const draft = await oneOff(account);
    const keys = draft.groups[0]!.lines.map((l) => l.key.replace('one_off:', '')).sort();
    expect(await pendingCharges(account)).toEqual([]);
    const res = await req('DELETE', `/v1/invoices/${draft.id}`);
    expect(res.status).toBe(204);
    expect((await req('GET', `/v1/invoices/${draft.id}`)).status).toBe(404);
    expect(await pendingCharges(account)).toEqual(keys);
    const audit = await req('GET', `/v1/audit_log?resource_id=${draft.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['invoice.deleted', 'invoice.created']);
  });
});

describe('after finalisation', () => {
  it('void gives back the credit balance the invoice used; a void invoice cannot be voided again', async () => {
    const account = await newAccount('Prepaid');
    await expectCreated(req('POST', `/v1/accounts/${account}/credits`, { amount: '100.00', currency: 'GBP', kind: 'prepaid', description: 'Prepaid, PO 12' }));
    const inv = await oneOff(account, { finalize: true });
    expect(inv).toMatchObject({ total: '1485.64', credit_applied: '100.00', amount_due: '1385.64', amount_remaining: '1385.64' });
    expect(await balanceOf(account)).toBe('0.00');
    const res = await req('POST', `/v1/invoices/${inv.id}/void`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'void', number: inv.number, total: '1485.64', amount_remaining: '0.00' });
    expect(Date.parse(res.body.voided_at)).toBeGreaterThanOrEqual(Date.parse(inv.issued_at ?? 'not issued'));
    expect(await balanceOf(account)).toBe('100.00');
    await expectRefused('POST', `/v1/invoices/${inv.id}/void`, undefined, 409, 'invoice_state_conflict');
    await expectRefused('POST', `/v1/invoices/${inv.id}/mark_uncollectible`, undefined, 409, 'invoice_state_conflict');
  });

  it('mark_uncollectible: only open or partially paid; an uncollectible invoice can still be voided', async () => {
    const inv = await oneOff(london, { finalize: true });
    const res = await req('POST', `/v1/invoices/${inv.id}/mark_uncollectible`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'uncollectible', amount_remaining: '1485.64' });
    expect(res.body.marked_uncollectible_at).not.toBeNull();
    await expectRefused('POST', `/v1/invoices/${inv.id}/mark_uncollectible`, undefined, 409, 'invoice_state_conflict');
    const draft = await oneOff(london);
    await expectRefused('POST', `/v1/invoices/${draft.id}/mark_uncollectible`, undefined, 409, 'invoice_state_conflict');
    await expectRefused('POST', `/v1/invoices/${draft.id}/void`, undefined, 409, 'invoice_state_conflict');
    expect((await req('POST', `/v1/invoices/${inv.id}/void`)).body.status).toBe('void');
  });
});

describe('upcoming invoice', () => {
  it("previews waiting charges, a child's under its parent, and saves nothing", async () => {
    const parent = await newAccount('Parent Group plc');
    const child = await newAccount('Child Lab', { parent_id: parent, bill_to_parent: true });
    const alone = await newAccount('Child Alone', { parent_id: parent, bill_to_parent: false });
    const own = await expectCreated(req('POST', '/v1/one_off_charges', { account_id: parent, description: 'Cage build', unit_price: '500.00' }));
    const childs = await expectCreated(req('POST', '/v1/one_off_charges', { account_id: child, description: 'Rack and stack', quantity: '2', unit_price: '75.50' }));
    await expectCreated(req('POST', '/v1/one_off_charges', { account_id: alone, description: 'Billed on its own', unit_price: '10.00' }));
    const before = await footprint();
    const res = await req('GET', `/v1/accounts/${child}/upcoming_invoice`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ account_id: child, billing_account_id: parent, draft_invoice_id: null, bill_date: '2031-02-01T00:00:00.000Z', estimated_line_keys: [] });
    const doc = res.body.document;
    expect(doc.groups.map((g: { account_id: string; depth: number; subtotal: string; lines: Array<{ key: string }> }) => [g.account_id, g.depth, g.subtotal, g.lines.map((l) => l.key)])).toEqual([
      [parent, 0, '500.00', [`one_off:${own.id}`]],
      [child, 1, '151.00', [`one_off:${childs.id}`]],
    ]);
    expect(doc.totals).toMatchObject({ subtotal: '651.00', tax_total: '130.20', total: '781.20', amount_due: '781.20' });
    expect(doc.customer.account_id).toBe(parent);
    expect((await req('GET', `/v1/accounts/${parent}/upcoming_invoice`)).body.document).toEqual(doc);
    const separate = await req('GET', `/v1/accounts/${alone}/upcoming_invoice`);
    expect(separate.body).toMatchObject({ billing_account_id: alone, document: { totals: { subtotal: '10.00' } } });
    expect(await footprint()).toEqual(before);
    expect((await req('GET', `/v1/accounts/${MISSING}/upcoming_invoice`)).status).toBe(404);
  });
});

describe('documents', () => {
  it('a finalised invoice: the same PDF bytes on every download; HTML with its number', async () => {
    const inv = await oneOff(london, { finalize: true });
    const first = await download(`/v1/invoices/${inv.id}/pdf`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/pdf');
    expect(first.disposition).toBe(`inline; filename="${inv.number}.pdf"`);
    expect(first.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const second = await download(`/v1/invoices/${inv.id}/pdf`);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const html = await req('GET', `/v1/invoices/${inv.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain(inv.number);
    expect(html.text).toContain('Thames Data Ltd');
  });

  it('a paid or void invoice says so in its HTML and its PDF is rendered again, with the same graphs', async () => {
    const inv = await oneOff(london, { finalize: true });
    expect((await req('GET', `/v1/invoices/${inv.id}/html`)).text).not.toContain('VOID');
    const issued = await download(`/v1/invoices/${inv.id}/pdf`);
    expect((await req('POST', `/v1/invoices/${inv.id}/void`)).body.status).toBe('void');
    const html = await req('GET', `/v1/invoices/${inv.id}/html`);
    expect(html.text).toContain('VOID');
    const voided = await download(`/v1/invoices/${inv.id}/pdf`);
    expect(voided.bytes.equals(issued.bytes)).toBe(false);
    expect((await download(`/v1/invoices/${inv.id}/pdf`)).bytes.equals(voided.bytes)).toBe(true);
  });

  it("a draft's PDF is rendered on each request and not stored", async () => {
    const draft = await oneOff(london);
    const stored = async () => (await ctx.db.asSuperuser((c) => c.query(`SELECT count(*)::int AS n FROM invoice_documents WHERE document_id = $1`, [draft.id]))).rows[0].n;
    const pdf = await download(`/v1/invoices/${draft.id}/pdf`);
    expect([pdf.status, pdf.type, pdf.bytes.subarray(0, 5).toString('latin1')]).toEqual([200, 'application/pdf', '%PDF-']);
    expect(pdf.disposition).toBe(`inline; filename="draft-${draft.id}.pdf"`);
    expect(await stored()).toBe(0);
    expect((await download(`/v1/invoices/${MISSING}/pdf`)).status).toBe(404);
  });
});

describe('bad input is refused with problem+json naming the field, changing nothing', () => {
  it('an invoice or a charge in another currency', async () => {
    const res = await expectRefused('POST', '/v1/invoices', { account_id: london, currency: 'USD', items: ITEMS }, 422, 'account_currency_mismatch', ['currency account_currency']);
    expect(res.body.detail).toContain('GBP');
    await expectRefused('POST', '/v1/one_off_charges', { account_id: london, currency: 'EUR', description: 'x', unit_price: '1' }, 422, 'account_currency_mismatch', ['currency account_currency']);
  });

  it('unknown product codes, every one named', async () => {
    const items = [{ ...ITEMS[1], product_code: 'no-such-product' }, ITEMS[0], { description: 'x', unit_price: '1', product_code: 'nor-this' }];
    await expectRefused('POST', '/v1/invoices', { account_id: london, items }, 400, 'validation_failed', ['items[0].product_code unknown_product', 'items[2].product_code unknown_product']);
  });

  it('a negative unit price, a zero quantity, an empty description', async () => {
    const res = await expectRefused('POST', '/v1/invoices', { account_id: london, items: [{ description: '', quantity: '0', unit_price: '-1.00' }] }, 400, 'validation_failed');
    expect(fieldErrors(res).map((f) => f.split(' ')[0]).sort()).toEqual(['items[0].description', 'items[0].quantity', 'items[0].unit_price']);
  });

  it('no items, or more than 100', async () => {
    await expectRefused('POST', '/v1/invoices', { account_id: london, items: [] }, 400, 'validation_failed', ['items too_small']);
    const many = Array.from({ length: 101 }, (_, i) => ({ description: `Item ${i}`, unit_price: '1.00' }));
    await expectRefused('POST', '/v1/invoices', { account_id: london, items: many }, 400, 'validation_failed', ['items too_big']);
  });

  it('an archived account, or one that does not exist', async () => {
    const archived = await newAccount('Moved out');
    expect((await req('POST', `/v1/accounts/${archived}/archive`)).status).toBe(200);
    await expectRefused('POST', '/v1/invoices', { account_id: archived, items: ITEMS }, 409, 'account_archived');
    await expectRefused('POST', '/v1/one_off_charges', { account_id: archived, description: 'x', unit_price: '1' }, 409, 'account_archived');
    await expectRefused('POST', '/v1/invoices', { account_id: MISSING, items: ITEMS }, 404, 'not_found');
  });

  it('a bill run without Temporal answers 503 and starts nothing', async () => {
    await expectRefused('POST', '/v1/bill_runs', {}, 503, 'service_unavailable');
  });
});
