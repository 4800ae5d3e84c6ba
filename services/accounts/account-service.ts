import { QueryFailedError, type EntityManager } from 'typeorm';
import { METADATA_LIMITS, paymentTermsDays } from '../../domain/accounts/account';
import { checkHierarchy, MAX_HIERARCHY_DEPTH, type HierarchyViolation } from '../../domain/accounts/hierarchy';
import { Account } from '../../db/entities/account';
import { canonicalJson } from '../../lib/canonical-json';
import { RackrateError, notFound, type FieldError } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import {
  countActiveChildren,
  loadBillToParentChildCurrencies,
  loadProposedParent,
  loadSubtreeHeight,
  lockTenantHierarchy,
} from './account-hierarchy-facts';
import { accountRepresentation } from './account-representation';
import type { CreateAccountInput, UpdateAccountInput } from './account-schemas';

const RESOURCE = 'account';

function violationMessage(v: HierarchyViolation): string {
  switch (v.code) {
    case 'parent_is_self':
      return 'an account cannot be its own parent';
    case 'hierarchy_cycle':
      return 'the proposed parent is a descendant of this account, which would make a cycle';
    case 'hierarchy_too_deep':
      return `the hierarchy would be ${v.depth} levels deep; at most ${MAX_HIERARCHY_DEPTH} are allowed`;
    case 'parent_archived':
      return 'the proposed parent is archived';
    case 'bill_to_parent_without_parent':
      return 'bill_to_parent needs a parent_id';
    case 'parent_currency_mismatch':
      return `an account billed to its parent must use the parent's currency (${v.parentCurrency})`;
    case 'children_currency_mismatch':
      return `child accounts billed to this account use ${v.childCurrencies.join(', ')}; the currency must match`;
  }
}

function hierarchyError(errors: FieldError[]): RackrateError {
  return new RackrateError('invalid_account_hierarchy', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
  });
}

