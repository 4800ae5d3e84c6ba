import { Client } from 'pg';
import { inTenantTransaction, roleBypassesRls } from '../../db/tenant-transaction';
import { createAccount } from '../../services/accounts/account-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestTenant, type TestTenant } from '../support/tenants';

/**
 * The second wall: even SQL that forgets `WHERE tenant_id = ...` sees and
 * touches only the tenant its transaction is bound to, and nothing at all
 * outside a tenant transaction.
 */
let db: TestDatabase;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestTenant(db.dataSource, 'rls-a');
  b = await createTestTenant(db.dataSource, 'rls-b');
  const actor = { type: 'system' as const, id: 'test', label: 'test' };
  for (const t of [a, b]) {
    await inTenantTransaction(db.dataSource, t.id, (tx) =>
      createAccount(tx, { tenantId: t.id, actor, requestId: null, now: new Date() }, { name: `${t.slug} account`, currency: 'USD' }),
    );
  }
});

afterAll(async () => {
  await db.drop();
});

const TENANT_TABLES = ['accounts', 'audit_log', 'outbox_events', 'idempotency_keys'];

it('the application role is not a superuser and does not bypass RLS', async () => {
  expect(await roleBypassesRls(db.dataSource)).toBe(false);
});

it('every tenant table forces row-level security', async () => {
  const rows = await db.asSuperuser(async (c) =>
    (await c.query(`SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`, [TENANT_TABLES])).rows,
  );
  expect(rows).toHaveLength(TENANT_TABLES.length);
  for (const row of rows) expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
});

it('outside a tenant transaction, tenant tables show nothing', async () => {
  for (const table of ['accounts', 'audit_log', 'outbox_events']) {
    const rows: Array<{ n: string }> = await db.dataSource.query(`SELECT count(*) AS n FROM ${table}`);
    expect(Number(rows[0]!.n)).toBe(0);
  }
  // While the superuser sees them all.
  const all = await db.asSuperuser(async (c) => Number((await c.query('SELECT count(*) AS n FROM accounts')).rows[0].n));
  expect(all).toBe(2);
});

it("a query without a tenant filter sees only the bound tenant's rows", async () => {
  const seen = await inTenantTransaction(db.dataSource, a.id, (tx) => tx.query('SELECT tenant_id, name FROM accounts'));
  expect(seen).toEqual([{ tenant_id: a.id, name: 'rls-a account' }]);
});

it("cannot write a row for another tenant, nor change or delete another tenant's rows", async () => {
  await expect(
    inTenantTransaction(db.dataSource, a.id, (tx) =>
      tx.query(
        `INSERT INTO audit_log (tenant_id, id, occurred_at, actor_type, actor_label, action, resource_type, resource_id)
         VALUES ($1, gen_random_uuid(), now(), 'system', 'x', 'x', 'x', 'x')`,
        [b.id],
      ),
    ),
  ).rejects.toThrow(/row-level security/);
  const updated = await inTenantTransaction(db.dataSource, a.id, async (tx) => {
    const [, count] = (await tx.query(`UPDATE accounts SET name = 'hijacked' WHERE tenant_id = $1`, [b.id])) as [unknown, number];
    return count;
  });
  expect(updated).toBe(0);
  const deleted = await inTenantTransaction(db.dataSource, a.id, async (tx) => {
    const [, count] = (await tx.query(`DELETE FROM outbox_events WHERE tenant_id = $1`, [b.id])) as [unknown, number];
    return count;
  });
  expect(deleted).toBe(0);
  const bName = await db.asSuperuser(async (c) => (await c.query('SELECT name FROM accounts WHERE tenant_id = $1', [b.id])).rows[0].name);
  expect(bName).toBe('rls-b account');
});

it('the tenant binding ends with its transaction, so a pooled connection does not carry it over', async () => {
  // A pool of one connection: the second query runs on the same session as the first.
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('rackrate.tenant_id', $1, true)`, [a.id]);
    expect(Number((await client.query('SELECT count(*) AS n FROM accounts')).rows[0].n)).toBe(1);
    await client.query('COMMIT');
    expect(Number((await client.query('SELECT count(*) AS n FROM accounts')).rows[0].n)).toBe(0);
  } finally {
    await client.end();
  }
});
