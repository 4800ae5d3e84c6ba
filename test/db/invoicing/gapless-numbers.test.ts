import { randomUUID } from 'node:crypto';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import { Decimal } from '../../../domain/money/decimal';
import { RackrateError } from '../../../lib/errors';
import { grantCredit } from '../../../services/invoicing/credit-balance';
import { draftCycleInvoice } from '../../../services/invoicing/invoice-drafts';
import { finalizeInvoice } from '../../../services/invoicing/invoice-lifecycle';
import { updateTenantSettings } from '../../../services/tenants/tenant-service';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertAccounts, insertCharges, insertPlan, insertSubscription, systemChange, tenantTx } from '../../support/invoicing-fixtures';
import { createTestTenant } from '../../support/tenants';

/**
 * Gapless invoice numbers under concurrent finalisation: 60 drafts of one
 * tenant (two per account, some accounts with credit to spend) finalised
 * by 8 connections at once, some transactions rolling back after taking a
 * number, some invoices attempted twice at the same time, while a second
 * tenant finalises its own. Numbers come out 1..N per tenant with no gap and
 * no duplicate; a rolled-back number is given to the next invoice; the
 * credit balance is never spent twice; a new prefix continues the sequence.
 */
let db: TestDatabase;
const JAN = new Date('2031-01-01T00:00:00Z');
const FEB = new Date('2031-02-01T00:00:00Z');
const MAR = new Date('2031-03-01T00:00:00Z');
const APR = new Date('2031-04-01T00:00:00Z');
const MONTH = [JAN, FEB, MAR, APR] as const;