/** Checks the proposed shape of `account` against the tree; throws with every violation. */
async function assertHierarchy(tx: EntityManager, account: Account, isNew: boolean): Promise<void> {
  const parent = account.parentId === null ? null : await loadProposedParent(tx, account.tenantId, account.parentId);
  if (account.parentId !== null && parent === null) {
    throw hierarchyError([
      { in: 'body', field: 'parent_id', code: 'parent_not_found', message: `no account with id ${account.parentId}` },
    ]);
  }
  const violations = checkHierarchy({
    accountId: isNew ? null : account.id,
    currency: account.currency,
    billToParent: account.billToParent,
    parent,
    subtreeHeight: isNew ? 1 : await loadSubtreeHeight(tx, account.tenantId, account.id),
    billToParentChildCurrencies: isNew ? [] : await loadBillToParentChildCurrencies(tx, account.tenantId, account.id),
  });
  if (violations.length > 0) {
    throw hierarchyError(
      violations.map((v) => ({ in: 'body', field: v.field, code: v.code, message: violationMessage(v) })),
    );
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

function externalIdTaken(externalId: string | null): RackrateError {
  return new RackrateError('external_id_taken', `Another active account already has external_id ${externalId}.`, {
    errors: [{ in: 'body', field: 'external_id', code: 'taken', message: 'is already used by another account' }],
  });
}

/** Inserts or updates, turning the external-id unique violation into its API error. */
async function save(tx: EntityManager, account: Account, isNew: boolean): Promise<void> {
  try {
    // A savepoint keeps the transaction usable after a constraint error.
    await tx.query('SAVEPOINT account_save');
    if (isNew) await tx.insert(Account, account);
    else await tx.update(Account, { tenantId: account.tenantId, id: account.id }, account);
    await tx.query('RELEASE SAVEPOINT account_save');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT account_save');
    if (isUniqueViolation(error, 'accounts_external_id_key')) throw externalIdTaken(account.externalId);
    throw error;
  }
}

export async function createAccount(tx: EntityManager, ctx: ChangeContext, input: CreateAccountInput): Promise<Account> {
  const account = tx.create(Account, {
    id: uuidv7(ctx.now.getTime()),
    tenantId: ctx.tenantId,
    externalId: input.external_id ?? null,
    name: input.name,
    legalName: input.legal_name ?? null,
    email: input.email ?? null,
    currency: input.currency,
    timezone: input.timezone ?? 'UTC',
    locale: input.locale ?? 'en-US',
    billingAnchorDay: input.billing_anchor_day ?? 1,
    netTermsDays: input.payment_terms ? paymentTermsDays(input.payment_terms) : 0,
    taxIds: input.tax_ids ?? [],
    taxExemption: input.tax_exemption ?? 'none',
    billingAddress: input.billing_address ?? null,
    serviceAddress: input.service_address ?? null,
    contacts: input.contacts ?? [],
    invoiceDelivery: input.invoice_delivery ?? 'email',
    metadata: input.metadata ?? {},
    parentId: input.parent_id ?? null,
    billToParent: input.bill_to_parent ?? false,
    status: 'active',
    archivedAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  if (account.parentId !== null) {
    await lockTenantHierarchy(tx, ctx.tenantId);
    await assertHierarchy(tx, account, true);
  } else if (account.billToParent) {
    await assertHierarchy(tx, account, true);
  }
  await save(tx, account, true);
  await recordChange(tx, ctx, {
    action: 'account.created',
    resourceType: RESOURCE,
    resourceId: account.id,
    before: null,
    after: accountRepresentation(account),
  });
  return account;
}

export async function getAccount(tx: EntityManager, tenantId: string, id: string): Promise<Account | null> {
  return tx.findOneBy(Account, { tenantId, id });
}

async function getAccountForUpdate(tx: EntityManager, tenantId: string, id: string): Promise<Account> {
  const account = await tx
    .createQueryBuilder(Account, 'a')
    .setLock('pessimistic_write')
    .where('a.tenant_id = :tenantId AND a.id = :id', { tenantId, id })
    .getOne();
  if (!account) throw notFound('account', id);
  return account;
}

function applyPatch(account: Account, patch: UpdateAccountInput): void {
  if (patch.external_id !== undefined) account.externalId = patch.external_id;
  if (patch.name !== undefined) account.name = patch.name;
  if (patch.legal_name !== undefined) account.legalName = patch.legal_name;
  if (patch.email !== undefined) account.email = patch.email;
  if (patch.currency !== undefined) account.currency = patch.currency;
  if (patch.timezone !== undefined) account.timezone = patch.timezone;
  if (patch.locale !== undefined) account.locale = patch.locale;
  if (patch.billing_anchor_day !== undefined) account.billingAnchorDay = patch.billing_anchor_day;
  if (patch.payment_terms !== undefined) account.netTermsDays = paymentTermsDays(patch.payment_terms);
  if (patch.tax_ids !== undefined) account.taxIds = patch.tax_ids;
  if (patch.tax_exemption !== undefined) account.taxExemption = patch.tax_exemption;
  if (patch.billing_address !== undefined) account.billingAddress = patch.billing_address;
  if (patch.service_address !== undefined) account.serviceAddress = patch.service_address;
  if (patch.contacts !== undefined) account.contacts = patch.contacts;
  if (patch.invoice_delivery !== undefined) account.invoiceDelivery = patch.invoice_delivery;
  if (patch.parent_id !== undefined) account.parentId = patch.parent_id;
  if (patch.bill_to_parent !== undefined) account.billToParent = patch.bill_to_parent;
  if (patch.metadata !== undefined) {
    const merged: Record<string, string> = { ...account.metadata };
    for (const [key, value] of Object.entries(patch.metadata)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    account.metadata = merged;
  }
}

export async function updateAccount(
  tx: EntityManager,
  ctx: ChangeContext,
  id: string,
  patch: UpdateAccountInput,
): Promise<Account> {
  const account = await getAccountForUpdate(tx, ctx.tenantId, id);
  if (account.status === 'archived') {
    throw new RackrateError('account_archived', `Account ${id} is archived and cannot be changed.`);
  }
  const before = accountRepresentation(account);
  const hierarchyTouched =
    patch.parent_id !== undefined || patch.bill_to_parent !== undefined || patch.currency !== undefined;
  if (hierarchyTouched) await lockTenantHierarchy(tx, ctx.tenantId);
  applyPatch(account, patch);

  // A PATCH that changes nothing writes nothing: no version bump, audit entry or event.
  if (canonicalJson(accountRepresentation(account)) === canonicalJson(before)) return account;

  if (hierarchyTouched) await assertHierarchy(tx, account, false);
  account.updatedAt = ctx.now;
  account.version += 1;
  if (Object.keys(account.metadata).length > METADATA_LIMITS.maxKeys) {
    const message = `would have more than ${METADATA_LIMITS.maxKeys} keys after this change`;
    throw new RackrateError('validation_failed', `metadata ${message}.`, {
      errors: [{ in: 'body', field: 'metadata', code: 'too_many_keys', message }],
    });
  }
  await save(tx, account, false);
  await recordChange(tx, ctx, {
    action: 'account.updated',
    resourceType: RESOURCE,
    resourceId: account.id,
    before,
    after: accountRepresentation(account),
  });
  return account;
}

/**
 * Archiving is the account's end of life: it stays readable (invoices and
 * the audit trail point at it) but cannot change. Archiving an archived
 * account returns it unchanged; children must be archived or moved first.
 */
export async function archiveAccount(tx: EntityManager, ctx: ChangeContext, id: string): Promise<Account> {
  await lockTenantHierarchy(tx, ctx.tenantId);
  const account = await getAccountForUpdate(tx, ctx.tenantId, id);
  if (account.status === 'archived') return account;
  const activeChildren = await countActiveChildren(tx, ctx.tenantId, id);
  if (activeChildren > 0) {
    throw new RackrateError(
      'account_has_active_children',
      `Account ${id} has ${activeChildren} active child account(s); archive or re-parent them first.`,
    );
  }
  const before = accountRepresentation(account);
  account.status = 'archived';
  account.archivedAt = ctx.now;
  account.updatedAt = ctx.now;
  account.version += 1;
  await save(tx, account, false);
  await recordChange(tx, ctx, {
    action: 'account.archived',
    resourceType: RESOURCE,
    resourceId: account.id,
    before,
    after: accountRepresentation(account),
  });
  return account;
}

export interface AccountListFilter {
  status: 'active' | 'archived' | 'all';
  externalId?: string | undefined;
  parentId?: string | undefined;
}

export async function listAccounts(
  tx: EntityManager,
  tenantId: string,
  filter: AccountListFilter,
  page: PageRequest,
): Promise<Page<Account>> {
  const query = tx.createQueryBuilder(Account, 'a').where('a.tenant_id = :tenantId', { tenantId });
  if (filter.status !== 'all') query.andWhere('a.status = :status', { status: filter.status });
  if (filter.externalId !== undefined) query.andWhere('a.external_id = :externalId', { externalId: filter.externalId });
  if (filter.parentId !== undefined) query.andWhere('a.parent_id = :parentId', { parentId: filter.parentId });
  return paginate(query, 'a', page);
}
