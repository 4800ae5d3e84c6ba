import { randomUUID } from 'node:crypto';
import { createCreditNoteSchema } from '../../../services/invoicing/credit-note-schemas';
import { createCreditNote } from '../../../services/invoicing/credit-notes';
import { draftCycleInvoice } from '../../../services/invoicing/invoice-drafts';
import { finalizeInvoice, voidInvoice } from '../../../services/invoicing/invoice-lifecycle';
import { recordPaymentSchema } from '../../../services/invoicing/invoice-payment-schemas';
import { recordPayment } from '../../../services/invoicing/invoice-payments';
import { accountStatement } from '../../../services/invoicing/statements';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertAccounts, insertCharges, insertPlan, insertSubscription, systemChange, tenantTx } from '../../support/invoicing-fixtures';
import { createTestTenant, type TestTenant } from '../../support/tenants';

/**
 * A statement of account in euros over three monthly invoices of a master
 * account: the opening balance carries what was owed before the window,
 * each movement (invoice, payment, credit note, void) moves the running
 * balance, the closing balance equals what the invoices still say is
 * remaining, open invoices are aged by days past due, and a child billed
 * to its parent gets its parent's statement.
 */
let db: TestDatabase;
let tenant: TestTenant;
const P = randomUUID();
const C = randomUUID();
const at = (iso: string) => new Date(iso);
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'statements');
  const run = <T>(work: Parameters<typeof tenantTx<T>>[2]) => tenantTx(db.dataSource, tenant.id, work);
  await run(async (tx) => {
    await insertAccounts(tx, tenant.id, [
      { id: P, name: 'Globex', currency: 'EUR', netTermsDays: 14 },
      { id: C, name: 'Globex Lab', currency: 'EUR', parentId: P, billToParent: true },
    ]);
    const plan = await insertPlan(tx, tenant.id, { code: 'rack', currency: 'EUR' });
    const sp = await insertSubscription(tx, tenant.id, P, plan, 'EUR');
    const sc = await insertSubscription(tx, tenant.id, C, plan, 'EUR');
    for (const [month, amount] of [['01', '1000.00'], ['02', '1000.00'], ['03', '1000.00']] as const) {
      await insertCharges(tx, tenant.id, [
        { accountId: P, subscriptionId: sp, kind: 'recurring', currency: 'EUR', periodStart: at(`2033-${month}-01T00:00:00Z`), periodEnd: at(`2033-${month}-28T00:00:00Z`), amount },
        { accountId: C, subscriptionId: sc, kind: 'recurring', currency: 'EUR', periodStart: at(`2033-${month}-01T00:00:00Z`), periodEnd: at(`2033-${month}-28T00:00:00Z`), amount: '250.50' },
      ]);
    }
  });
  for (const month of ['01', '02', '03']) {
    const bill = at(`2033-${month}-01T00:00:00Z`);
    const draft = await run((tx) => draftCycleInvoice(tx, systemChange(tenant.id, bill), { billingAccountId: P, billDate: bill, periodStart: new Date(bill.getTime() - 86_400_000 * 28) }));
    const issued = await run((tx) => finalizeInvoice(tx, systemChange(tenant.id, at(`2033-${month}-02T00:00:00Z`)), draft!.id));
    ids[month] = issued.id;
  }
  // January paid in two parts; February credited 100.00 on its line; March voided.
  await run((tx) => recordPayment(tx, systemChange(tenant.id, at('2033-01-10T00:00:00Z')), ids['01']!, recordPaymentSchema.parse({ amount: '1000.00', currency: 'EUR', method: 'wire', reference: 'W-1' })));
  await run((tx) => recordPayment(tx, systemChange(tenant.id, at('2033-02-20T00:00:00Z')), ids['01']!, recordPaymentSchema.parse({ amount: '250.50', currency: 'EUR', method: 'ach' })));
  const feb = await run((tx) => tx.query(`SELECT line_key FROM invoice_lines WHERE invoice_id = $1 AND account_id = $2`, [ids['02'], P]));
  await run((tx) => createCreditNote(tx, systemChange(tenant.id, at('2033-02-25T00:00:00Z')), ids['02']!, createCreditNoteSchema.parse({
    reason: 'service_credit', lines: [{ line_key: feb[0].line_key, amount: '100.00' }],
  })));
  await run((tx) => voidInvoice(tx, systemChange(tenant.id, at('2033-03-05T00:00:00Z')), ids['03']!));
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

test('movements, running balance, closing balance and aging', async () => {
  const statement = await tenantTx(db.dataSource, tenant.id, (tx) =>
    accountStatement(tx, tenant.id, C, at('2033-01-15T00:00:00Z'), at('2033-04-01T00:00:00Z'), at('2033-04-01T00:00:00Z')));
  expect(statement.billing_account_id).toBe(P);
  expect(statement.currency).toBe('EUR');
  // Before the window: January's invoice (1250.50) less the first payment (1000.00).
  expect(statement.opening_balance).toBe('250.50');
  expect(statement.entries.map((e) => [e.date.slice(0, 10), e.type, e.amount, e.balance])).toEqual([
    ['2033-02-02', 'invoice', '1250.50', '1501.00'],
    ['2033-02-20', 'payment', '-250.50', '1250.50'],
    ['2033-02-25', 'credit_note', '-100.00', '1150.50'],
    ['2033-03-02', 'invoice', '1250.50', '2401.00'],
    ['2033-03-05', 'void', '-1250.50', '1150.50'],
  ]);
  expect(statement.closing_balance).toBe('1150.50');
  const remaining = await tenantTx(db.dataSource, tenant.id, (tx) =>
    tx.query(`SELECT sum(amount_remaining)::text AS s FROM invoices WHERE account_id = $1 AND status <> 'void' AND number IS NOT NULL`, [P]));
  expect(Number(remaining[0].s)).toBe(1150.5);
  // February is due 14 days after 2033-02-02 (Feb 16): 44 days past due on April 1.
  expect(statement.open_invoices.map((i) => [i.number, i.amount_remaining, i.days_past_due])).toEqual([[expect.stringMatching(/^INV-/), '1150.50', 44]]);
  expect(statement.aging).toEqual({ current: '0.00', '1_30': '0.00', '31_60': '1150.50', '61_90': '0.00', over_90: '0.00' });
});
