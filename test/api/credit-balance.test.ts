import type { EntityManager } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { Decimal } from '../../domain/money/decimal';
import type { ChangeContext } from '../../services/change-context';
import { creditBalanceOf, recordCreditEntry } from '../../services/invoicing/credit-balance';
import { requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { invoicingFootprint } from '../support/invoice-rows';
import { createTestKey } from '../support/tenants';
import { createAccount } from '../db/metering/thresholds-fixtures';

/** GET /v1/accounts/{id}/credit_balance, POST /v1/accounts/{id}/credits, and the ledger functions finalisation uses. */
const ctx = useApiTest('credit-balance');
const req = requester(ctx);
let accountId: string;

beforeAll(async () => {
  accountId = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Prepaid' });
});

const inTenant = <T>(work: (tx: EntityManager) => Promise<T>) => inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, work);
const footprint = () => inTenant((tx) => invoicingFootprint(tx, ctx.tenant.id));
const change = (): ChangeContext => ({ tenantId: ctx.tenant.id, actor: { type: 'system', id: 'test', label: 'test' }, requestId: null, now: new Date() });
const grant = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  ctx.api.request('POST', `/v1/accounts/${id}/credits`, { key: ctx.tenant.adminKey, body: { currency: 'USD', kind: 'prepaid', description: 'Prepaid credit', ...body }, ...(headers ? { headers } : {}) });

describe('the credit balance', () => {
  it('starts at zero, grows with grants, lists the entries newest first; each grant audited and announced', async () => {
    const empty = await req('GET', `/v1/accounts/${accountId}/credit_balance`);
    expect(empty.body).toEqual({ object: 'credit_balance', account_id: accountId, currency: 'USD', balance: '0.00', entries: [] });
    const first = await grant(accountId, { amount: '500', description: 'Prepaid, PO 4471' });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/accounts/${accountId}/credit_balance`);
    expect(first.body).toMatchObject({
      object: 'credit_balance_entry', account_id: accountId, currency: 'USD', kind: 'prepaid', amount: '500.00',
      invoice_id: null, credit_note_id: null, description: 'Prepaid, PO 4471',
    });
    const second = await grant(accountId, { amount: '25.50', kind: 'adjustment', description: 'Goodwill' });
    const res = await req('GET', `/v1/accounts/${accountId}/credit_balance`);
    expect(res.body.balance).toBe('525.50');
    expect(res.body.entries).toEqual([second.body, first.body]);
    const events = await req('GET', `/v1/domain_events?resource_id=${first.body.id}`);
    expect(events.body.data.map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([['credit_balance_entry.created', first.body]]);
    const key = await inTenant((tx) => tx.query(`SELECT entry_key FROM credit_balance_entries WHERE id = $1`, [first.body.id]));
    expect(key).toEqual([{ entry_key: `grant:${first.body.id}` }]);
  });

  it('a retried grant with the same Idempotency-Key grants once', async () => {
    const account = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Retry' });
    const headers = { 'Idempotency-Key': 'grant-retry-1' };
    const a = await grant(account, { amount: '10.00' }, headers);
    const b = await grant(account, { amount: '10.00' }, headers);
    expect([a.status, b.status, b.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect(b.body).toEqual(a.body);
    expect((await req('GET', `/v1/accounts/${account}/credit_balance`)).body.balance).toBe('10.00');
  });

  it('shows the latest 50 entries; the balance counts them all', async () => {
    const account = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Many' });
    await inTenant(async (tx) => {
      for (let i = 0; i < 55; i++) {
        await recordCreditEntry(tx, change(), { accountId: account, currency: 'USD', entryKey: `test:${i}`, kind: 'adjustment', amount: new Decimal('1.01'), description: `#${i}` });
      }
    });
    const res = await req('GET', `/v1/accounts/${account}/credit_balance`);
    expect([res.body.balance, res.body.entries.length, res.body.entries[0].description]).toEqual(['55.55', 50, '#54']);
  });
});

