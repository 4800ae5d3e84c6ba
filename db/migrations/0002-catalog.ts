import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product catalogue: products, billable metrics, plans and add-ons with
 * immutable versions, bundles, coupons and promotion codes, customer price
 * overrides (contracts), asset types and the customers' assets. All tenant
 * data: tenant_id leads every key, foreign keys are composite with it, and
 * row-level security applies as in 0001.
 *
 * Money columns are `numeric` without a scale limit: prices keep every digit
 * they were given (unit prices can be 0.000000450000); rounding to the
 * currency happens when charges are rated (docs/money.md).
 */
const TENANT_TABLES = [
  'products',
  'billable_metrics',
  'plans',
  'plan_versions',
  'bundles',
  'coupons',
  'promotion_codes',
  'price_overrides',
  'asset_types',
  'assets',
];

const CODE = `code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_.-]{0,62}$')`;
const STATUS = `status text NOT NULL CHECK (status IN ('active', 'archived'))`;
const STAMPS = `created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL`;

export class Catalog1764072000002 implements MigrationInterface {
  name = 'Catalog1764072000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE products (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, ${CODE},
        name text NOT NULL, description text, unit_label text, gl_code text, tax_code text,
        metadata jsonb NOT NULL, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code)
      )`);

    await q.query(`
      CREATE TABLE billable_metrics (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, ${CODE},
        name text NOT NULL, description text, event_name text NOT NULL, aggregation jsonb NOT NULL,
        filters jsonb NOT NULL, group_by text[] NOT NULL, unit_label text, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code)
      )`);

    // Plans and add-ons share one code space and one versioning scheme.
    await q.query(`
      CREATE TABLE plans (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, ${CODE},
        kind text NOT NULL CHECK (kind IN ('plan', 'addon')),
        name text NOT NULL, description text, current_version integer NOT NULL CHECK (current_version >= 1),
        metadata jsonb NOT NULL, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code)
      )`);
    await q.query(`
      CREATE TABLE plan_versions (
        tenant_id uuid NOT NULL, id uuid NOT NULL, plan_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        definition jsonb NOT NULL, definition_hash text NOT NULL, created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, plan_id, version),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id)
      )`);
    // A published version is what running subscriptions are priced by: it never changes.
    await q.query(`
      CREATE FUNCTION rackrate_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER plan_versions_immutable BEFORE UPDATE OR DELETE ON plan_versions
        FOR EACH ROW EXECUTE FUNCTION rackrate_immutable()`);

    await q.query(`
      CREATE TABLE bundles (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, ${CODE},
        name text NOT NULL, description text, items jsonb NOT NULL, discount jsonb,
        metadata jsonb NOT NULL, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code)
      )`);

    await q.query(`
      CREATE TABLE coupons (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, ${CODE},
        name text NOT NULL, discount jsonb NOT NULL,
        duration text NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
        duration_periods integer CHECK (duration_periods >= 1),
        applies_to jsonb NOT NULL, max_redemptions integer CHECK (max_redemptions >= 1),
        redeem_by timestamptz, times_redeemed integer NOT NULL DEFAULT 0 CHECK (times_redeemed >= 0),
        metadata jsonb NOT NULL, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code),
        CHECK ((duration = 'repeating') = (duration_periods IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE promotion_codes (
        tenant_id uuid NOT NULL, id uuid NOT NULL, coupon_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{3,40}$'),
        max_redemptions integer CHECK (max_redemptions >= 1), expires_at timestamptz,
        first_time_only boolean NOT NULL, active boolean NOT NULL,
        times_redeemed integer NOT NULL DEFAULT 0 CHECK (times_redeemed >= 0),
        ${STAMPS},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    // Customers type promotion codes in any case.
    await q.query(`CREATE UNIQUE INDEX promotion_codes_code_key ON promotion_codes (tenant_id, lower(code))`);

    await q.query(`
      CREATE TABLE price_overrides (
        tenant_id uuid NOT NULL, id uuid NOT NULL, account_id uuid NOT NULL, plan_id uuid NOT NULL,
        currency char(3) NOT NULL, charges jsonb NOT NULL, minimum_commitment numeric CHECK (minimum_commitment >= 0),
        starts_at timestamptz NOT NULL, ends_at timestamptz, description text,
        ${STAMPS},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id),
        CHECK (ends_at IS NULL OR ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX price_overrides_account_idx ON price_overrides (tenant_id, account_id, plan_id, currency)`);

    await q.query(`
      CREATE TABLE asset_types (
        tenant_id uuid NOT NULL, id uuid NOT NULL, ${CODE},
        name text NOT NULL, description text, product_id uuid NOT NULL,
        category text NOT NULL CHECK (category IN ('cabinet', 'cage', 'cross_connect', 'ip_block', 'port', 'other')),
        prices jsonb NOT NULL, metadata jsonb NOT NULL, ${STATUS}, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code),
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
      )`);
    await q.query(`
      CREATE TABLE assets (
        tenant_id uuid NOT NULL, id uuid NOT NULL, account_id uuid NOT NULL, asset_type_id uuid NOT NULL,
        provider_asset_id text NOT NULL CHECK (length(provider_asset_id) BETWEEN 1 AND 200),
        state text NOT NULL CHECK (state IN ('ordered', 'active', 'disconnected', 'cancelled')),
        currency char(3) NOT NULL, nrc numeric NOT NULL CHECK (nrc >= 0), mrc numeric NOT NULL CHECK (mrc >= 0),
        ordered_at timestamptz NOT NULL, activated_at timestamptz, disconnected_at timestamptz,
        description text, metadata jsonb NOT NULL, ${STAMPS},
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, provider_asset_id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, asset_type_id) REFERENCES asset_types (tenant_id, id),
        CHECK ((state IN ('active', 'disconnected')) = (activated_at IS NOT NULL)),
        CHECK ((state = 'disconnected') = (disconnected_at IS NOT NULL)),
        CHECK (disconnected_at IS NULL OR disconnected_at >= activated_at)
      )`);
    await q.query(`CREATE INDEX assets_account_idx ON assets (tenant_id, account_id, id)`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = rackrate_current_tenant())
          WITH CHECK (tenant_id = rackrate_current_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP FUNCTION rackrate_immutable()`);
  }
}
