import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../db/tenant-transaction';
import { uuidv7 } from '../lib/ids';

/**
 * Many plain accounts in one `INSERT … SELECT unnest(…)`, for benchmark
 * seeding: external ids `{prefix}-{n}` (1-based). It skips the audit entry and
 * event the account service writes per account, which would dominate the
 * set-up time and are not what a benchmark measures.
 */
export async function insertBulkAccounts(
  dataSource: DataSource,
  tenantId: string,
  options: { count: number; externalIdPrefix: string; namePrefix: string; currency: string },
): Promise<string[]> {
  const now = new Date();
  const accountIds = Array.from({ length: options.count }, () => uuidv7(now.getTime()));
  await inTenantTransaction(dataSource, tenantId, (tx) =>
    tx.query(
      `INSERT INTO accounts (tenant_id, id, external_id, name, legal_name, email, currency, timezone, locale, billing_anchor_day,
         net_terms_days, tax_ids, tax_exemption, billing_address, service_address, contacts, invoice_delivery, metadata,
         parent_id, bill_to_parent, status, archived_at, created_at, updated_at, version)
       SELECT $1, a.id, $3 || '-' || a.n, $4 || ' ' || a.n, NULL, NULL, $5, 'UTC', 'en-US', 1,
         0, '[]'::jsonb, 'none', NULL, NULL, '[]'::jsonb, 'email', '{}'::jsonb,
         NULL, false, 'active', NULL, $6, $6, 1
         FROM unnest($2::uuid[]) WITH ORDINALITY AS a (id, n)`,
      [tenantId, accountIds, options.externalIdPrefix, options.namePrefix, options.currency, now],
    ),
  );
  return accountIds;
}