interface TenantSetup {
  id: string;
  accounts: string[];
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** `n` accounts billed on the 1st (UTC), each with a charge starting Jan 1, Mar 1 and Apr 1: one invoice per bill date. */
async function setUpTenant(slug: string, n: number, grants: number): Promise<TenantSetup> {
  const tenant = await createTestTenant(db.dataSource, slug);
  const accounts = Array.from({ length: n }, () => randomUUID());
  await tenantTx(db.dataSource, tenant.id, async (tx) => {
    await insertAccounts(tx, tenant.id, accounts.map((id, i) => ({ id, name: `Customer ${i}`, country: 'FR' })));
    const plan = await insertPlan(tx, tenant.id, { code: 'cabinet' });
    for (const [i, account] of accounts.entries()) {
      const sub = await insertSubscription(tx, tenant.id, account, plan);
      await insertCharges(tx, tenant.id, [0, 2, 3].map((k) => ({
        accountId: account, subscriptionId: sub, kind: 'recurring' as const, product: 'cabinet',
        periodStart: MONTH[k]!, periodEnd: new Date(Date.UTC(2031, k + 1, 1)), amount: `${100 + i}.${String(k * 7).padStart(2, '0')}`,
      })));
      // Credit for about one and a half invoices: the second finalisation of the account may spend only what is left.
      if (i < grants) await grantCredit(tx, systemChange(tenant.id, JAN), account, { amount: new Decimal(150), currency: 'USD', kind: 'prepaid', description: 'Prepaid' });
    }
  });
  return { id: tenant.id, accounts };
}

async function draft(t: TenantSetup, billDates: readonly Date[]): Promise<string[]> {
  const ids: string[] = [];
  for (const billDate of billDates) {
    for (const account of t.accounts) {
      const periodStart = new Date(Date.UTC(billDate.getUTCFullYear(), billDate.getUTCMonth() - 1, 1));
      const invoice = await tenantTx(db.dataSource, t.id, (tx) => draftCycleInvoice(tx, systemChange(t.id, billDate), { billingAccountId: account, billDate, periodStart }));
      ids.push(invoice!.id);
    }
  }
  return ids;
}

class Rollback extends Error {}

interface Outcome {
  finalised: number;
  rolledBack: string[];
  conflicts: number;
}

/**
 * Finalises every id from `workers` connections at once. Every fifth first
 * attempt rolls back after finalizeInvoice returned (the number was taken)
 * and goes back in the queue; `twice` ids are also attempted by a second
 * worker at the same moment, which must find them finalised.
 */
async function finaliseConcurrently(jobs: Array<{ tenantId: string; id: string }>, workers: number, twice: ReadonlySet<string>): Promise<Outcome> {
  const queue = jobs.flatMap((j) => (twice.has(j.id) ? [j, j] : [j]));
  const outcome: Outcome = { finalised: 0, rolledBack: [], conflicts: 0 };
  const attempts = new Map<string, number>();
  let started = 0;
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const { tenantId, id } = job;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const crash = attempt === 1 && started++ % 5 === 0;
      try {
        await inTenantTransaction(db.dataSource, tenantId, async (tx) => {
          const invoice = await finalizeInvoice(tx, systemChange(tenantId, FEB), id);
          if (crash) {
            outcome.rolledBack.push(`${tenantId}/${invoice.number}`);
            throw new Rollback();
          }
        });
        outcome.finalised += 1;
      } catch (error) {
        if (error instanceof Rollback) queue.push(job);
        else if (error instanceof RackrateError && error.code === 'invoice_state_conflict') outcome.conflicts += 1;
        else throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return outcome;
}

async function numbersOf(tenantId: string) {
  return (await tenantTx(db.dataSource, tenantId, (tx) => tx.query(
    `SELECT id, account_id, number, sequence_value::int AS value, status, total::text, credit_applied::text, document->>'number' AS document_number
       FROM invoices WHERE tenant_id = $1 AND number IS NOT NULL ORDER BY sequence_value`, [tenantId]))) as Array<{
    id: string; account_id: string; number: string; value: number; status: string; total: string; credit_applied: string; document_number: string;
  }>;
}

const expectedNumbers = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => `${prefix}${String(from + k).padStart(6, '0')}`);

test('8 connections finalise 60 invoices: numbers 1..60 without gap or duplicate, rollbacks give theirs back, the other tenant counts alone', async () => {
  const a = await setUpTenant('gapless-a', 30, 6);
  const b = await setUpTenant('gapless-b', 10, 0);
  const aDrafts = await draft(a, [FEB, MAR]);
  const bDrafts = await draft(b, [FEB]);
  expect(new Set(aDrafts).size).toBe(60);

  // Interleave the tenants so both counters are contended at the same time.
  const jobs = [...aDrafts.map((id) => ({ tenantId: a.id, id })), ...bDrafts.map((id) => ({ tenantId: b.id, id }))].sort((x, y) => (x.id < y.id ? -1 : 1));
  const twice = new Set([...aDrafts.filter((_, i) => i % 9 === 4), bDrafts[3]!]);
  const outcome = await finaliseConcurrently(jobs, 8, twice);
  expect(outcome.finalised).toBe(70);
  expect(outcome.conflicts).toBe(twice.size);
  expect(outcome.rolledBack.length).toBeGreaterThanOrEqual(10);

  const numbersA = await numbersOf(a.id);
  expect(numbersA.map((r) => r.number)).toEqual(expectedNumbers('INV-', 1, 60));
  expect(numbersA.map((r) => r.value)).toEqual(numbersA.map((_, k) => k + 1));
  expect(numbersA.map((r) => r.id).sort()).toEqual([...aDrafts].sort());
  expect(numbersA.every((r) => r.document_number === r.number && r.status !== 'draft')).toBe(true);
  const numbersB = await numbersOf(b.id);
  expect(numbersB.map((r) => r.number)).toEqual(expectedNumbers('INV-', 1, 10));
  // Every number a rolled-back transaction held went to an invoice that committed.
  const committed = new Set([...numbersA.map((r) => `${a.id}/${r.number}`), ...numbersB.map((r) => `${b.id}/${r.number}`)]);
  for (const taken of outcome.rolledBack) expect(committed.has(taken)).toBe(true);

  // Each invoice finalised once (one audit entry), and credit spent at most once: min(total, what was left), in finalisation order.
  const audited = await tenantTx(db.dataSource, a.id, (tx) => tx.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'invoice.finalized'`, [a.id]));
  expect(audited[0].n).toBe(60);
  const left = new Map(a.accounts.slice(0, 6).map((id) => [id, new Decimal(150)]));
  for (const r of numbersA) {
    const before = left.get(r.account_id) ?? new Decimal(0);
    const applied = Decimal.min(new Decimal(r.total), before);
    expect(new Decimal(r.credit_applied).toFixed(2)).toBe(applied.toFixed(2));
    left.set(r.account_id, before.minus(applied));
  }
  const balances = await tenantTx(db.dataSource, a.id, (tx) => tx.query(`SELECT account_id, sum(amount)::text AS balance FROM credit_balance_entries WHERE tenant_id = $1 GROUP BY account_id`, [a.id]));
  for (const row of balances as Array<{ account_id: string; balance: string }>) expect(new Decimal(row.balance).toFixed(2)).toBe(left.get(row.account_id)!.toFixed(2));

  const counters = await db.asSuperuser((c) => c.query(`SELECT tenant_id::text, next_value::int FROM document_number_sequences WHERE kind = 'invoice' ORDER BY next_value`));
  expect(counters.rows).toEqual([{ tenant_id: b.id, next_value: 11 }, { tenant_id: a.id, next_value: 61 }]);

  // A new prefix (PATCH /v1/tenants/{id}) continues the same sequence; issued numbers keep theirs.
  await db.dataSource.transaction((tx) =>
    updateTenantSettings(tx, { actor: { type: 'system', id: 'test', label: 'test' }, requestId: null, now: APR }, a.id, { invoice_number_prefix: 'RR-2031/' }),
  );
  const april = await draft({ ...a, accounts: a.accounts.slice(0, 5) }, [APR]);
  const more = await finaliseConcurrently([...april.map((id) => ({ tenantId: a.id, id })), { tenantId: b.id, id: (await draft({ ...b, accounts: b.accounts.slice(0, 1) }, [MAR]))[0]! }], 4, new Set());
  expect(more.finalised).toBe(6);
  const after = await numbersOf(a.id);
  expect(after.map((r) => r.number)).toEqual([...expectedNumbers('INV-', 1, 60), ...expectedNumbers('RR-2031/', 61, 65)]);
  expect(after.slice(0, 60)).toEqual(numbersA);
  expect((await numbersOf(b.id)).map((r) => r.number)).toEqual(expectedNumbers('INV-', 1, 11));
});
