import { inTenantTransaction } from '../../db/tenant-transaction';
import { requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { insertFinalisedInvoice, invoicingFootprint, type FinalisedInvoiceInput } from '../support/invoice-rows';
import { createTestKey } from '../support/tenants';
import { createAccount } from '../db/metering/thresholds-fixtures';

/** POST /v1/invoices/{id}/credit_notes, GET /v1/credit_notes[/{id}]: how a credit is bounded, used and numbered; every refusal changes nothing. */
const ctx = useApiTest('credit-notes');
const req = requester(ctx);
let accountId: string;

beforeAll(async () => {
  accountId = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Credited' });
});

const CABINET = { key: 'charge:cabinet', amount: '1200.00', taxAmount: '240.00', description: 'Cabinet, November' };
const POWER = { key: 'charge:power', amount: '333.33', taxAmount: '66.67', description: 'Power, November' };
const DISCOUNT = { key: 'discount:coupon', amount: '-120.00', taxAmount: '-24.00', description: 'Coupon 10 %' };

async function invoice(extra: Partial<FinalisedInvoiceInput> = {}) {
  return inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) =>
    insertFinalisedInvoice(tx, { tenantId: ctx.tenant.id, accountId, currency: 'USD', lines: [CABINET, POWER], ...extra }),
  );
}

const footprint = () => inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => invoicingFootprint(tx, ctx.tenant.id));
/** Raw SQL bound to the test tenant (row-level security hides everything otherwise). */
const sql = (query: string, params: unknown[]) => inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => tx.query(query, params));
const figures = async (id: string) =>
  (await sql(`SELECT status, amount_paid::text, amount_remaining::text, credited_total::text, paid_at FROM invoices WHERE id = $1`, [id]))[0];
const balance = async () => (await req('GET', `/v1/accounts/${accountId}/credit_balance`)).body.balance;
const credit = (invoiceId: string, body: Record<string, unknown> = {}) => req('POST', `/v1/invoices/${invoiceId}/credit_notes`, { reason: 'billing_error', ...body });