describe('refusals change nothing', () => {
  it('names every bad field at once; amounts finer than the currency are refused, not rounded', async () => {
    const before = await footprint();
    const res = await grant(accountId, { amount: '0', currency: 'XYZ', kind: 'gift', description: '', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'currency', 'description', 'extra', 'kind']);
    const precise = await grant(accountId, { amount: '10.001' });
    expect([precise.status, precise.body.errors]).toEqual([400, [expect.objectContaining({ field: 'amount', code: 'invalid', message: 'USD amounts have at most 2 decimal places' })]]);
    const negative = await grant(accountId, { amount: '-5.00' });
    expect(negative.body.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
    expect(await footprint()).toEqual(before);
  });

  it("refuses another currency than the account's, an archived account and an unknown one", async () => {
    const yen = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Yen', currency: 'JPY' });
    const archived = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Gone' });
    await req('POST', `/v1/accounts/${archived}/archive`);
    const before = await footprint();
    const mismatch = await grant(accountId, { amount: '10.00', currency: 'EUR' });
    expect([mismatch.status, mismatch.body.code, mismatch.body.errors]).toEqual([422, 'account_currency_mismatch', [expect.objectContaining({ field: 'currency', code: 'mismatch' })]]);
    const yenFraction = await grant(yen, { amount: '100.5', currency: 'JPY' });
    expect([yenFraction.status, yenFraction.body.errors[0].field]).toEqual([400, 'amount']);
    const gone = await grant(archived, { amount: '1.00' });
    expect([gone.status, gone.body.code]).toEqual([409, 'account_archived']);
    const missing = '01900000-0000-7000-8000-000000000000';
    expect((await grant(missing, { amount: '1.00' })).status).toBe(404);
    expect((await req('GET', `/v1/accounts/${missing}/credit_balance`)).status).toBe(404);
    expect(await footprint()).toEqual(before);
  });

  it('needs write scope to grant and read scope to look', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    const body = { amount: '1.00', currency: 'USD', kind: 'prepaid', description: 'x' };
    expect((await ctx.api.request('POST', `/v1/accounts/${accountId}/credits`, { key: reader, body })).status).toBe(403);
    expect((await ctx.api.request('GET', `/v1/accounts/${accountId}/credit_balance`, { key: reader })).status).toBe(200);
  });
});

describe('recordCreditEntry and creditBalanceOf (for finalisation)', () => {
  it('records each key once; using credit lowers the balance but never below zero', async () => {
    const account = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Ledger' });
    const entry = (entryKey: string, amount: string, kind: 'prepaid' | 'invoice_applied' = 'prepaid') =>
      inTenant((tx) => recordCreditEntry(tx, change(), { accountId: account, currency: 'USD', entryKey, kind, amount: new Decimal(amount), description: entryKey }));
    expect(await entry('grant:a', '100.00')).toBe(true);
    expect(await entry('grant:a', '100.00')).toBe(false);
    expect(await entry('invoice:x:applied', '-60.00', 'invoice_applied')).toBe(true);
    // A retried step finds its key even once the balance it spent is gone.
    expect(await entry('invoice:x:applied', '-60.00', 'invoice_applied')).toBe(false);
    await expect(entry('invoice:y:applied', '-40.01', 'invoice_applied')).rejects.toThrow(/would spend 40.01 of a 40.00 USD balance/);
    await expect(entry('grant:b', '0.001')).rejects.toThrow(RangeError);
    expect((await inTenant((tx) => creditBalanceOf(tx, ctx.tenant.id, account, 'USD'))).toFixed(2)).toBe('40.00');
    expect((await inTenant((tx) => creditBalanceOf(tx, ctx.tenant.id, account, 'EUR'))).toFixed(2)).toBe('0.00');
  });

  it('a spend waits for a concurrent spend of the same balance to commit, then sees it', async () => {
    const account = await createAccount(ctx.api, ctx.tenant.adminKey, { name: 'Contended' });
    await inTenant((tx) => recordCreditEntry(tx, change(), { accountId: account, currency: 'USD', entryKey: 'grant:c', kind: 'prepaid', amount: new Decimal('50.00'), description: 'c' }));
    const spend = (tx: EntityManager, i: number) =>
      recordCreditEntry(tx, change(), { accountId: account, currency: 'USD', entryKey: `invoice:${i}:applied`, kind: 'invoice_applied', amount: new Decimal('-30.00'), description: `${i}` });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstSpent!: () => void;
    const spent = new Promise<void>((resolve) => (firstSpent = resolve));
    // The first spend stays uncommitted until released; the second starts meanwhile.
    const first = inTenant(async (tx) => {
      await spend(tx, 1);
      firstSpent();
      await held;
    });
    await spent;
    let secondDone = false;
    const second = inTenant((tx) => spend(tx, 2)).finally(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondDone).toBe(false);
    release();
    await first;
    await expect(second).rejects.toThrow(/would spend 30.00 of a 20.00 USD balance/);
    expect((await req('GET', `/v1/accounts/${account}/credit_balance`)).body.balance).toBe('20.00');
  });
});
