import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in a transaction bound to one tenant. The tenant id is set with
 * set_config(..., is_local => true), so it lives exactly as long as the
 * transaction: it cannot leak to the next user of a pooled connection (this
 * also holds behind a transaction-pooling PgBouncer). Row-level security
 * policies read it; see db/migrations/0001-foundation.ts.
 */
export async function inTenantTransaction<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (tx) => {
    await bindTenant(tx, tenantId);
    return work(tx);
  });
}

/** Whether the connected role bypasses row-level security (superuser or BYPASSRLS). */
export async function roleBypassesRls(dataSource: DataSource): Promise<boolean> {
  const rows: Array<{ bypass: boolean }> = await dataSource.query(
    `SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user`,
  );
  return rows[0]?.bypass ?? false;
}

/** Binds an open transaction to a tenant (used when the tenant is created inside it). */
export async function bindTenant(tx: EntityManager, tenantId: string): Promise<void> {
  await tx.query(`SELECT set_config('rackrate.tenant_id', $1, true)`, [tenantId]);
}
