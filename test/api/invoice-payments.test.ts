import { inTenantTransaction } from '../../db/tenant-transaction';
import { requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { insertFinalisedInvoice, invoicingFootprint, type FinalisedInvoiceInput } from '../support/invoice-rows';
import { createTestKey } from '../support/tenants';
import { createAccount } from '../db/metering/thresholds-fixtures';

/** POST/GET /v1/invoices/{id}/payments: payments move the invoice to partially paid or paid, never past what it owes. */
const ctx = useApiTest('invoice-payments');
const req = requester(ctx);
let accountId: string;

beforeAll(async () => {
  accountId = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Paying' });
});

const LINE = { key: 'charge:cabinet', amount: '1000.00', taxAmount: '200.00', description: 'Cabinet' };

const invoice = (extra: Partial<FinalisedInvoiceInput> = {}) =>
  inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => insertFinalisedInvoice(tx, { tenantId: ctx.tenant.id, accountId, currency: 'USD', lines: [LINE], ...extra }));
const sql = (query: string, params: unknown[]) => inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => tx.query(query, params));
const figures = async (id: string) => (await sql(`SELECT status, amount_paid::text, amount_remaining::text, paid_at FROM invoices WHERE id = $1`, [id]))[0];
const footprint = () => inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => invoicingFootprint(tx, ctx.tenant.id));
const pay = (invoiceId: string, body: Record<string, unknown>) => req('POST', `/v1/invoices/${invoiceId}/payments`, { currency: 'USD', method: 'wire', ...body });