describe('crediting', () => {
  it('a whole open invoice: the total settles it, nothing left over; numbered, audited and announced', async () => {
    const inv = await invoice();
    const res = await credit(inv.id, { memo: 'Billed twice' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/credit_notes/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'credit_note', invoice_id: inv.id, invoice_number: inv.number, account_id: accountId, currency: 'USD', reason: 'billing_error',
      outcome: 'credit_balance', memo: 'Billed twice', status: 'issued', subtotal: '1533.33', tax_total: '306.67', total: '1840.00',
      applied_to_invoice: '1840.00', refund_amount: '0.00', credit_balance_amount: '0.00', voided_at: null,
      lines: [
        { invoice_line_key: 'charge:cabinet', description: 'Cabinet, November', amount: '1200.00', tax_amount: '240.00', total: '1440.00' },
        { invoice_line_key: 'charge:power', description: 'Power, November', amount: '333.33', tax_amount: '66.67', total: '400.00' },
      ],
    });
    expect(res.body.number).toMatch(/^CN-\d{6}$/);
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', amount_paid: '0.00', amount_remaining: '0.00', credited_total: '1840.00', paid_at: expect.any(Date) });
    expect((await req('GET', `/v1/credit_notes/${res.body.id}`)).body).toEqual(res.body);

    const audit = await req('GET', `/v1/audit_log?resource_id=${inv.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['invoice.paid']);
    expect(audit.body.data[0].after).toMatchObject({ status: 'paid', amount_remaining: '0.00', credited_total: '1840.00' });
    const events = await req('GET', `/v1/domain_events?resource_id=${res.body.id}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([['credit_note.created', res.body]]);
    // Fully credited: nothing more can be credited.
    const again = await credit(inv.id);
    expect([again.status, again.body.code, again.body.errors]).toEqual([422, 'credit_exceeds_invoice', [expect.objectContaining({ field: 'lines', code: 'fully_credited' })]]);
  });

  it('part of a line carries its share of tax; the rest of the line takes exactly the rest of the tax', async () => {
    const inv = await invoice();
    const first = await credit(inv.id, { lines: [{ line_key: 'charge:power', amount: '100.00' }] });
    expect(first.body).toMatchObject({ subtotal: '100.00', tax_total: '20.00', total: '120.00', applied_to_invoice: '120.00' });
    const rest = await credit(inv.id, { lines: [{ line_key: 'charge:power' }] });
    expect(rest.body).toMatchObject({ subtotal: '233.33', tax_total: '46.67', total: '280.00' });
    expect(await figures(inv.id)).toMatchObject({ status: 'open', amount_remaining: '1440.00', credited_total: '400.00' });
    const over = await credit(inv.id, { lines: [{ line_key: 'charge:power', amount: '0.01' }] });
    expect([over.status, over.body.errors]).toEqual([422, [expect.objectContaining({ field: 'lines[0].amount', code: 'fully_credited' })]]);
  });

  it('on a paid invoice the credit goes to the credit balance, as one ledger entry', async () => {
    const inv = await invoice({ status: 'paid' });
    const before = await balance();
    const res = await credit(inv.id, { lines: [{ line_key: 'charge:cabinet', amount: '100.00' }] });
    expect(res.body).toMatchObject({ total: '120.00', applied_to_invoice: '0.00', refund_amount: '0.00', credit_balance_amount: '120.00' });
    expect(Number(await balance()) - Number(before)).toBeCloseTo(120, 2);
    const entries = await sql(`SELECT entry_key, kind, amount::text, invoice_id FROM credit_balance_entries WHERE credit_note_id = $1`, [res.body.id]);
    expect(entries).toEqual([{ entry_key: `credit_note:${res.body.id}`, kind: 'credit_note', amount: '120.00', invoice_id: inv.id }]);
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', amount_paid: '1840.00', credited_total: '120.00' });
  });

  it('a refund returns at most the money paid; what the credit balance paid goes back to the balance', async () => {
    // 1840.00 due before a 500.00 credit balance was applied: 1340.00 paid in money.
    const inv = await invoice({ status: 'paid', creditApplied: '500.00' });
    const res = await credit(inv.id, { outcome: 'refund' });
    expect(res.body).toMatchObject({ total: '1840.00', applied_to_invoice: '0.00', refund_amount: '1340.00', credit_balance_amount: '500.00' });
    const partial = await invoice({ status: 'partially_paid', amountPaid: '1000.00' });
    const part = await credit(partial.id, { outcome: 'refund', lines: [{ line_key: 'charge:cabinet' }] });
    // 840.00 still owed is settled first; the other 600.00 is refunded.
    expect(part.body).toMatchObject({ total: '1440.00', applied_to_invoice: '840.00', refund_amount: '600.00', credit_balance_amount: '0.00' });
    expect(await figures(partial.id)).toMatchObject({ status: 'paid', amount_paid: '1000.00', amount_remaining: '0.00' });
  });

  it('an uncollectible invoice can be credited and becomes paid when nothing remains', async () => {
    const inv = await invoice({ status: 'uncollectible', lines: [POWER] });
    await credit(inv.id, { lines: [{ line_key: 'charge:power', amount: '300.00' }] });
    expect(await figures(inv.id)).toMatchObject({ status: 'uncollectible', amount_remaining: '40.00' });
    await credit(inv.id);
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', amount_remaining: '0.00', credited_total: '400.00' });
  });

  it('with a discount, a whole-invoice credit is exactly the invoice, not the sum of its charges', async () => {
    const inv = await invoice({ lines: [CABINET, DISCOUNT] });
    const res = await credit(inv.id);
    expect(res.body).toMatchObject({ subtotal: '1080.00', tax_total: '216.00', total: '1296.00', lines: [expect.objectContaining({ invoice_line_key: 'charge:cabinet', amount: '1080.00' })] });
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', credited_total: '1296.00' });
  });

  it('numbers credit notes without gaps, in JPY rounds to whole yen', async () => {
    const yenAccount = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Yen', currency: 'JPY' });
    const inv = await inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) =>
      insertFinalisedInvoice(tx, { tenantId: ctx.tenant.id, accountId: yenAccount, currency: 'JPY', lines: [{ key: 'a', amount: '10000', taxAmount: '1000', description: 'Rack' }] }),
    );
    const a = await credit(inv.id, { lines: [{ line_key: 'a', amount: '3333' }] });
    const b = await credit(inv.id, { lines: [{ line_key: 'a', amount: '3333' }] });
    expect([a.body.tax_total, b.body.tax_total, a.body.total]).toEqual(['333', '334', '3666']);
    const n = (s: string) => Number(s.slice(3));
    expect(n(b.body.number)).toBe(n(a.body.number) + 1);
    const tooPrecise = await credit(inv.id, { lines: [{ line_key: 'a', amount: '1.5' }] });
    expect([tooPrecise.status, tooPrecise.body.errors]).toEqual([400, [expect.objectContaining({ field: 'lines[0].amount', code: 'too_precise' })]]);
  });
});

