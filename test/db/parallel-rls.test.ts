import { inTenantTransaction } from '../../db/tenant-transaction';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestTenant, type TestTenant } from '../support/tenants';

/**
 * rackrate_current_tenant() is PARALLEL SAFE (migration 0004) so bulk usage
 * aggregation can use parallel workers. Row-level security must hold in
 * those workers too: with parallelism forced, a tenant still sees exactly
 * its own rows, and the plan really is parallel.
 */
let db: TestDatabase;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestTenant(db.dataSource, 'parallel-a');
  b = await createTestTenant(db.dataSource, 'parallel-b');
  await db.dataSource.query(`SELECT rackrate_ensure_usage_partition('2044-03-01'::date)`);
  for (const [tenant, n] of [[a, 30_000], [b, 20_000]] as const) {
    await inTenantTransaction(db.dataSource, tenant.id, (tx) =>
      tx.query(
        `INSERT INTO usage_events (tenant_id, event_id, account_id, code, occurred_at, value, properties, received_at)
         SELECT $1, 'e-' || g, gen_random_uuid(), 'api.call', '2044-03-01T00:00:00Z'::timestamptz + g * interval '1 second', g, '{}', now()
           FROM generate_series(1, $2) AS g`,
        [tenant.id, n],
      ),
    );
  }
  await db.asSuperuser((c) => c.query(`ANALYZE usage_events`));
});

afterAll(async () => {
  await db.drop();
});

const FORCE_PARALLEL = [
  `SET LOCAL parallel_setup_cost = 0`,
  `SET LOCAL parallel_tuple_cost = 0`,
  `SET LOCAL min_parallel_table_scan_size = 0`,
  `SET LOCAL max_parallel_workers_per_gather = 2`,
  `SET LOCAL enable_indexscan = off`,
  `SET LOCAL enable_bitmapscan = off`,
];

async function parallelTotals(tenant: TestTenant): Promise<{ plan: string; rows: Array<{ tenant_id: string; n: string; total: string }> }> {
  return inTenantTransaction(db.dataSource, tenant.id, async (tx) => {
    for (const sql of FORCE_PARALLEL) await tx.query(sql);
    // No tenant filter on purpose: only row-level security stands between the tenants.
    const query = `SELECT tenant_id, count(*)::text AS n, sum(value)::text AS total FROM usage_events GROUP BY tenant_id`;
    const plan = ((await tx.query(`EXPLAIN ${query}`)) as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN']).join('\n');
    return { plan, rows: await tx.query(query) };
  });
}

it('parallel workers see only the bound tenant', async () => {
  const seenByA = await parallelTotals(a);
  expect(seenByA.plan).toMatch(/Gather/);
  expect(seenByA.rows).toEqual([{ tenant_id: a.id, n: '30000', total: String((30_000 * 30_001) / 2) }]);
  const seenByB = await parallelTotals(b);
  expect(seenByB.plan).toMatch(/Gather/);
  expect(seenByB.rows).toEqual([{ tenant_id: b.id, n: '20000', total: String((20_000 * 20_001) / 2) }]);
});

it('the tenant function is parallel safe (else no application query runs in parallel)', async () => {
  const [row] = (await db.dataSource.query(`SELECT proparallel FROM pg_proc WHERE proname = 'rackrate_current_tenant'`)) as Array<{ proparallel: string }>;
  expect(row?.proparallel).toBe('s');
});
