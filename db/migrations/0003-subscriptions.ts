import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions and what their workflows record: the subscription (the
 * database copy of the workflow's state, kept current by the workflow's
 * activity and read by the API), its status transitions, the charges it
 * records for the billing account (invoicing turns them into invoice
 * lines), coupon redemptions, and payment methods (gateway tokens only; the
 * payments issue adds gateways). Tenant settings for proration and trial
 * notices live on the tenant. Row-level security as in 0001.
 */
const TENANT_TABLES = ['payment_methods', 'subscriptions', 'subscription_transitions', 'subscription_charges', 'coupon_redemptions'];

const STATUS = `status text NOT NULL CHECK (status IN
  ('pending_provisioning', 'trialing', 'active', 'past_due', 'suspended', 'paused', 'canceled', 'ended'))`;

export class Subscriptions1764072000003 implements MigrationInterface {
  name = 'Subscriptions1764072000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN proration_unit text NOT NULL DEFAULT 'second' CHECK (proration_unit IN ('second', 'day'))`);
    await q.query(`ALTER TABLE tenants ADD COLUMN trial_ending_notice_days integer NOT NULL DEFAULT 3 CHECK (trial_ending_notice_days BETWEEN 0 AND 30)`);

    await q.query(`
      CREATE TABLE payment_methods (
        tenant_id uuid NOT NULL, id uuid NOT NULL, account_id uuid NOT NULL,
        gateway text NOT NULL CHECK (gateway ~ '^[a-z0-9_]{1,40}$'),
        token text NOT NULL CHECK (length(token) BETWEEN 1 AND 200),
        type text NOT NULL CHECK (type IN ('card', 'bank_account')),
        brand text, last4 text CHECK (last4 ~ '^[0-9]{4}$'), exp_month smallint CHECK (exp_month BETWEEN 1 AND 12), exp_year smallint,
        is_default boolean NOT NULL, status text NOT NULL CHECK (status IN ('active', 'detached')),
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, gateway, token),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX payment_methods_account_idx ON payment_methods (tenant_id, account_id)`);

    await q.query(`
      CREATE TABLE subscriptions (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        account_id uuid NOT NULL, billing_account_id uuid NOT NULL,
        external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
        plan_id uuid NOT NULL, plan_version integer NOT NULL, currency char(3) NOT NULL,
        quantity numeric NOT NULL CHECK (quantity > 0),
        ${STATUS},
        billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'quarter', 'year')),
        billing_anchor text NOT NULL CHECK (billing_anchor IN ('calendar', 'anniversary')),
        billing_anchor_day smallint CHECK (billing_anchor_day BETWEEN 1 AND 31),
        timezone text NOT NULL, proration_unit text NOT NULL CHECK (proration_unit IN ('second', 'day')),
        requires_provisioning boolean NOT NULL, trial_days integer NOT NULL CHECK (trial_days BETWEEN 0 AND 365),
        trial_end_behavior text NOT NULL CHECK (trial_end_behavior IN ('convert', 'cancel_without_payment_method')),
        ordered_at timestamptz NOT NULL, start_at timestamptz NOT NULL, ends_at timestamptz,
        activated_at timestamptz, trial_end timestamptz,
        current_period_start timestamptz, current_period_end timestamptz,
        cancel_at_period_end boolean NOT NULL, canceled_at timestamptz, ended_at timestamptz, paused_at timestamptz,
        terms jsonb NOT NULL, pending_changes jsonb NOT NULL,
        coupon_id uuid, promotion_code_id uuid, payment_method_id uuid,
        workflow_id text NOT NULL, revision integer NOT NULL CHECK (revision >= 0),
        metadata jsonb NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, workflow_id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, billing_account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        FOREIGN KEY (tenant_id, promotion_code_id) REFERENCES promotion_codes (tenant_id, id),
        FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id),
        CHECK ((billing_anchor = 'calendar') = (billing_anchor_day IS NOT NULL)),
        CHECK ((current_period_start IS NULL) = (current_period_end IS NULL)),
        CHECK (current_period_end IS NULL OR current_period_end > current_period_start)
      )`);
    await q.query(`CREATE UNIQUE INDEX subscriptions_external_id_key ON subscriptions (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX subscriptions_account_idx ON subscriptions (tenant_id, account_id, id)`);
    await q.query(`CREATE INDEX subscriptions_status_idx ON subscriptions (tenant_id, status, id)`);

    // One row per workflow step; the revision makes recording a step idempotent, and step_hash (what the
    // step recorded) lets a retried or replayed step prove it is the same step, not a diverged one.
    await q.query(`
      CREATE TABLE subscription_transitions (
        tenant_id uuid NOT NULL, id uuid NOT NULL, subscription_id uuid NOT NULL,
        revision integer NOT NULL CHECK (revision >= 1),
        from_status text NOT NULL, to_status text NOT NULL, events text[] NOT NULL, occurred_at timestamptz NOT NULL,
        step_hash text NOT NULL CHECK (step_hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, subscription_id, revision),
        FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
      )`);

    // Charges awaiting invoicing. line_key is the charge's deterministic identity: recording it twice is a no-op.
    await q.query(`
      CREATE TABLE subscription_charges (
        tenant_id uuid NOT NULL, id uuid NOT NULL, line_key text NOT NULL,
        subscription_id uuid NOT NULL, account_id uuid NOT NULL, billing_account_id uuid NOT NULL,
        currency char(3) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('recurring', 'proration_credit', 'proration_charge', 'one_time', 'discount', 'usage')),
        item_code text, charge_key text, product_code text, description text NOT NULL,
        period_start timestamptz NOT NULL, period_end timestamptz NOT NULL CHECK (period_end >= period_start),
        quantity numeric NOT NULL, amount numeric NOT NULL, revision integer NOT NULL,
        invoice_id uuid, created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, line_key),
        FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
        FOREIGN KEY (tenant_id, billing_account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX subscription_charges_subscription_idx ON subscription_charges (tenant_id, subscription_id, period_start)`);
    await q.query(`CREATE INDEX subscription_charges_uninvoiced_idx ON subscription_charges (tenant_id, billing_account_id) WHERE invoice_id IS NULL`);

    await q.query(`
      CREATE TABLE coupon_redemptions (
        tenant_id uuid NOT NULL, id uuid NOT NULL, coupon_id uuid NOT NULL, promotion_code_id uuid,
        account_id uuid NOT NULL, subscription_id uuid NOT NULL, redeemed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, subscription_id, coupon_id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        FOREIGN KEY (tenant_id, promotion_code_id) REFERENCES promotion_codes (tenant_id, id),
        FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
      )`);

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
    await q.query(`ALTER TABLE tenants DROP COLUMN trial_ending_notice_days`);
    await q.query(`ALTER TABLE tenants DROP COLUMN proration_unit`);
  }
}
