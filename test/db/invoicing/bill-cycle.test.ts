import { randomUUID } from 'node:crypto';
import { Invoice } from '../../../db/entities/invoicing/invoice';
import { dueBillingAccounts, dueDrafts, nextBillingWake } from '../../../services/invoicing/bill-run';
import { draftCycleInvoice } from '../../../services/invoicing/invoice-drafts';
import { finalizeInvoice } from '../../../services/invoicing/invoice-lifecycle';
import { createOneOffCharge } from '../../../services/invoicing/one-off-charges';
import { Decimal } from '../../../domain/money/decimal';
import { RackrateError } from '../../../lib/errors';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertAccounts, insertCharges, insertPlan, insertSubscription, insertTaxRate, systemChange, tenantTx } from '../../support/invoicing-fixtures';
import { createTestTenant, type TestTenant } from '../../support/tenants';

/**
 * A master-billing cycle on real PostgreSQL: which billing accounts are due,
 * the parent's draft grouping its children (two levels) with a child that
 * bills alone kept out, tax on the net, idempotent drafting, a late charge
 * landing on refresh, finalisation (number, due date, frozen), and a charge
 * recorded after finalisation waiting for the next cycle.
 */
let db: TestDatabase;
let tenant: TestTenant;
const P = randomUUID();
const C1 = randomUUID();
const G = randomUUID();
const C2 = randomUUID();
const subs: Record<string, string> = {};
const JAN = new Date('2031-01-01T00:00:00Z');
const FEB = new Date('2031-02-01T00:00:00Z');
const MAR = new Date('2031-03-01T00:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'bill-cycle');
  await tenantTx(db.dataSource, tenant.id, async (tx) => {
    await insertAccounts(tx, tenant.id, [
      { id: P, name: 'Parent Holdings', country: 'US', region: 'NY' },
      { id: C1, name: 'Child East', parentId: P, billToParent: true, country: 'US', region: 'NY' },
      { id: G, name: 'Grandchild Lab', parentId: C1, billToParent: true, country: 'US', region: 'NY' },
      { id: C2, name: 'Child Alone', parentId: P, billToParent: false, country: 'US', region: 'NY' },
    ]);
    const plan = await insertPlan(tx, tenant.id, { code: 'cabinet' });
    for (const a of [P, C1, G, C2]) subs[a] = await insertSubscription(tx, tenant.id, a, plan);
    await insertTaxRate(tx, tenant.id, { name: 'NY sales tax', country: 'US', region: 'NY', percentage: '8.875' });
    await insertCharges(tx, tenant.id, [
      { accountId: P, subscriptionId: subs[P]!, kind: 'recurring', product: 'cabinet', periodStart: JAN, periodEnd: FEB, amount: '1000.00' },
      { accountId: C1, subscriptionId: subs[C1]!, kind: 'recurring', product: 'cabinet', periodStart: JAN, periodEnd: FEB, amount: '500.00' },
      { accountId: G, subscriptionId: subs[G]!, kind: 'recurring', product: 'cabinet', periodStart: JAN, periodEnd: FEB, amount: '250.50' },
      { accountId: C2, subscriptionId: subs[C2]!, kind: 'recurring', product: 'cabinet', periodStart: JAN, periodEnd: FEB, amount: '300.00' },
      // Next period's fee: not due on the February invoice.
      { accountId: P, subscriptionId: subs[P]!, kind: 'recurring', product: 'cabinet', periodStart: new Date('2031-02-01T00:00:00.001Z'), periodEnd: MAR, amount: '1.00' },
    ]);
  });
});

afterAll(async () => {
  await db?.drop();
});

const run = <T>(work: Parameters<typeof tenantTx<T>>[2]) => tenantTx(db.dataSource, tenant.id, work);

