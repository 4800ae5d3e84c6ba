import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import type { ApiKeyScope } from '../../domain/auth/scopes';
import { createApiKey } from '../../services/auth/api-keys';
import { createTenant } from '../../services/tenants/tenant-service';

const TEST_ACTOR = { type: 'system' as const, id: 'test', label: 'test setup' };

export interface TestTenant {
  id: string;
  slug: string;
  adminKey: string;
}

/** A tenant with an admin key, made through the same service the API uses. */
export async function createTestTenant(dataSource: DataSource, slug: string): Promise<TestTenant> {
  const { tenant, secret } = await dataSource.transaction((tx) =>
    createTenant(tx, { actor: TEST_ACTOR, requestId: null, now: new Date() }, { name: `Tenant ${slug}`, slug }),
  );
  return { id: tenant.id, slug, adminKey: secret };
}

export async function createTestKey(
  dataSource: DataSource,
  tenantId: string,
  scopes: ApiKeyScope[],
  extra: { expires_at?: string } = {},
): Promise<string> {
  const { secret } = await inTenantTransaction(dataSource, tenantId, (tx) =>
    createApiKey(tx, { tenantId, actor: TEST_ACTOR, requestId: null, now: new Date() }, { name: `${scopes.join('+')} key`, scopes, ...extra }),
  );
  return secret;
}
