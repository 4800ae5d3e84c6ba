import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage metering (docs/metering.md).
 *
 * - `usage_events`: every accepted event, range-partitioned by month of
 *   `occurred_at`. Partitions are created on demand by
 *   `rackrate_ensure_usage_partition` (before an ingest transaction writes
 *   into a month) and ahead of time by housekeeping; retention drops whole
 *   partitions. Each partition gets the parent's row-level security.
 * - `usage_event_ids`: the idempotency keys, one per (tenant, event id) across
 *   all months, so a replay is recognised whatever its timestamp. Pruned
 *   once an id is older than the late-event window (older events are refused
 *   at ingest anyway).
 * - `usage_samples`: the rollup the percentile needs: per port (series) and
 *   UTC day, the sum and count of rate samples per slot, folded in by the
 *   ingest transaction itself.
 * - `usage_ratings`: what was rated for each subscription, usage charge and
 *   period, and when (database clock), so late events can be found and
 *   billed as adjustments.
 * - Bill-shock thresholds, the crossings already announced (one per
 *   threshold, level and period) and the queue of accounts to re-check.
 */
const TENANT_TABLES = [
  'usage_events',
  'usage_event_ids',
  'usage_samples',
  'usage_ratings',
  'usage_thresholds',
  'usage_threshold_crossings',
  'usage_threshold_queue',
];

const CHARGE_KINDS_BEFORE = `'recurring', 'proration_credit', 'proration_charge', 'one_time', 'discount', 'usage'`;

export class Metering1764072000004 implements MigrationInterface {
  name = 'Metering1764072000004';

