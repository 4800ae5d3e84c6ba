import type { EntityManager } from 'typeorm';
import type { MetricAggregation, MetricFilter } from '../../domain/catalog/metric';
import type { SubscriptionRef, TenantFacts } from '../../domain/metering/event-attribution';
import { compileMetricRule, type MetricRule } from '../../domain/metering/event-metric-checks';
import type { NormalizedEvent } from '../../domain/metering/event-rules';

/**
 * Everything a batch's names resolve to, in one round trip: the accounts and
 * subscriptions the events name, the active metrics of their codes, and for
 * attribution the live subscriptions of those accounts whose plan or add-on
 * (subscriptions.terms items → plan_versions.definition.charges) has a usage
 * charge on a metric of one of the codes. Metrics are read per batch rather
 * than cached: it is a few index probes, and a metric created a moment ago
 * is then usable at once.
 */
const LOOKUP_SQL = `
WITH acc AS (
  SELECT id, external_id, status = 'active' AS active FROM accounts
   WHERE tenant_id = $1 AND status = 'active' AND external_id = ANY($2::text[])
  UNION
  SELECT id, external_id, status = 'active' FROM accounts WHERE tenant_id = $1 AND id = ANY($3::uuid[])
), sub AS (
  SELECT id, external_id, account_id FROM subscriptions WHERE tenant_id = $1 AND external_id = ANY($4::text[])
  UNION
  SELECT id, external_id, account_id FROM subscriptions WHERE tenant_id = $1 AND id = ANY($5::uuid[])
), met AS (
  SELECT code, event_name, aggregation, filters FROM billable_metrics
   WHERE tenant_id = $1 AND status = 'active' AND event_name = ANY($6::text[])
), items AS MATERIALIZED (
  SELECT s.id, s.account_id, (item ->> 'planId')::uuid AS plan_id, (item ->> 'version')::int AS version, item -> 'usage' AS usage
    FROM subscriptions s CROSS JOIN LATERAL jsonb_array_elements(s.terms -> 'items') AS item
   WHERE s.tenant_id = $1 AND s.account_id IN (SELECT id FROM acc) AND s.status NOT IN ('canceled', 'ended')
), usage_charges AS (
  -- Each plan version's definition is read once, however many subscriptions use it.
  SELECT v.plan_id, v.version, charge ->> 'key' AS key, m.event_name
    FROM (SELECT DISTINCT plan_id, version FROM items) v
    JOIN plan_versions pv ON pv.tenant_id = $1 AND pv.plan_id = v.plan_id AND pv.version = v.version
    CROSS JOIN LATERAL jsonb_array_elements(pv.definition -> 'charges') AS charge
    JOIN met m ON m.code = charge ->> 'metric'
   WHERE charge ->> 'type' = 'usage'
), charged AS (
  SELECT DISTINCT i.account_id, u.event_name, i.id AS subscription_id
    FROM items i JOIN usage_charges u ON u.plan_id = i.plan_id AND u.version = i.version AND i.usage ? u.key
)
SELECT
  (SELECT coalesce(json_agg(json_build_array(id, external_id, active)), '[]') FROM acc) AS accounts,
  (SELECT coalesce(json_agg(json_build_array(id, external_id, account_id)), '[]') FROM sub) AS subscriptions,
  (SELECT coalesce(json_agg(json_build_array(code, event_name, aggregation, filters)), '[]') FROM met) AS metrics,
  (SELECT coalesce(json_agg(json_build_array(account_id, event_name, subscription_id)), '[]') FROM charged) AS charged`;

interface LookupRow {
  accounts: Array<[string, string | null, boolean]>;
  subscriptions: Array<[string, string | null, string]>;
  metrics: Array<[string, string, MetricAggregation, MetricFilter[]]>;
  charged: Array<[string, string, string]>;
}

export async function loadTenantFacts(tx: EntityManager, tenantId: string, events: readonly NormalizedEvent[]): Promise<TenantFacts> {
  const customers = new Set<string>();
  const accountIds = new Set<string>();
  const subscriptionExternalIds = new Set<string>();
  const subscriptionIds = new Set<string>();
  const codes = new Set<string>();
  for (const e of events) {
    if (e.customer !== null) customers.add(e.customer);
    if (e.accountId !== null) accountIds.add(e.accountId);
    if (e.subscription !== null) subscriptionExternalIds.add(e.subscription);
    if (e.subscriptionId !== null) subscriptionIds.add(e.subscriptionId);
    codes.add(e.code);
  }
  const [row] = (await tx.query(LOOKUP_SQL, [
    tenantId,
    [...customers],
    [...accountIds],
    [...subscriptionExternalIds],
    [...subscriptionIds],
    [...codes],
  ])) as LookupRow[];
  if (row === undefined) throw new Error('the lookup query returned no row');

  const accountByExternalId = new Map<string, string>();
  const knownAccounts = new Set<string>();
  for (const [id, externalId, active] of row.accounts) {
    knownAccounts.add(id);
    if (active && externalId !== null && customers.has(externalId)) accountByExternalId.set(externalId, id);
  }
  const subscriptionByExternalId = new Map<string, SubscriptionRef>();
  const subscriptionById = new Map<string, SubscriptionRef>();
  for (const [id, externalId, accountId] of row.subscriptions) {
    const ref = { id, accountId };
    subscriptionById.set(id, ref);
    if (externalId !== null) subscriptionByExternalId.set(externalId, ref);
  }
  const rulesByCode = new Map<string, MetricRule[]>();
  for (const [code, eventName, aggregation, filters] of row.metrics) {
    const rules = rulesByCode.get(eventName) ?? [];
    rules.push(compileMetricRule({ code, eventName, aggregation, filters }));
    rulesByCode.set(eventName, rules);
  }
  const chargedSubscriptions = new Map<string, Map<string, string[]>>();
  for (const [accountId, eventName, subscriptionId] of row.charged) {
    let byCode = chargedSubscriptions.get(accountId);
    if (byCode === undefined) {
      byCode = new Map();
      chargedSubscriptions.set(accountId, byCode);
    }
    const list = byCode.get(eventName) ?? [];
    list.push(subscriptionId);
    byCode.set(eventName, list);
  }
  return {
    accountByExternalId,
    accountIds: knownAccounts,
    subscriptionByExternalId,
    subscriptionById,
    rulesByCode,
    chargedSubscriptions,
  };
}