describe('recording payments', () => {
  it('a part, then the rest: partially paid, then paid; each payment announced, the invoice audited', async () => {
    const inv = await invoice();
    const first = await pay(inv.id, { amount: '200', method: 'check', reference: 'CHK 10442', received_at: '2026-01-05T10:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      object: 'invoice_payment', invoice_id: inv.id, account_id: accountId, amount: '200.00', currency: 'USD', method: 'check',
      reference: 'CHK 10442', received_at: '2026-01-05T10:00:00.000Z',
    });
    expect(await figures(inv.id)).toMatchObject({ status: 'partially_paid', amount_paid: '200.00', amount_remaining: '1000.00', paid_at: null });
    const rest = await pay(inv.id, { amount: '1000.00' });
    expect(rest.body.received_at).toBe(rest.body.created_at);
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', amount_paid: '1200.00', amount_remaining: '0.00', paid_at: expect.any(Date) });

    const events = await req('GET', `/v1/domain_events?resource_id=${first.body.id}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([['invoice.payment_recorded', first.body]]);
    const invoiceEvents = await req('GET', `/v1/domain_events?resource_id=${inv.id}`);
    expect(invoiceEvents.body.data.map((e: { type: string }) => e.type)).toEqual(['invoice.paid', 'invoice.updated']);
    expect(invoiceEvents.body.data[0].data).toMatchObject({ status: 'paid', amount_paid: '1200.00', amount_remaining: '0.00' });

    const listed = await req('GET', `/v1/invoices/${inv.id}/payments?limit=1`);
    expect([listed.body.data, listed.body.has_more]).toEqual([[rest.body], true]);
    const next = await req('GET', `/v1/invoices/${inv.id}/payments?limit=1&cursor=${listed.body.next_cursor}`);
    expect([next.body.data, next.body.has_more]).toEqual([[first.body], false]);
  });

  it('an uncollectible invoice stays uncollectible until paid in full', async () => {
    const inv = await invoice({ status: 'uncollectible' });
    await pay(inv.id, { amount: '700.00' });
    expect(await figures(inv.id)).toMatchObject({ status: 'uncollectible', amount_remaining: '500.00' });
    await pay(inv.id, { amount: '500.00' });
    expect(await figures(inv.id)).toMatchObject({ status: 'paid', amount_remaining: '0.00' });
  });
});

describe('refusals change nothing', () => {
  it.each([
    ['a draft', { status: 'draft' as const }],
    ['a void invoice', { status: 'void' as const }],
    ['a paid invoice', { status: 'paid' as const }],
  ])('%s takes no payment', async (_label, extra) => {
    const inv = await invoice(extra);
    const before = await footprint();
    const res = await pay(inv.id, { amount: '1.00' });
    expect([res.status, res.body.code]).toEqual([409, 'invoice_state_conflict']);
    expect(await footprint()).toEqual(before);
  });

  it('more than remains, another currency, finer than cents, in the future', async () => {
    const inv = await invoice({ status: 'partially_paid', amountPaid: '1000.00' });
    const before = await footprint();
    const over = await pay(inv.id, { amount: '200.01' });
    expect([over.status, over.body.code, over.body.errors]).toEqual([422, 'payment_exceeds_balance', [expect.objectContaining({ field: 'amount', code: 'exceeds_remaining' })]]);
    const euros = await pay(inv.id, { amount: '10.00', currency: 'EUR' });
    expect([euros.status, euros.body.code, euros.body.errors]).toEqual([422, 'account_currency_mismatch', [expect.objectContaining({ field: 'currency' })]]);
    const precise = await pay(inv.id, { amount: '10.005' });
    expect([precise.status, precise.body.errors]).toEqual([400, [expect.objectContaining({ field: 'amount', message: 'USD amounts have at most 2 decimal places' })]]);
    const future = await pay(inv.id, { amount: '10.00', received_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect([future.status, future.body.errors]).toEqual([400, [expect.objectContaining({ field: 'received_at', code: 'in_future' })]]);
    const bad = await pay(inv.id, { amount: 10, currency: 'usd', method: 'bitcoin', reference: '', received_at: 'yesterday', note: 'x' });
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'currency', 'method', 'note', 'received_at', 'reference']);
    const missing = '01900000-0000-7000-8000-000000000000';
    expect((await pay(missing, { amount: '1.00' })).status).toBe(404);
    expect((await req('GET', `/v1/invoices/${missing}/payments`)).status).toBe(404);
    expect(await footprint()).toEqual(before);
  });

  it('needs write scope to record and read scope to list', async () => {
    const inv = await invoice();
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const body = { amount: '1.00', currency: 'USD', method: 'cash' };
    expect((await ctx.api.request('POST', `/v1/invoices/${inv.id}/payments`, { key: reader, body })).status).toBe(403);
    expect((await ctx.api.request('GET', `/v1/invoices/${inv.id}/payments`, { key: reader })).status).toBe(200);
  });
});

describe('concurrency', () => {
  it('concurrent payments never together exceed the invoice', async () => {
    const inv = await invoice({ lines: [{ key: 'a', amount: '100.00', taxAmount: '0.00', description: 'Port' }] });
    const results = await Promise.all(Array.from({ length: 6 }, () => pay(inv.id, { amount: '30.00' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
    expect(await figures(inv.id)).toMatchObject({ status: 'partially_paid', amount_paid: '90.00', amount_remaining: '10.00' });
  });

  it('concurrent payments and credit notes keep amount_remaining = amount_due - paid - credit applied, never below zero', async () => {
    const inv = await invoice({ lines: [{ key: 'a', amount: '100.00', taxAmount: '0.00', description: 'Port' }] });
    const requests = [
      ...Array.from({ length: 3 }, () => pay(inv.id, { amount: '25.00' })),
      ...Array.from({ length: 3 }, () => req('POST', `/v1/invoices/${inv.id}/credit_notes`, { reason: 'service_credit', lines: [{ line_key: 'a', amount: '25.00' }] })),
    ];
    const results = await Promise.all(requests);
    // Once the invoice is settled it is paid: a later payment is refused as a state conflict (409), while a later
    // credit note still credits the line and goes to the credit balance; which requests come last is up to the race.
    const refusedAfterSettling = (r: { status: number; body: unknown }) => r.status === 409 && (r.body as { code?: string }).code === 'invoice_state_conflict';
    expect(results.filter((r) => r.status !== 201 && r.status !== 422 && !refusedAfterSettling(r)).map((r) => r.text)).toEqual([]);
    const [row] = await sql(
      `SELECT i.amount_due::text, i.amount_paid::text, i.amount_remaining::text, i.credited_total::text,
              (SELECT COALESCE(SUM(applied_to_invoice), 0) FROM credit_notes n WHERE n.invoice_id = i.id)::text AS applied,
              (SELECT COALESCE(SUM(amount), 0) FROM invoice_payments p WHERE p.invoice_id = i.id)::text AS payments
         FROM invoices i WHERE i.id = $1`,
      [inv.id],
    );
    expect(Number(row.amount_paid)).toBe(Number(row.payments));
    expect(Number(row.amount_remaining)).toBe(Number(row.amount_due) - Number(row.amount_paid) - Number(row.applied));
    expect(Number(row.amount_remaining)).toBeGreaterThanOrEqual(0);
    // Four of 25.00 fill the invoice; the rest of the credits went to the balance, the extra payments were refused.
    expect(Number(row.amount_paid) + Number(row.applied)).toBe(100);
  });
});
