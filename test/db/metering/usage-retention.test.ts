import { inTenantTransaction } from '../../../db/tenant-transaction';
import { maintainUsageStorage } from '../../../services/metering/usage-retention';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTestTenant, type TestTenant } from '../../support/tenants';

/**
 * Usage storage upkeep on real PostgreSQL: monthly partitions exist ahead of
 * time and carry the parent's row-level security; months past retention are
 * dropped whole with their sample rollup; idempotency keys older than the
 * late-event window plus a day go, younger ones stay.
 */
let db: TestDatabase;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestTenant(db.dataSource, 'retention-a');
  b = await createTestTenant(db.dataSource, 'retention-b');
});

afterAll(async () => {
  await db.drop();
});

const partitions = async (): Promise<string[]> =>
  db.asSuperuser(async (c) =>
    (await c.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1`)).rows.map(
      (r: { relname: string }) => r.relname,
    ),
  );

async function insertEvent(tenant: TestTenant, id: string, occurredAt: string): Promise<void> {
  await db.dataSource.query(`SELECT rackrate_ensure_usage_partition($1::date)`, [occurredAt.slice(0, 10)]);
  await inTenantTransaction(db.dataSource, tenant.id, async (tx) => {
    await tx.query(`INSERT INTO usage_event_ids (tenant_id, event_id, occurred_at, received_at) VALUES ($1, $2, $3, now())`, [tenant.id, id, occurredAt]);
    await tx.query(
      `INSERT INTO usage_events (tenant_id, event_id, account_id, code, occurred_at, value, properties, received_at)
       VALUES ($1, $2, gen_random_uuid(), 'energy', $3, 1, '{}', now())`,
      [tenant.id, id, occurredAt],
    );
    await tx.query(
      `INSERT INTO usage_samples (tenant_id, account_id, subscription_id, code, property, series, slot_minutes, day, in_sum, in_count, out_sum, out_count, updated_at)
       VALUES ($1, gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'rate', 'bps', '{}', 5, $2::date,
               array_fill(0::float8, ARRAY[288]), array_fill(0, ARRAY[288]), array_fill(0::float8, ARRAY[288]), array_fill(0, ARRAY[288]), now())`,
      [tenant.id, occurredAt.slice(0, 10)],
    );
  });
}

it('creates this month and the next two, with row-level security forced on each partition', async () => {
  const result = await maintainUsageStorage(db.dataSource, { now: new Date('2043-12-15T00:00:00Z'), retentionMonths: 25 });
  expect(result.partitionsCreated).toEqual(['2043-12', '2044-01', '2044-02']);
  expect(await partitions()).toEqual(['usage_events_y2043m12', 'usage_events_y2044m01', 'usage_events_y2044m02']);
  const security = await db.asSuperuser(async (c) =>
    (await c.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'usage_events_y2044m01'`)).rows[0],
  );
  expect(security).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  // A second run changes nothing.
  expect((await maintainUsageStorage(db.dataSource, { now: new Date('2043-12-16T00:00:00Z'), retentionMonths: 25 })).partitionsCreated).toEqual([]);
});

it('a partition queried directly still shows only the bound tenant', async () => {
  await insertEvent(a, 'a-1', '2044-01-10T00:00:00Z');
  await insertEvent(b, 'b-1', '2044-01-11T00:00:00Z');
  const seen = await inTenantTransaction(db.dataSource, a.id, (tx) => tx.query(`SELECT event_id FROM usage_events_y2044m01`));
  expect(seen).toEqual([{ event_id: 'a-1' }]);
});

it('drops months past retention with their samples, and prunes keys older than the late window plus a day', async () => {
  await insertEvent(a, 'old', '2041-10-31T23:59:59Z');
  await insertEvent(a, 'kept', '2041-11-01T00:00:00Z');
  await insertEvent(a, 'key-old', '2043-11-08T00:00:00Z');
  await insertEvent(b, 'key-young', '2043-11-10T00:00:00Z');
  // Now 2043-12-15: keep November 2041 onwards (the 25 whole months before December 2043); keys from 2043-11-09 on.
  const result = await maintainUsageStorage(db.dataSource, { now: new Date('2043-12-15T00:00:00Z'), retentionMonths: 25 });
  expect(result.partitionsDropped).toEqual(['usage_events_y2041m10']);
  expect(result.sampleRowsDeleted).toBe(1);
  expect(await partitions()).toContain('usage_events_y2041m11');
  const ids = await db.asSuperuser(async (c) => (await c.query(`SELECT event_id FROM usage_event_ids ORDER BY 1`)).rows.map((r: { event_id: string }) => r.event_id));
  // 'old' and 'kept' are older than the key window too; 'key-old' is 37 days old, 'key-young' 35.
  expect(ids).toEqual(['a-1', 'b-1', 'key-young']);
  expect(result.eventIdsDeleted).toBe(3);
  const events = await db.asSuperuser(async (c) => (await c.query(`SELECT event_id FROM usage_events ORDER BY 1`)).rows.map((r: { event_id: string }) => r.event_id));
  expect(events.sort()).toEqual(['a-1', 'b-1', 'kept', 'key-old', 'key-young']);
});
