import type { EntityManager } from 'typeorm';
import { billingGroup, type AccountNode, type GroupMember } from '../../domain/invoicing/billing-group';
import type { ChargeDetails } from '../../domain/invoicing/charge-details';
import type { BillableItem, MinimumCommitment } from '../../domain/invoicing/invoice-generator';
import { trueUpKey } from '../../domain/invoicing/invoice-generator';
import type { InvoiceLineKind, PercentileFacts } from '../../domain/invoicing/invoice-document';
import { Decimal } from '../../domain/money/decimal';
import type { PlanDefinitionInput } from '../../domain/catalog/plan-definition';

/**
 * Loads what an invoice is built from: the billing group (the billing
 * account and every account billed on its invoice), the charges waiting for
 * it (subscription charges and one-off charges of the group up to the bill
 * date, plus whatever the draft already holds; a one-off invoice holds
 * only what was put on it), and the minimum commitments
 * of the subscription periods whose usage is on it. Reads only.
 */
export async function loadBillingGroup(tx: EntityManager, tenantId: string, billingAccountId: string): Promise<GroupMember[]> {
  const rows = (await tx.query(
    `WITH RECURSIVE grp AS (
       SELECT id, name, parent_id, bill_to_parent FROM accounts WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT a.id, a.name, a.parent_id, a.bill_to_parent FROM accounts a
         JOIN grp g ON a.tenant_id = $1 AND a.parent_id = g.id AND a.bill_to_parent
     )
     SELECT id, name, parent_id, bill_to_parent FROM grp`,
    [tenantId, billingAccountId],
  )) as Array<{ id: string; name: string; parent_id: string | null; bill_to_parent: boolean }>;
  const nodes = new Map<string, AccountNode>(
    rows.map((r) => [r.id, { id: r.id, name: r.name, parentId: r.id === billingAccountId ? null : r.parent_id, billToParent: r.bill_to_parent }]),
  );
  return billingGroup(nodes, billingAccountId);
}