describe('refusals change nothing', () => {
  it.each([
    ['a draft', { status: 'draft' as const }, 409, 'invoice_state_conflict'],
    ['a void invoice', { status: 'void' as const }, 409, 'invoice_state_conflict'],
  ])('%s cannot be credited', async (_label, extra, status, code) => {
    const inv = await invoice(extra);
    const before = await footprint();
    const res = await credit(inv.id);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await footprint()).toEqual(before);
  });

  it('names each bad line: over its remainder, a discount line, unknown, repeated, too precise', async () => {
    const inv = await invoice({ lines: [CABINET, POWER, DISCOUNT] });
    const before = await footprint();
    const over = await credit(inv.id, { lines: [{ line_key: 'charge:power', amount: '333.34' }] });
    expect([over.status, over.body.code, over.body.errors]).toEqual([422, 'credit_exceeds_invoice', [expect.objectContaining({ in: 'body', field: 'lines[0].amount', code: 'exceeds_line' })]]);
    const bad = await credit(inv.id, {
      lines: [{ line_key: 'charge:cabinet', amount: '5000' }, { line_key: 'discount:coupon' }, { line_key: 'nope' }, { line_key: 'charge:cabinet' }, { line_key: 'charge:power', amount: '1.001' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual([
      'lines[1].line_key not_creditable', 'lines[2].line_key unknown', 'lines[3].line_key duplicate', 'lines[4].amount too_precise',
    ]);
    const tooMuchOverall = await credit(inv.id, { lines: [{ line_key: 'charge:cabinet' }, { line_key: 'charge:power' }] });
    expect([tooMuchOverall.status, tooMuchOverall.body.errors]).toEqual([422, [expect.objectContaining({ field: 'lines', code: 'exceeds_invoice' })]]);
    expect(await footprint()).toEqual(before);
  });

  it('names every bad field of the body at once', async () => {
    const inv = await invoice();
    const before = await footprint();
    const res = await credit(inv.id, { reason: 'because', outcome: 'cash', memo: ' padded', lines: [{ line_key: '', amount: '0' }, { amount: '-1', colour: 1 }], extra: true });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'extra', 'lines[0].amount', 'lines[0].line_key', 'lines[1].amount', 'lines[1].colour', 'lines[1].line_key', 'memo', 'outcome', 'reason',
    ]);
    const empty = await credit(inv.id, { lines: [] });
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'lines', code: 'too_small' })]);
    const missing = await req('POST', `/v1/invoices/01900000-0000-7000-8000-000000000000/credit_notes`, { reason: 'other' });
    expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
    expect(await footprint()).toEqual(before);
  });

  it('needs write scope to credit and read scope to look', async () => {
    const inv = await invoice();
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    expect((await ctx.api.request('POST', `/v1/invoices/${inv.id}/credit_notes`, { key: reader, body: { reason: 'other' } })).status).toBe(403);
    expect((await ctx.api.request('GET', '/v1/credit_notes', { key: reader })).status).toBe(200);
    expect((await req('GET', '/v1/credit_notes/01900000-0000-7000-8000-000000000000')).status).toBe(404);
  });
});

it('concurrent credit notes on one invoice never together exceed it', async () => {
  const inv = await invoice({ lines: [{ key: 'a', amount: '100.00', taxAmount: '0.00', description: 'Port' }] });
  const results = await Promise.all(Array.from({ length: 6 }, () => credit(inv.id, { lines: [{ line_key: 'a', amount: '30.00' }] })));
  expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
  expect(await figures(inv.id)).toMatchObject({ status: 'open', amount_remaining: '10.00', credited_total: '90.00' });
  const numbers = results.filter((r) => r.status === 201).map((r) => Number(r.body.number.slice(3))).sort((x, y) => x - y);
  expect(numbers).toEqual([numbers[0]!, numbers[0]! + 1, numbers[0]! + 2]);
  const all = await sql(`SELECT number FROM credit_notes WHERE tenant_id = $1 ORDER BY sequence_value`, [ctx.tenant.id]);
  expect(all.map((r: { number: string }, i: number) => Number(r.number.slice(3)) - i)).toEqual(all.map(() => 1));
});

it('lists newest first, by invoice or account, with a cursor', async () => {
  const other = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Listed' });
  const inv = await inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) =>
    insertFinalisedInvoice(tx, { tenantId: ctx.tenant.id, accountId: other, currency: 'USD', lines: [POWER] }),
  );
  const ids: string[] = [];
  for (const amount of ['1.00', '2.00', '3.00']) ids.push((await credit(inv.id, { lines: [{ line_key: 'charge:power', amount }] })).body.id);
  const first = await req('GET', `/v1/credit_notes?invoice_id=${inv.id}&limit=2`);
  expect(first.body.data.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
  const second = await req('GET', `/v1/credit_notes?invoice_id=${inv.id}&limit=2&cursor=${first.body.next_cursor}`);
  expect([second.body.data.map((n: { id: string }) => n.id), second.body.has_more]).toEqual([[ids[0]], false]);
  expect((await req('GET', `/v1/credit_notes?account_id=${other}`)).body.data).toHaveLength(3);
  const bad = await req('GET', '/v1/credit_notes?invoice_id=x&account_id=y');
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['account_id', 'invoice_id']);
});
