import { QueryFailedError, type EntityManager } from 'typeorm';
import { Tenant } from '../../db/entities/tenant';
import { bindTenant } from '../../db/tenant-transaction';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import { createApiKey } from '../auth/api-keys';
import type { ApiKey } from '../../db/entities/api-key';
import type { Actor } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateTenantInput, UpdateTenantInput } from './tenant-schemas';

export function tenantRepresentation(t: Tenant) {
  return {
    id: t.id,
    object: 'tenant' as const,
    name: t.name,
    slug: t.slug,
    status: t.status,
    proration_unit: t.prorationUnit,
    trial_ending_notice_days: t.trialEndingNoticeDays,
    invoice_number_prefix: t.invoiceNumberPrefix,
    credit_note_number_prefix: t.creditNoteNumberPrefix,
    invoice_grace_period_hours: t.invoiceGracePeriodHours,
    tax_provider: t.taxProvider,
    branding: t.branding,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

/**
 * Creates a provider and its first admin API key in one transaction: a
 * tenant never exists without a way in. The caller's transaction becomes
 * bound to the new tenant so the audit entries land in its log.
 */
export async function createTenant(
  tx: EntityManager,
  origin: { actor: Actor; requestId: string | null; now: Date },
  input: CreateTenantInput,
): Promise<{ tenant: Tenant; apiKey: ApiKey; secret: string }> {
  const tenant = tx.create(Tenant, {
    id: uuidv7(origin.now.getTime()),
    name: input.name,
    slug: input.slug,
    status: 'active',
    prorationUnit: input.proration_unit ?? 'second',
    trialEndingNoticeDays: input.trial_ending_notice_days ?? 3,
    invoiceNumberPrefix: 'INV-',
    creditNoteNumberPrefix: 'CN-',
    invoiceGracePeriodHours: 24,
    taxProvider: 'rate_table',
    branding: {},
    createdAt: origin.now,
    updatedAt: origin.now,
  });
  try {
    await tx.query('SAVEPOINT tenant_insert');
    await tx.insert(Tenant, tenant);
    await tx.query('RELEASE SAVEPOINT tenant_insert');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT tenant_insert');
    const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
    if (code === '23505') {
      throw new RackrateError('tenant_slug_taken', `A tenant with slug ${input.slug} already exists.`, {
        errors: [{ in: 'body', field: 'slug', code: 'taken', message: 'is already used by another tenant' }],
      });
    }
    throw error;
  }
  await bindTenant(tx, tenant.id);
  const ctx = { tenantId: tenant.id, ...origin };
  await recordChange(tx, ctx, {
    action: 'tenant.created',
    resourceType: 'tenant',
    resourceId: tenant.id,
    before: null,
    after: tenantRepresentation(tenant),
  });
  const { apiKey, secret } = await createApiKey(tx, ctx, { name: 'Initial admin key', scopes: ['admin'] });
  return { tenant, apiKey, secret };
}

export async function getTenant(tx: EntityManager, id: string): Promise<Tenant | null> {
  return tx.findOneBy(Tenant, { id });
}

export async function getTenantBySlug(tx: EntityManager, slug: string): Promise<Tenant | null> {
  return tx.findOneBy(Tenant, { slug });
}

export async function listTenants(tx: EntityManager, page: PageRequest): Promise<Page<Tenant>> {
  return paginate(tx.createQueryBuilder(Tenant, 't'), 't', page);
}

/** Changes a tenant's settings; subscriptions created afterwards use them (running ones keep theirs). */
export async function updateTenantSettings(
  tx: EntityManager,
  origin: { actor: Actor; requestId: string | null; now: Date },
  id: string,
  input: UpdateTenantInput,
): Promise<Tenant> {
  const tenant = await tx.findOne(Tenant, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!tenant) throw notFound('tenant', id);
  const before = tenantRepresentation(tenant);
  if (input.name !== undefined) tenant.name = input.name;
  if (input.proration_unit !== undefined) tenant.prorationUnit = input.proration_unit;
  if (input.trial_ending_notice_days !== undefined) tenant.trialEndingNoticeDays = input.trial_ending_notice_days;
  if (input.invoice_number_prefix !== undefined) tenant.invoiceNumberPrefix = input.invoice_number_prefix;
  if (input.credit_note_number_prefix !== undefined) tenant.creditNoteNumberPrefix = input.credit_note_number_prefix;
  if (input.invoice_grace_period_hours !== undefined) tenant.invoiceGracePeriodHours = input.invoice_grace_period_hours;
  if (input.tax_provider !== undefined) tenant.taxProvider = input.tax_provider;
  if (input.branding !== undefined) tenant.branding = input.branding;
  tenant.updatedAt = origin.now;
  await tx.save(tenant);
  await bindTenant(tx, tenant.id);
  await recordChange(tx, { tenantId: tenant.id, ...origin }, { action: 'tenant.updated', resourceType: 'tenant', resourceId: tenant.id, before, after: tenantRepresentation(tenant) });
  return tenant;
}
