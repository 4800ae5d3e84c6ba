import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { createAccount } from '../../services/accounts/account-service';
import { createApiKey } from '../../services/auth/api-keys';
import type { Actor } from '../../services/change-context';
import { createTenant, getTenantBySlug } from '../../services/tenants/tenant-service';
import { DEMO_CHILDREN, DEMO_PARENT, DEMO_STANDALONE } from './customers';
import { seedDemoCatalog } from './seed-catalog';
import { seedDemoInvoicing } from './seed-invoicing';

export const DEMO_TENANT_SLUG = 'demo';
export const SEED_ACTOR: Actor = { type: 'system', id: 'seed', label: 'demo seed' };

export interface DemoCredentials {
  tenantId: string;
  apiKey: string;
}

/**
 * Seeds the demo provider once: tenant, admin key and customers, through the
 * same services the API uses (so audit entries and domain events exist too).
 * Returns the credentials, or null when the tenant already exists.
 */
export async function seedDemoProvider(dataSource: DataSource, now: Date): Promise<DemoCredentials | null> {
  return dataSource.transaction(async (tx) => {
    if (await getTenantBySlug(tx, DEMO_TENANT_SLUG)) return null;
    const { tenant, secret } = await createTenant(
      tx,
      { actor: SEED_ACTOR, requestId: null, now },
      { name: 'Demo Colo (Rackrate demo provider)', slug: DEMO_TENANT_SLUG },
    );
    const ctx = { tenantId: tenant.id, actor: SEED_ACTOR, requestId: null, now };
    const parent = await createAccount(tx, ctx, DEMO_PARENT);
    for (const child of DEMO_CHILDREN) await createAccount(tx, ctx, { ...child, parent_id: parent.id });
    for (const customer of DEMO_STANDALONE) await createAccount(tx, ctx, customer);
    await seedDemoCatalog(tx, ctx);
    await seedDemoInvoicing(tx, ctx);
    return { tenantId: tenant.id, apiKey: secret };
  });
}

/** Adds what later capabilities bring to a demo tenant seeded before them; true when something was added. */
export async function upgradeDemoProvider(dataSource: DataSource, now: Date): Promise<boolean> {
  const tenant = await dataSource.transaction((tx) => getTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (!tenant) return false;
  return inTenantTransaction(dataSource, tenant.id, async (tx) => {
    const ctx = { tenantId: tenant.id, actor: SEED_ACTOR, requestId: null, now };
    const catalog = await seedDemoCatalog(tx, ctx);
    const invoicing = await seedDemoInvoicing(tx, ctx);
    return catalog || invoicing;
  });
}

/** A fresh admin key for the demo tenant, for when its saved credentials were lost. */
export async function issueDemoKey(dataSource: DataSource, now: Date): Promise<DemoCredentials | null> {
  const tenant = await dataSource.transaction((tx) => getTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (!tenant) return null;
  const { secret } = await inTenantTransaction(dataSource, tenant.id, (tx) =>
    createApiKey(tx, { tenantId: tenant.id, actor: SEED_ACTOR, requestId: null, now }, { name: 'Demo admin key', scopes: ['admin'] }),
  );
  return { tenantId: tenant.id, apiKey: secret };
}