test('the parent and the child billing alone are due at the bill date; the others roll up', async () => {
  const due = await run((tx) => dueBillingAccounts(tx, tenant.id, FEB, null, 100));
  expect(due.accounts.map((a) => a.billingAccountId).sort()).toEqual([P, C2].sort());
  for (const a of due.accounts) {
    expect(a.billDate).toBe(FEB.toISOString());
    expect(a.periodStart).toBe(JAN.toISOString());
  }
  // A second before January 1, the last bill date (December 1) has nothing that started by then.
  const early = await run((tx) => dueBillingAccounts(tx, tenant.id, new Date(JAN.getTime() - 1000), null, 100));
  expect(early.accounts).toEqual([]);
  // The bill run wakes a minute after the bill date, once that instant's renewals are recorded.
  expect((await run((tx) => nextBillingWake(tx, tenant.id, new Date(JAN.getTime() - 1000))))?.toISOString()).toBe('2031-01-01T00:01:00.000Z');
});

test('the master draft groups the children depth first, taxes the net and is idempotent', async () => {
  const change = systemChange(tenant.id, FEB);
  const invoice = await run((tx) => draftCycleInvoice(tx, change, { billingAccountId: P, billDate: FEB, periodStart: JAN }));
  expect(invoice).not.toBeNull();
  const doc = invoice!.document;
  expect(invoice!.status).toBe('draft');
  expect(doc.groups.map((g) => [g.account_name, g.depth, g.subtotal])).toEqual([
    ['Parent Holdings', 0, '1000.00'],
    ['Child East', 1, '500.00'],
    ['Grandchild Lab', 2, '250.50'],
  ]);
  expect(doc.groups[2]!.path).toEqual(['Parent Holdings', 'Child East', 'Grandchild Lab']);
  // 1750.50 × 8.875 % = 155.356875 → 155.36 (one rounding for the rate).
  expect(doc.totals).toMatchObject({ subtotal: '1750.50', tax_total: '155.36', total: '1905.86', amount_due: '1905.86' });
  const lineTaxes = doc.groups.flatMap((g) => g.lines.flatMap((l) => l.taxes.map((t) => new Decimal(t.amount))));
  expect(lineTaxes.reduce((a, b) => a.plus(b), new Decimal(0)).toFixed(2)).toBe('155.36');
  expect(invoice!.graceEndsAt!.toISOString()).toBe('2031-02-02T00:00:00.000Z');

  const again = await run((tx) => draftCycleInvoice(tx, systemChange(tenant.id, FEB), { billingAccountId: P, billDate: FEB, periodStart: JAN }));
  expect(again!.id).toBe(invoice!.id);
  expect(again!.revision).toBe(invoice!.revision);
  const count = await run((tx) => tx.countBy(Invoice, { tenantId: tenant.id, accountId: P }));
  expect(count).toBe(1);
});

test('a late charge lands on refresh; finalisation numbers, dates and freezes the invoice', async () => {
  await run((tx) => insertCharges(tx, tenant.id, [
    { accountId: G, subscriptionId: subs[G]!, kind: 'usage', description: 'Power, late', periodStart: JAN, periodEnd: FEB, amount: '49.50' },
  ]));
  const refreshed = await run((tx) => draftCycleInvoice(tx, systemChange(tenant.id, FEB), { billingAccountId: P, billDate: FEB, periodStart: JAN }));
  expect(refreshed!.document.totals.subtotal).toBe('1800.00');
  // 1800 × 8.875 % = 159.75
  expect(refreshed!.document.totals.total).toBe('1959.75');

  const drafts = await run((tx) => dueDrafts(tx, tenant.id, new Date('2031-02-02T00:00:00Z'), null, 10));
  expect(drafts.ids).toEqual([refreshed!.id]);
  const finalised = await run((tx) => finalizeInvoice(tx, systemChange(tenant.id, new Date('2031-02-02T00:00:00Z')), refreshed!.id));
  expect(finalised.number).toBe('INV-000001');
  expect(finalised.status).toBe('open');
  expect(finalised.dueAt!.toISOString()).toBe('2031-03-04T00:00:00.000Z');
  expect(finalised.document.number).toBe('INV-000001');

  const pending = await run((tx) => tx.query(`SELECT count(*)::int AS n FROM subscription_charges WHERE invoice_id IS NULL AND period_start <= $1`, [FEB]));
  expect(pending[0].n).toBe(1); // C2's, on its own invoice later
  await expect(run((tx) => tx.query(`UPDATE invoice_lines SET amount = 0 WHERE invoice_id = $1`, [finalised.id]))).rejects.toThrow(/immutable/);
  await expect(run((tx) => tx.query(`UPDATE invoices SET total = 0 WHERE id = $1`, [finalised.id]))).rejects.toThrow(/immutable/);
  await expect(run((tx) => finalizeInvoice(tx, systemChange(tenant.id, FEB), finalised.id))).rejects.toMatchObject({ code: 'invoice_state_conflict' });
  await expect(run((tx) => draftCycleInvoice(tx, systemChange(tenant.id, FEB), { billingAccountId: P, billDate: FEB, periodStart: JAN })))
    .resolves.toMatchObject({ id: finalised.id, status: 'open' });
});

