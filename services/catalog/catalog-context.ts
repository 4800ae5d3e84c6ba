import type { EntityManager } from 'typeorm';
import type { CatalogContext } from '../../domain/catalog/plan-definition-check';
import type { AggregationType } from '../../domain/catalog/metric';
import type { PlanKind } from '../../domain/catalog/plan-definition';
import type { CatalogStatus } from '../../domain/catalog/status';

/** The codes a catalogue check may refer to, for one tenant. Catalogues are hundreds of rows, not millions. */
export async function loadCatalogContext(tx: EntityManager, tenantId: string): Promise<CatalogContext> {
  const [products, metrics, plans] = await Promise.all([
    tx.query(`SELECT code, status FROM products WHERE tenant_id = $1`, [tenantId]) as Promise<Array<{ code: string; status: CatalogStatus }>>,
    tx.query(`SELECT code, status, aggregation->>'type' AS aggregation FROM billable_metrics WHERE tenant_id = $1`, [tenantId]) as Promise<
      Array<{ code: string; status: CatalogStatus; aggregation: AggregationType }>
    >,
    tx.query(`SELECT code, status, kind FROM plans WHERE tenant_id = $1`, [tenantId]) as Promise<Array<{ code: string; status: CatalogStatus; kind: PlanKind }>>,
  ]);
  return {
    products: new Map(products.map((p) => [p.code, { status: p.status }])),
    metrics: new Map(metrics.map((m) => [m.code, { status: m.status, aggregation: m.aggregation }])),
    plans: new Map(plans.map((p) => [p.code, { status: p.status, kind: p.kind }])),
  };
}
