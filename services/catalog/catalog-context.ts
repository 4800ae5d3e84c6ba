import type { EntityManager } from 'typeorm';
import type { ReferenceContext } from '../../domain/catalog/catalog-references';
import type { AggregationType } from '../../domain/catalog/metric';
import type { PlanKind } from '../../domain/catalog/plan-definition';
import type { CatalogStatus } from '../../domain/catalog/status';

/**
 * The codes catalogue rules may refer to, for one tenant: what the pure
 * checks in domain/catalog need. Catalogues are hundreds of rows, not
 * millions, so all codes are read; one query at a time, as a transaction is
 * one connection.
 */
export async function loadCatalogContext(tx: EntityManager, tenantId: string): Promise<ReferenceContext> {
  const products: Array<{ code: string; status: CatalogStatus }> = await tx.query(
    `SELECT code, status FROM products WHERE tenant_id = $1`,
    [tenantId],
  );
  const metrics: Array<{ code: string; status: CatalogStatus; aggregation: AggregationType }> = await tx.query(
    `SELECT code, status, aggregation->>'type' AS aggregation FROM billable_metrics WHERE tenant_id = $1`,
    [tenantId],
  );
  const plans: Array<{ code: string; status: CatalogStatus; kind: PlanKind; applies_to: string[] | null }> = await tx.query(
    `SELECT p.code, p.status, p.kind, v.definition->'applies_to_plans' AS applies_to
       FROM plans p JOIN plan_versions v ON v.tenant_id = p.tenant_id AND v.plan_id = p.id AND v.version = p.current_version
      WHERE p.tenant_id = $1`,
    [tenantId],
  );
  const coupons: Array<{ code: string; status: CatalogStatus }> = await tx.query(`SELECT code, status FROM coupons WHERE tenant_id = $1`, [tenantId]);
  return {
    products: new Map(products.map((p) => [p.code, { status: p.status }])),
    metrics: new Map(metrics.map((m) => [m.code, { status: m.status, aggregation: m.aggregation }])),
    plans: new Map(plans.map((p) => [p.code, { status: p.status, kind: p.kind, appliesTo: p.applies_to }])),
    coupons: new Map(coupons.map((c) => [c.code, { status: c.status }])),
  };
}
