import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import type { ChangeContext } from '../../services/change-context';

/**
 * Rows the invoicing services start from, written directly: accounts (with
 * the master-billing tree), a plan and a subscription row per account, and
 * the charges a subscription workflow records (subscription_charges). The
 * workflow path that records real charges has its own tests; these let the
 * invoicing tests generate thousands of charges in milliseconds.
 */
export interface FixtureAccount {
  id: string;
  name: string;
  parentId?: string | null;
  billToParent?: boolean;
  currency?: string;
  anchorDay?: number;
  timezone?: string;
  netTermsDays?: number;
  country?: string;
  region?: string | null;
  taxExemption?: 'none' | 'exempt' | 'reverse_charge';
}

export interface FixtureCharge {
  id?: string;
  accountId: string;
  subscriptionId: string;
  kind: 'recurring' | 'proration_credit' | 'proration_charge' | 'one_time' | 'discount' | 'usage' | 'usage_adjustment';
  product?: string | null;
  itemCode?: string | null;
  description?: string;
  periodStart: Date;
  periodEnd: Date;
  quantity?: string;
  amount: string;
  currency?: string;
  details?: unknown;
}

export function systemChange(tenantId: string, now: Date): ChangeContext {
  return { tenantId, actor: { type: 'system', id: 'test', label: 'test' }, requestId: null, now };
}

export async function insertAccounts(tx: EntityManager, tenantId: string, accounts: readonly FixtureAccount[]): Promise<void> {
  for (const a of accounts) {
    const address = a.country ? { line1: '1 Main St', city: 'City', region: a.region ?? null, postal_code: '10001', country: a.country } : null;
    await tx.query(
      `INSERT INTO accounts (tenant_id, id, name, currency, timezone, locale, billing_anchor_day, net_terms_days, tax_ids, tax_exemption,
         billing_address, contacts, invoice_delivery, metadata, parent_id, bill_to_parent, status, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, 'en-US', $6, $7, '[]', $8, $9, '[]', 'email', '{}', $10, $11, 'active', now(), now(), 1)`,
      [tenantId, a.id, a.name, a.currency ?? 'USD', a.timezone ?? 'UTC', a.anchorDay ?? 1, a.netTermsDays ?? 30, a.taxExemption ?? 'none',
        address ? JSON.stringify(address) : null, a.parentId ?? null, a.billToParent ?? false],
    );
  }
}

/** A product, a plan (optionally with a minimum commitment) and its version 1. */
export async function insertPlan(tx: EntityManager, tenantId: string, opts: { code: string; currency?: string; minimum?: string; taxCode?: string | null }): Promise<string> {
  const currency = opts.currency ?? 'USD';
  await tx.query(
    `INSERT INTO products (tenant_id, id, code, name, tax_code, metadata, status, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, '{}', 'active', now(), now(), 1) ON CONFLICT DO NOTHING`,
    [tenantId, randomUUID(), opts.code, `Product ${opts.code}`, opts.taxCode ?? null],
  );
  const planId = randomUUID();
  const definition = {
    billing_interval: 'month', currencies: [currency],
    charges: [{ key: 'fee', product: opts.code, type: 'recurring', prices: { [currency]: { model: 'flat', amount: '100.00' } } }],
    ...(opts.minimum ? { minimum_commitment: { [currency]: opts.minimum } } : {}),
  };
  await tx.query(
    `INSERT INTO plans (tenant_id, id, code, name, kind, current_version, metadata, status, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, 'plan', 1, '{}', 'active', now(), now(), 1)`,
    [tenantId, planId, `plan-${opts.code}`, `Plan ${opts.code}`],
  );
  await tx.query(
    `INSERT INTO plan_versions (tenant_id, id, plan_id, version, definition, definition_hash, created_at)
     VALUES ($1, $2, $3, 1, $4::jsonb, md5($4::text), now())`,
    [tenantId, randomUUID(), planId, JSON.stringify(definition)],
  );
  return planId;
}

