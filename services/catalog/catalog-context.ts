import type { EntityManager } from 'typeorm';
import type { CatalogContext } from '../../domain/catalog/plan-definition-check';
import type { AggregationType } from '../../domain/catalog/metric';
import type { PlanKind } from '../../domain/catalog/plan-definition';
import type { CatalogStatus } from '../../domain/catalog/status';

/** The codes a catalogue check may refer to, for one tenant. Catalogues are hundreds of rows, not millions. */
export async function loadCatalogContext(tx: EntityManager, tenantId: string): Promise<CatalogContext> {
  // One after another: the transaction is one connection, which runs one query at a time.
  const products: Array<{ code: string; status: CatalogStatus }> = await tx.query(
    `SELECT code, status FROM products WHERE tenant_id = $1`,
    [tenantId],
  );
  const metrics: Array<{ code: string; status: CatalogStatus; aggregation: AggregationType }> = await tx.query(
    `SELECT code, status, aggregation->>'type' AS aggregation FROM billable_metrics WHERE tenant_id = $1`,
    [tenantId],
  );
  const plans: Array<{ code: string; status: CatalogStatus; kind: PlanKind }> = await tx.query(
    `SELECT code, status, kind FROM plans WHERE tenant_id = $1`,
    [tenantId],
  );
  return {
    products: new Map(products.map((p) => [p.code, { status: p.status }])),
    metrics: new Map(metrics.map((m) => [m.code, { status: m.status, aggregation: m.aggregation }])),
    plans: new Map(plans.map((p) => [p.code, { status: p.status, kind: p.kind }])),
  };
}
