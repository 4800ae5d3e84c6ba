import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, API keys, accounts, audit log, outbox and idempotency keys.
 *
 * Tenant data tables carry tenant_id in every primary and unique key and sit
 * under FORCEd row-level security keyed on the transaction-local setting
 * `rackrate.tenant_id` (see db/tenant-transaction.ts): a query that forgot
 * its WHERE tenant_id = ... still sees only the current tenant's rows, and a
 * query run outside a tenant transaction sees none. `tenants` and `api_keys`
 * are platform tables read before a tenant is known (authentication), so
 * they are outside RLS; `api_keys.prefix` is globally unique because it is
 * the lookup handle of a presented key.
 */
export class Foundation1764072000001 implements MigrationInterface {
  name = 'Foundation1764072000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION rackrate_current_tenant() RETURNS uuid
        LANGUAGE sql STABLE
        AS $$ SELECT NULLIF(current_setting('rackrate.tenant_id', true), '')::uuid $$`);

    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        status text NOT NULL CHECK (status IN ('active', 'suspended')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix text NOT NULL UNIQUE,
        secret_hash bytea NOT NULL,
        scopes text[] NOT NULL
          CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['admin', 'read', 'ingest', 'portal']),
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, id)`);

    await q.query(`
      CREATE TABLE accounts (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        id uuid NOT NULL,
        external_id text,
        name text NOT NULL,
        legal_name text,
        email text,
        currency char(3) NOT NULL,
        timezone text NOT NULL,
        locale text NOT NULL,
        billing_anchor_day smallint NOT NULL CHECK (billing_anchor_day BETWEEN 1 AND 31),
        net_terms_days integer NOT NULL CHECK (net_terms_days BETWEEN 0 AND 365),
        tax_ids jsonb NOT NULL,
        tax_exemption text NOT NULL CHECK (tax_exemption IN ('none', 'exempt', 'reverse_charge')),
        billing_address jsonb,
        service_address jsonb,
        contacts jsonb NOT NULL,
        invoice_delivery text NOT NULL CHECK (invoice_delivery IN ('email', 'postal', 'portal', 'none')),
        metadata jsonb NOT NULL,
        parent_id uuid,
        bill_to_parent boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'archived')),
        archived_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT accounts_parent_fk FOREIGN KEY (tenant_id, parent_id) REFERENCES accounts (tenant_id, id),
        CONSTRAINT accounts_parent_not_self CHECK (parent_id IS NULL OR parent_id <> id),
        CONSTRAINT accounts_bill_to_parent_needs_parent CHECK (NOT bill_to_parent OR parent_id IS NOT NULL),
        CONSTRAINT accounts_archived_at CHECK ((status = 'archived') = (archived_at IS NOT NULL))
      )`);
    // Unique among active accounts: an archived customer's CRM id can be reused by its successor.
    await q.query(`
      CREATE UNIQUE INDEX accounts_external_id_key ON accounts (tenant_id, external_id)
        WHERE external_id IS NOT NULL AND status = 'active'`);
    await q.query(`CREATE INDEX accounts_parent_idx ON accounts (tenant_id, parent_id) WHERE parent_id IS NOT NULL`);
    await q.query(`CREATE INDEX accounts_status_idx ON accounts (tenant_id, status, id)`);

    await q.query(`
      CREATE TABLE audit_log (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('api_key', 'platform', 'system')),
        actor_id text,
        actor_label text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        before jsonb,
        after jsonb,
        request_id text,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX audit_log_resource_idx ON audit_log (tenant_id, resource_type, resource_id, id)`);

    await q.query(`
      CREATE TABLE outbox_events (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        id uuid NOT NULL,
        type text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        request_id text,
        published_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_events_type_idx ON outbox_events (tenant_id, type, id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        key text NOT NULL,
        request_method text NOT NULL,
        request_path text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        response_headers jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (tenant_id, expires_at)`);

    // Platform-key requests (creating tenants) have no tenant; their keys live apart.
    await q.query(`
      CREATE TABLE platform_idempotency_keys (
        key text PRIMARY KEY,
        request_method text NOT NULL,
        request_path text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        response_headers jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX platform_idempotency_keys_expiry_idx ON platform_idempotency_keys (expires_at)`);

    for (const table of ['accounts', 'audit_log', 'outbox_events', 'idempotency_keys']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = rackrate_current_tenant())
          WITH CHECK (tenant_id = rackrate_current_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['platform_idempotency_keys', 'idempotency_keys', 'outbox_events', 'audit_log', 'accounts', 'api_keys', 'tenants']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION rackrate_current_tenant()`);
  }
}