/** The account that pays for `accountId` (itself, or the nearest ancestor not billing to its parent). */
export async function billingAccountIdOf(tx: EntityManager, tenantId: string, accountId: string): Promise<string> {
  const rows = (await tx.query(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, bill_to_parent, 0 AS hops FROM accounts WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT a.id, a.parent_id, a.bill_to_parent, up.hops + 1 FROM accounts a
         JOIN up ON a.tenant_id = $1 AND a.id = up.parent_id AND up.bill_to_parent
     )
     SELECT id FROM up ORDER BY hops DESC LIMIT 1`,
    [tenantId, accountId],
  )) as Array<{ id: string }>;
  return rows[0]?.id ?? accountId;
}

interface ChargeRow {
  id: string;
  account_id: string;
  subscription_id: string;
  kind: InvoiceLineKind;
  item_code: string | null;
  product_code: string | null;
  product_name: string | null;
  tax_code: string | null;
  description: string;
  period_start: Date;
  period_end: Date;
  quantity: string;
  amount: string;
  details: ChargeDetails | null;
}

interface OneOffRow {
  id: string;
  account_id: string;
  product_code: string | null;
  product_name: string | null;
  tax_code: string | null;
  description: string;
  service_date: Date;
  quantity: string;
  unit_price: string;
  amount: string;
}

export interface InvoiceSources {
  items: BillableItem[];
  subscriptionChargeIds: string[];
  oneOffChargeIds: string[];
}

/** A unit price only where it means something: the line is quantity × price exactly (not a proration or a credit). */
function unitPriceOf(kind: InvoiceLineKind, quantity: string, amount: string, details: ChargeDetails | null): string | null {
  if (details) return details.unit_price;
  if (kind !== 'recurring' && kind !== 'one_time') return null;
  const q = new Decimal(quantity);
  if (q.isZero()) return null;
  const price = new Decimal(amount).dividedBy(q);
  return price.decimalPlaces() <= 6 ? price.toFixed() : null;
}

function percentileFacts(details: ChargeDetails | null, accountId: string, subscriptionId: string): PercentileFacts | null {
  const facts = details?.facts;
  if (!facts || facts.billed_mbps === undefined || facts.billed_mbps === null) return null;
  const expected = typeof facts.expected_slots === 'number' ? facts.expected_slots : null;
  const known = typeof facts.samples_known === 'number' ? facts.samples_known : null;
  return {
    billed_rate: String(facts.billed_mbps),
    percentile: Number(facts.percentile ?? 95),
    commit: facts.commit_mbps === undefined || facts.commit_mbps === null ? null : String(facts.commit_mbps),
    unit: 'Mbps',
    method: typeof facts.method === 'string' ? facts.method : null,
    samples_expected: expected,
    samples_known: known,
    completeness: expected && known !== null ? new Decimal(known).dividedBy(expected).toDecimalPlaces(4).toFixed() : null,
    series: details.metric_code ? { subscription_id: subscriptionId, account_id: accountId, metric_code: details.metric_code, group: details.group ?? {} } : null,
  };
}

/**
 * Everything billable on the group's invoice for `billDate`: charges already
 * on the draft `invoiceId` (if any) and those still waiting whose period
 * starts (one-off: whose service date is) on or before the bill date. A
 * charge recorded later for an earlier period waits for the next invoice
 * once this one is finalised.
 */
export async function loadInvoiceSources(
  tx: EntityManager,
  tenantId: string,
  accountIds: readonly string[],
  billDate: Date,
  invoiceId: string | null,
  includePending = true,
): Promise<InvoiceSources> {
  const charges = (await tx.query(
    `SELECT c.id, c.account_id, c.subscription_id, c.kind, c.item_code, c.product_code, p.name AS product_name, p.tax_code,
            c.description, c.period_start, c.period_end, c.quantity::text AS quantity, c.amount::text AS amount, c.details
       FROM subscription_charges c
       LEFT JOIN products p ON p.tenant_id = c.tenant_id AND p.code = c.product_code
      WHERE c.tenant_id = $1 AND c.id IN (
              -- Two index scans (waiting charges by account, the draft's own) rather than one OR that reads the tenant's every charge.
              SELECT id FROM subscription_charges WHERE $5 AND tenant_id = $1 AND account_id = ANY($2::uuid[]) AND invoice_id IS NULL AND period_start <= $3
              UNION ALL
              SELECT id FROM subscription_charges WHERE tenant_id = $1 AND invoice_id = $4)
      ORDER BY c.id`,
    [tenantId, accountIds, billDate, invoiceId, includePending],
  )) as ChargeRow[];
  const oneOffs = (await tx.query(
    `SELECT o.id, o.account_id, o.product_code, p.name AS product_name, coalesce(o.tax_code, p.tax_code) AS tax_code, o.description,
            o.service_date, o.quantity::text AS quantity, o.unit_price::text AS unit_price, o.amount::text AS amount
       FROM one_off_charges o
       LEFT JOIN products p ON p.tenant_id = o.tenant_id AND p.code = o.product_code
      WHERE o.tenant_id = $1 AND o.id IN (
              SELECT id FROM one_off_charges WHERE $5 AND tenant_id = $1 AND account_id = ANY($2::uuid[]) AND invoice_id IS NULL AND service_date <= $3
              UNION ALL
              SELECT id FROM one_off_charges WHERE tenant_id = $1 AND invoice_id = $4)
      ORDER BY o.id`,
    [tenantId, accountIds, billDate, invoiceId, includePending],
  )) as OneOffRow[];

  // A coupon's discount line names no product; it is taxed like the item it discounts.
  const itemTaxCode = new Map<string, string | null>();
  for (const c of charges) if (c.item_code && c.tax_code) itemTaxCode.set(`${c.subscription_id}/${c.item_code}`, c.tax_code);

  const items: BillableItem[] = charges.map((c) => ({
    key: `charge:${c.id}`,
    kind: c.kind,
    accountId: c.account_id,
    subscriptionId: c.subscription_id,
    description: c.description,
    productCode: c.product_code,
    productName: c.product_name,
    taxCode: c.tax_code ?? (c.item_code ? itemTaxCode.get(`${c.subscription_id}/${c.item_code}`) ?? null : null),
    periodStart: c.period_start.toISOString(),
    periodEnd: c.period_end.toISOString(),
    quantity: new Decimal(c.quantity).toFixed(),
    unitPrice: unitPriceOf(c.kind, c.quantity, c.amount, c.details),
    amount: c.amount,
    breakdown: c.details?.breakdown ?? [],
    percentile: percentileFacts(c.details, c.account_id, c.subscription_id),
  }));
  for (const o of oneOffs) {
    items.push({
      key: `one_off:${o.id}`,
      kind: 'one_off',
      accountId: o.account_id,
      subscriptionId: null,
      description: o.description,
      productCode: o.product_code,
      productName: o.product_name,
      taxCode: o.tax_code,
      periodStart: o.service_date.toISOString(),
      periodEnd: o.service_date.toISOString(),
      quantity: new Decimal(o.quantity).toFixed(),
      unitPrice: new Decimal(o.unit_price).toFixed(),
      amount: o.amount,
      breakdown: [],
      percentile: null,
    });
  }
  return { items, subscriptionChargeIds: charges.map((c) => c.id), oneOffChargeIds: oneOffs.map((o) => o.id) };
}

/**
 * Minimum commitments of the subscription periods whose usage is on the
 * invoice, with everything the subscription recorded for each period (on
 * any invoice). A true-up already on another invoice is not owed again.
 */
export async function loadMinimumCommitments(
  tx: EntityManager,
  tenantId: string,
  currency: string,
  items: readonly BillableItem[],
  invoiceId: string | null,
): Promise<MinimumCommitment[]> {
  const periods = new Map<string, { subscriptionId: string; accountId: string; periodStart: string; periodEnd: string }>();
  for (const item of items) {
    if (item.kind !== 'usage' || !item.subscriptionId || !item.periodStart || !item.periodEnd) continue;
    periods.set(`${item.subscriptionId}/${item.periodStart}`, {
      subscriptionId: item.subscriptionId, accountId: item.accountId, periodStart: item.periodStart, periodEnd: item.periodEnd,
    });
  }
  const result: MinimumCommitment[] = [];
  for (const p of periods.values()) {
    const [plan] = (await tx.query(
      `SELECT pl.name, v.definition FROM subscriptions s
         JOIN plans pl ON pl.tenant_id = s.tenant_id AND pl.id = s.plan_id
         JOIN plan_versions v ON v.tenant_id = s.tenant_id AND v.plan_id = s.plan_id AND v.version = s.plan_version
        WHERE s.tenant_id = $1 AND s.id = $2`,
      [tenantId, p.subscriptionId],
    )) as Array<{ name: string; definition: PlanDefinitionInput }>;
    const minimum = plan?.definition.minimum_commitment?.[currency];
    if (!plan || minimum === undefined) continue;
    const [other] = (await tx.query(
      `SELECT 1 FROM invoice_lines WHERE tenant_id = $1 AND line_key = $2 AND invoice_id IS DISTINCT FROM $3 LIMIT 1`,
      [tenantId, trueUpKey(p.subscriptionId, p.periodStart), invoiceId],
    )) as unknown[];
    if (other) continue;
    const [billed] = (await tx.query(
      `SELECT coalesce(sum(amount), 0)::text AS amount FROM subscription_charges
        WHERE tenant_id = $1 AND subscription_id = $2 AND period_start >= $3 AND period_start < $4`,
      [tenantId, p.subscriptionId, p.periodStart, p.periodEnd],
    )) as Array<{ amount: string }>;
    result.push({ ...p, planName: plan.name, minimum: String(minimum), billed: billed!.amount, taxCode: null });
  }
  return result;
}