export async function insertSubscription(tx: EntityManager, tenantId: string, accountId: string, planId: string, currency = 'USD'): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO subscriptions (tenant_id, id, account_id, billing_account_id, plan_id, plan_version, currency, quantity, status, billing_interval,
       billing_anchor, billing_anchor_day, timezone, proration_unit, requires_provisioning, trial_days, trial_end_behavior, ordered_at, start_at,
       cancel_at_period_end, terms, pending_changes, workflow_id, revision, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $3, $4, 1, $5, 1, 'active', 'month', 'calendar', 1, 'UTC', 'second', false, 0, 'convert', now(), now(),
       false, '{"items":[],"coupon":null}', '[]', $6, 1, '{}', now(), now())`,
    [tenantId, id, accountId, planId, currency, `test-subscription:${id}`],
  );
  return id;
}

export async function insertCharges(tx: EntityManager, tenantId: string, charges: readonly FixtureCharge[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of charges) {
    const id = c.id ?? randomUUID();
    ids.push(id);
    await tx.query(
      `INSERT INTO subscription_charges (tenant_id, id, line_key, subscription_id, account_id, billing_account_id, currency, kind, item_code, charge_key,
         product_code, description, period_start, period_end, quantity, amount, revision, created_at, details)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, 'fee', $9, $10, $11, $12, $13, $14, 1, now(), $15)`,
      [tenantId, id, `test/${id}`, c.subscriptionId, c.accountId, c.currency ?? 'USD', c.kind, c.itemCode ?? 'plan', c.product ?? null,
        c.description ?? `${c.kind} charge`, c.periodStart, c.periodEnd, c.quantity ?? '1', c.amount, c.details ? JSON.stringify(c.details) : null],
    );
  }
  return ids;
}

export async function insertTaxRate(
  tx: EntityManager,
  tenantId: string,
  rate: { name: string; country: string; region?: string | null; taxCode?: string | null; percentage: string; inclusive?: boolean; validFrom?: Date; validTo?: Date | null },
): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO tax_rates (tenant_id, id, name, country, region, tax_code, percentage, inclusive, valid_from, valid_to, metadata, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{}', now(), now(), 1)`,
    [tenantId, id, rate.name, rate.country, rate.region ?? null, rate.taxCode ?? null, rate.percentage, rate.inclusive ?? false,
      rate.validFrom ?? new Date('2000-01-01T00:00:00Z'), rate.validTo ?? null],
  );
  return id;
}

export function tenantTx<T>(dataSource: DataSource, tenantId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return inTenantTransaction(dataSource, tenantId, work);
}

/**
 * Every finalised invoice of the tenant as text: the row, its lines and the
 * charges it claims, exactly as PostgreSQL prints them, to compare
 * byte for byte later.
 */
export async function snapshotFinalised(tx: EntityManager, tenantId: string): Promise<Map<string, string>> {
  const rows = (await tx.query(
    `SELECT i.id, (i.*)::text
         || E'\\n' || (SELECT coalesce(string_agg((l.*)::text, E'\\n' ORDER BY l.line_key), '') FROM invoice_lines l WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)
         || E'\\n' || (SELECT coalesce(string_agg(c.id::text, ',' ORDER BY c.id), '') FROM subscription_charges c WHERE c.tenant_id = i.tenant_id AND c.invoice_id = i.id)
         || E'\\n' || (SELECT coalesce(string_agg(o.id::text, ',' ORDER BY o.id), '') FROM one_off_charges o WHERE o.tenant_id = i.tenant_id AND o.invoice_id = i.id) AS text
       FROM invoices i WHERE i.tenant_id = $1 AND i.status <> 'draft'`,
    [tenantId],
  )) as Array<{ id: string; text: string }>;
  return new Map(rows.map((r) => [r.id, r.text]));
}