  async up(q: QueryRunner): Promise<void> {
    // No foreign keys on the tables ingest writes (events, their ids, the
    // sample rollup): ingest resolves every account and subscription itself,
    // row-level security's WITH CHECK pins tenant_id, and a per-row key check
    // costs about a sixth of the ingest's database time. Event ids compare
    // bytewise (COLLATE "C"): they are keys, not words, and a locale
    // collation would slow the key index.
    await q.query(`
      CREATE TABLE usage_events (
        tenant_id uuid NOT NULL,
        event_id text COLLATE "C" NOT NULL,
        account_id uuid NOT NULL,
        subscription_id uuid,
        code text NOT NULL,
        occurred_at timestamptz NOT NULL,
        value numeric,
        properties jsonb NOT NULL,
        received_at timestamptz NOT NULL
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query(`CREATE INDEX usage_events_account_idx ON usage_events (tenant_id, account_id, code, occurred_at)`);

    await q.query(`
      CREATE TABLE usage_event_ids (
        tenant_id uuid NOT NULL,
        event_id text COLLATE "C" NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, event_id)
      )`);

    // subscription_id is the nil UUID for samples attributed to no
    // subscription (a primary key column cannot be null).
    await q.query(`
      CREATE TABLE usage_samples (
        tenant_id uuid NOT NULL,
        account_id uuid NOT NULL,
        subscription_id uuid NOT NULL,
        code text NOT NULL,
        property text NOT NULL,
        series jsonb NOT NULL,
        slot_minutes smallint NOT NULL CHECK (slot_minutes BETWEEN 1 AND 60 AND 1440 % slot_minutes = 0),
        day date NOT NULL,
        in_sum float8[] NOT NULL, in_count integer[] NOT NULL,
        out_sum float8[] NOT NULL, out_count integer[] NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, account_id, code, property, slot_minutes, subscription_id, series, day)
      )`);

    await q.query(`
      CREATE TABLE usage_ratings (
        tenant_id uuid NOT NULL, subscription_id uuid NOT NULL,
        item_code text NOT NULL, charge_key text NOT NULL,
        period_start timestamptz NOT NULL, period_end timestamptz NOT NULL CHECK (period_end > period_start),
        metric_code text NOT NULL,
        result jsonb NOT NULL,
        first_rated_at timestamptz NOT NULL, rated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, subscription_id, item_code, charge_key, period_start),
        FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE usage_thresholds (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        account_id uuid NOT NULL, subscription_id uuid,
        basis text NOT NULL CHECK (basis IN ('units', 'amount')),
        metric_code text,
        reference text NOT NULL CHECK (reference IN ('value', 'commit')),
        reference_value numeric CHECK (reference_value > 0),
        percents numeric[] NOT NULL CHECK (cardinality(percents) BETWEEN 1 AND 10),
        status text NOT NULL CHECK (status IN ('active', 'archived')),
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL,
        PRIMARY KEY (tenant_id, id),
        CHECK ((basis = 'units') = (metric_code IS NOT NULL)),
        CHECK ((reference = 'value') = (reference_value IS NOT NULL)),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX usage_thresholds_account_idx ON usage_thresholds (tenant_id, account_id) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE usage_threshold_crossings (
        tenant_id uuid NOT NULL, threshold_id uuid NOT NULL,
        period_start timestamptz NOT NULL, percent numeric NOT NULL,
        period_end timestamptz NOT NULL, observed numeric NOT NULL, reference_value numeric NOT NULL,
        crossed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, threshold_id, period_start, percent),
        FOREIGN KEY (tenant_id, threshold_id) REFERENCES usage_thresholds (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE usage_threshold_queue (
        tenant_id uuid NOT NULL REFERENCES tenants (id), account_id uuid NOT NULL,
        enqueued_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, account_id)
      )`);

    await q.query(`ALTER TABLE subscription_charges DROP CONSTRAINT subscription_charges_kind_check`);
    await q.query(`ALTER TABLE subscription_charges ADD CONSTRAINT subscription_charges_kind_check
      CHECK (kind IN (${CHARGE_KINDS_BEFORE}, 'usage_adjustment'))`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = rackrate_current_tenant())
          WITH CHECK (tenant_id = rackrate_current_tenant())`);
    }

    // Row-level security calls this in every policy; without PARALLEL SAFE no
    // query of the application role could use parallel workers (bulk usage
    // aggregation ran on one core). The setting it reads is copied to parallel
    // workers with the rest of the transaction's GUC state.
    await q.query(`ALTER FUNCTION rackrate_current_tenant() PARALLEL SAFE`);

    // Creates the month's partition with the parent's row-level security;
    // a no-op when it exists. Serialised by an advisory lock so concurrent
    // ingests of a new month do not race on the DDL.
    await q.query(`
      CREATE FUNCTION rackrate_ensure_usage_partition(month date) RETURNS boolean
        LANGUAGE plpgsql
        AS $$
        DECLARE
          first date := date_trunc('month', month)::date;
          partition_name text := format('usage_events_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
        BEGIN
          IF to_regclass(partition_name) IS NOT NULL THEN RETURN false; END IF;
          PERFORM pg_advisory_xact_lock(hashtext('rackrate_ensure_usage_partition'));
          IF to_regclass(partition_name) IS NOT NULL THEN RETURN false; END IF;
          EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
                         partition_name, first::timestamp AT TIME ZONE 'UTC', (first + interval '1 month')::timestamp AT TIME ZONE 'UTC');
          EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', partition_name);
          EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', partition_name);
          EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = rackrate_current_tenant()) WITH CHECK (tenant_id = rackrate_current_tenant())', partition_name);
          RETURN true;
        END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION rackrate_ensure_usage_partition(date)`);
    await q.query(`ALTER FUNCTION rackrate_current_tenant() PARALLEL UNSAFE`);
    await q.query(`ALTER TABLE subscription_charges DROP CONSTRAINT subscription_charges_kind_check`);
    await q.query(`ALTER TABLE subscription_charges ADD CONSTRAINT subscription_charges_kind_check CHECK (kind IN (${CHARGE_KINDS_BEFORE}))`);
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