test('a charge recorded after finalisation and a one-off charge wait for the next cycle invoice', async () => {
  await run((tx) => insertCharges(tx, tenant.id, [
    { accountId: C1, subscriptionId: subs[C1]!, kind: 'usage_adjustment', description: 'Late usage', periodStart: JAN, periodEnd: FEB, amount: '12.34' },
  ]));
  await run((tx) => createOneOffCharge(tx, systemChange(tenant.id, new Date('2031-02-10T00:00:00Z')), {
    account_id: G, description: 'Remote hands 1.5 h', quantity: new Decimal('1.5'), unit_price: new Decimal('150.00'),
  }));
  await expect(run((tx) => createOneOffCharge(tx, systemChange(tenant.id, FEB), { account_id: G, currency: 'EUR', description: 'x', unit_price: new Decimal(1) })))
    .rejects.toMatchObject({ code: 'account_currency_mismatch' } satisfies Partial<RackrateError>);

  const march = await run((tx) => draftCycleInvoice(tx, systemChange(tenant.id, MAR), { billingAccountId: P, billDate: MAR, periodStart: FEB }));
  const lines = march!.document.groups.flatMap((g) => g.lines.map((l) => [g.account_name, l.kind, l.amount]));
  expect(lines).toEqual(expect.arrayContaining([
    ['Parent Holdings', 'recurring', '1.00'],
    ['Child East', 'usage_adjustment', '12.34'],
    ['Grandchild Lab', 'one_off', '225.00'],
  ]));
  expect(lines).toHaveLength(3);
});

test('a subscription whose renewal is not recorded yet makes its account due and brings the next look five minutes closer', async () => {
  const lagging = randomUUID();
  const APR = new Date('2031-04-01T00:00:00Z');
  await run(async (tx) => {
    await insertAccounts(tx, tenant.id, [{ id: lagging, name: 'Behind Schedule' }]);
    const plan = await insertPlan(tx, tenant.id, { code: 'lag' });
    const sub = await insertSubscription(tx, tenant.id, lagging, plan);
    // The database copy says the period ended on April 1; no charge for April has been recorded.
    await tx.query(`UPDATE subscriptions SET current_period_start = $2, current_period_end = $3 WHERE id = $1`, [sub, MAR, APR]);
  });
  const asOf = new Date('2031-04-01T00:01:00Z');
  const due = await run((tx) => dueBillingAccounts(tx, tenant.id, asOf, null, 100));
  expect(due.accounts.find((a) => a.billingAccountId === lagging)).toEqual({ billingAccountId: lagging, billDate: APR.toISOString(), periodStart: MAR.toISOString() });
  expect((await run((tx) => nextBillingWake(tx, tenant.id, asOf)))?.toISOString()).toBe('2031-04-01T00:06:00.000Z');
});
