import { invoiceSchema, invoiceSummarySchema } from '../../services/invoicing/invoice-schemas';
import { expectCreated } from '../support/catalog-fixtures';
import { startTestApi, useApiTest, type TestApi } from '../support/http';
import { insertCharges, insertPlan, insertSubscription, tenantTx } from '../support/invoicing-fixtures';
import { startBillingTemporal } from '../support/invoicing-worker';
import type { TemporalRuntime } from '../support/temporal-runtime';

/**
 * POST /v1/bill_runs on the real bill-run workflow: the Temporal test server
 * and a worker with the invoicing activities (support/invoicing-worker.ts;
 * the shared API-test runtime registers only the subscription ones). A master parent, a child rolled
 * into it and a child billing alone: the run at the bill date drafts two
 * invoices, a rerun drafts nothing, a charge recorded in the grace period
 * lands at finalisation, and the run after the grace period finalises both
 * with gapless numbers. The API's clock is set by the test.
 */
let clock = new Date('2031-03-01T12:00:00.000Z');
const ctx = useApiTest('bill-runs', { clock: { now: () => clock } });
let billing: TemporalRuntime;
let api: TestApi;
const ids: Record<'parent' | 'child' | 'alone', string> = { parent: '', child: '', alone: '' };

const req = (method: string, path: string, body?: unknown) => api.request(method, path, { key: ctx.tenant.adminKey, ...(body === undefined ? {} : { body }) });
const charge = (accountId: string, description: string, unitPrice: string, serviceDate: string) =>
  expectCreated(req('POST', '/v1/one_off_charges', { account_id: accountId, description, unit_price: unitPrice, service_date: serviceDate }));
const cycleInvoices = async () => invoiceSummarySchema.array().parse((await req('GET', '/v1/invoices?kind=cycle&limit=100')).body.data);
const linesOf = async (id: string) => invoiceSchema.parse((await req('GET', `/v1/invoices/${id}`)).body).groups;

beforeAll(async () => {
  billing = await startBillingTemporal(ctx.db.dataSource);
  api = await startTestApi(ctx.db.dataSource, { clock: { now: () => clock }, temporal: billing.temporal });
  const account = async (name: string, extra: Record<string, unknown> = {}) =>
    (await expectCreated(req('POST', '/v1/accounts', { name, currency: 'USD', timezone: 'UTC', payment_terms: { type: 'net', days: 30 }, ...extra }))).id;
  ids.parent = await account('Parent Holdings');
  ids.child = await account('Child East', { parent_id: ids.parent, bill_to_parent: true });
  ids.alone = await account('Child Alone', { parent_id: ids.parent, bill_to_parent: false });
  await tenantTx(ctx.db.dataSource, ctx.tenant.id, async (tx) => {
    const plan = await insertPlan(tx, ctx.tenant.id, { code: 'cabinet' });
    const subscription = await insertSubscription(tx, ctx.tenant.id, ids.parent, plan);
    await insertCharges(tx, ctx.tenant.id, [
      { accountId: ids.parent, subscriptionId: subscription, kind: 'recurring', product: 'cabinet', periodStart: new Date('2031-02-01T00:00:00Z'), periodEnd: new Date('2031-03-01T00:00:00Z'), amount: '1200.00' },
    ]);
  });
  await charge(ids.child, 'Remote hands', '150.00', '2031-02-15T00:00:00Z');
  await charge(ids.alone, 'Cross-connect install', '300.00', '2031-02-20T00:00:00Z');
  // March's: waits for the April invoice.
  await charge(ids.parent, 'Cage build', '999.00', '2031-03-05T00:00:00Z');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await billing?.close();
});

it('drafts every billing account due at the bill date, a child under its parent; a rerun drafts nothing', async () => {
  const res = await req('POST', '/v1/bill_runs', {});
  expect(res.status).toBe(202);
  expect(res.body).toEqual({
    workflow_id: `bill-run:${ctx.tenant.id}:${clock.toISOString()}`, as_of: clock.toISOString(), status: 'completed',
    summary: { drafted: 2, nothing_to_bill: 0, finalized: 0, skipped: 0, failed: [] },
  });
  const drafts = await cycleInvoices();
  expect(drafts.map((i) => [i.account_id, i.status, i.bill_date, i.period, i.grace_ends_at, i.total]).sort()).toEqual([
    [ids.alone, 'draft', '2031-03-01T00:00:00.000Z', { start: '2031-02-01T00:00:00.000Z', end: '2031-03-01T00:00:00.000Z' }, '2031-03-02T00:00:00.000Z', '300.00'],
    [ids.parent, 'draft', '2031-03-01T00:00:00.000Z', { start: '2031-02-01T00:00:00.000Z', end: '2031-03-01T00:00:00.000Z' }, '2031-03-02T00:00:00.000Z', '1350.00'],
  ].sort());
  const groups = await linesOf(drafts.find((i) => i.account_id === ids.parent)!.id);
  expect(groups.map((g) => [g.account_id, g.subtotal])).toEqual([[ids.parent, '1200.00'], [ids.child, '150.00']]);

  const rerun = await req('POST', '/v1/bill_runs', {});
  expect(rerun.body.summary).toEqual({ drafted: 0, nothing_to_bill: 0, finalized: 0, skipped: 0, failed: [] });
  expect((await cycleInvoices()).map((i) => i.id).sort()).toEqual(drafts.map((i) => i.id).sort());
}, 60_000);

it('after the grace period the run finalises the drafts, with the charge recorded meanwhile, numbered without gaps', async () => {
  const late = await charge(ids.child, 'Remote hands, late ticket', '45.50', '2031-02-27T00:00:00Z');
  clock = new Date('2031-03-02T00:00:01.000Z');
  const res = await req('POST', '/v1/bill_runs', {});
  expect(res.body).toMatchObject({ status: 'completed', summary: { drafted: 0, nothing_to_bill: 0, finalized: 2, skipped: 0, failed: [] } });
  const invoices = await cycleInvoices();
  expect(invoices.map((i) => i.number).sort()).toEqual(['INV-000001', 'INV-000002']);
  const master = invoices.find((i) => i.account_id === ids.parent)!;
  expect(master).toMatchObject({ status: 'open', total: '1395.50', issued_at: clock.toISOString(), due_at: '2031-04-01T00:00:01.000Z' });
  expect((await linesOf(master.id)).flatMap((g) => g.lines.map((l) => l.key))).toContain(`one_off:${late.id}`);
  // Every charge due by the bill date is on exactly one invoice; March's still waits.
  const waiting = (await req('GET', '/v1/one_off_charges?pending=true')).body.data.map((c: { description: string }) => c.description);
  expect(waiting).toEqual(['Cage build']);
  const again = await req('POST', '/v1/bill_runs', {});
  expect(again.body.summary).toEqual({ drafted: 0, nothing_to_bill: 0, finalized: 0, skipped: 0, failed: [] });
}, 60_000);
