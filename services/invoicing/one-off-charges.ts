import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Product } from '../../db/entities/catalog/product';
import { Invoice } from '../../db/entities/invoicing/invoice';
import { OneOffCharge } from '../../db/entities/invoicing/one-off-charge';
import { Decimal } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { uuidv7 } from '../../lib/ids';
import { notFound, RackrateError, type FieldError } from '../../lib/errors';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { buildInvoice } from './invoice-builder';
import { applyBuilt, headerOf, lockBillingAccount, saveLines } from './invoice-drafts';
import { finalizeInvoice } from './invoice-lifecycle';
import { invoiceSummary } from './invoice-representation';
import { billingAccountIdOf, loadBillingGroup } from './invoice-sources';
import type { CreateOneOffChargeInput, OneOffItemInput } from './one-off-charge-schemas';

/**
 * One-off charges (remote hands, setup fees, hardware): created through the
 * API in the account's currency, they wait for the billing account's next
 * cycle invoice, or go straight onto a one-off invoice.
 */
export function oneOffChargeRepresentation(c: OneOffCharge) {
  return {
    id: c.id,
    object: 'one_off_charge' as const,
    account_id: c.accountId,
    currency: c.currency,
    description: c.description,
    quantity: new Decimal(c.quantity).toFixed(),
    unit_price: new Decimal(c.unitPrice).toFixed(),
    amount: money(new Decimal(c.amount), c.currency),
    product_code: c.productCode,
    tax_code: c.taxCode,
    service_date: c.serviceDate.toISOString(),
    invoice_id: c.invoiceId,
    metadata: c.metadata,
    created_at: c.createdAt.toISOString(),
  };
}

async function billableAccount(tx: EntityManager, tenantId: string, accountId: string, currency: string | undefined, field: string): Promise<Account> {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  if (account.status === 'archived') throw new RackrateError('account_archived', `Account ${accountId} is archived and cannot be charged.`);
  if (currency !== undefined && currency !== account.currency) {
    throw new RackrateError('account_currency_mismatch', `Account ${accountId} bills in ${account.currency}, not ${currency}.`, {
      errors: [{ in: 'body', field, code: 'account_currency', message: `must be ${account.currency}, the account's billing currency` }],
    });
  }
  return account;
}

async function newCharge(tx: EntityManager, change: ChangeContext, account: Account, item: OneOffItemInput, invoiceId: string | null, field: string): Promise<OneOffCharge> {
  let taxCode = item.tax_code ?? null;
  if (item.product_code !== undefined) {
    const product = await tx.findOneBy(Product, { tenantId: change.tenantId, code: item.product_code });
    if (!product) {
      throw new RackrateError('validation_failed', `No product with code ${item.product_code}.`, {
        errors: [{ in: 'body', field: `${field}product_code`, code: 'unknown_product', message: `no product has code ${item.product_code}` }],
      });
    }
    taxCode ??= product.taxCode;
  }
  const quantity = item.quantity ?? new Decimal(1);
  const charge = tx.create(OneOffCharge, {
    tenantId: change.tenantId,
    id: uuidv7(change.now.getTime()),
    accountId: account.id,
    currency: account.currency,
    productCode: item.product_code ?? null,
    taxCode,
    description: item.description,
    quantity: quantity.toFixed(),
    unitPrice: item.unit_price.toFixed(),
    // Rounding point 1 (docs/money.md): the line amount.
    amount: money(quantity.times(item.unit_price), account.currency),
    serviceDate: item.service_date ? new Date(item.service_date) : change.now,
    invoiceId,
    metadata: item.metadata ?? {},
    createdAt: change.now,
  });
  await tx.insert(OneOffCharge, charge);
  return charge;
}

export async function getOneOffCharge(tx: EntityManager, tenantId: string, id: string): Promise<OneOffCharge> {
  const charge = await tx.findOneBy(OneOffCharge, { tenantId, id });
  if (!charge) throw notFound('one-off charge', id);
  return charge;
}

export async function listOneOffCharges(
  tx: EntityManager,
  tenantId: string,
  filter: { accountId?: string | undefined; pending?: boolean | undefined },
  page: PageRequest,
): Promise<Page<OneOffCharge>> {
  const query = tx.createQueryBuilder(OneOffCharge, 'o').where('o.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('o.account_id = :accountId', { accountId: filter.accountId });
  if (filter.pending === true) query.andWhere('o.invoice_id IS NULL');
  if (filter.pending === false) query.andWhere('o.invoice_id IS NOT NULL');
  return paginate(query, 'o', page);
}

export async function createOneOffCharge(tx: EntityManager, change: ChangeContext, input: CreateOneOffChargeInput): Promise<OneOffCharge> {
  const account = await billableAccount(tx, change.tenantId, input.account_id, input.currency, 'currency');
  const charge = await newCharge(tx, change, account, input, null, '');
  await recordChange(tx, change, { action: 'one_off_charge.created', resourceType: 'one_off_charge', resourceId: charge.id, before: null, after: oneOffChargeRepresentation(charge) });
  return charge;
}

/** Deletes a charge still waiting for an invoice; one on an invoice is credited with a credit note instead. */
export async function deleteOneOffCharge(tx: EntityManager, change: ChangeContext, id: string): Promise<OneOffCharge> {
  const charge = await getOneOffCharge(tx, change.tenantId, id);
  const billing = await billingAccountIdOf(tx, change.tenantId, charge.accountId);
  await lockBillingAccount(tx, change.tenantId, billing);
  const [, deleted] = (await tx.query(`DELETE FROM one_off_charges WHERE tenant_id = $1 AND id = $2 AND invoice_id IS NULL`, [change.tenantId, id])) as [unknown, number];
  if (deleted === 0) {
    throw new RackrateError('invoice_state_conflict', `One-off charge ${id} is on invoice ${charge.invoiceId}; delete the draft or credit the line instead.`);
  }
  await recordChange(tx, change, { action: 'one_off_charge.deleted', resourceType: 'one_off_charge', resourceId: id, before: oneOffChargeRepresentation(charge), after: { ...oneOffChargeRepresentation(charge), deleted: true } });
  return charge;
}

export interface OneOffInvoiceInput {
  account_id: string;
  currency?: string | undefined;
  items: OneOffItemInput[];
  po_number?: string | undefined;
  memo?: string | undefined;
  net_terms_days?: number | undefined;
  finalize?: boolean | undefined;
}

/**
 * An invoice outside the cycle (hardware sold today, a setup fee billed
 * upfront): addressed to the account's billing account, with the items as
 * its only lines; a draft unless `finalize`.
 */
export async function createOneOffInvoice(tx: EntityManager, change: ChangeContext, input: OneOffInvoiceInput): Promise<Invoice> {
  const { tenantId } = change;
  const account = await billableAccount(tx, tenantId, input.account_id, input.currency, 'currency');
  const billingAccountId = await billingAccountIdOf(tx, tenantId, account.id);
  const billing = billingAccountId === account.id ? account : await billableAccount(tx, tenantId, billingAccountId, undefined, 'account_id');
  await lockBillingAccount(tx, tenantId, billing.id);
  const invoice = tx.create(Invoice, {
    tenantId, id: uuidv7(change.now.getTime()), accountId: billing.id, kind: 'one_off', cycleKey: null, number: null, sequenceValue: null,
    status: 'draft', currency: billing.currency, periodStart: null, periodEnd: null, billDate: change.now, graceEndsAt: null, autoFinalize: false,
    issuedAt: null, dueAt: null, netTermsDays: input.net_terms_days ?? billing.netTermsDays, poNumber: input.po_number ?? null, memo: input.memo ?? null,
    subtotal: '0', discountTotal: '0', taxTotal: '0', taxIncluded: '0', total: '0', creditApplied: '0', amountDue: '0', amountPaid: '0',
    amountRemaining: '0', creditedTotal: '0', document: {} as Invoice['document'], revision: 1, paidAt: null, voidedAt: null, markedUncollectibleAt: null,
    createdAt: change.now, updatedAt: change.now,
  });
  await tx.insert(Invoice, invoice);
  const problems: FieldError[] = [];
  for (const [i, item] of input.items.entries()) {
    try {
      await newCharge(tx, change, account, item, invoice.id, `items[${i}].`);
    } catch (error) {
      if (error instanceof RackrateError && error.code === 'validation_failed') problems.push(...error.errors);
      else throw error;
    }
  }
  if (problems.length > 0) throw new RackrateError('validation_failed', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems });
  const members = await loadBillingGroup(tx, tenantId, billing.id);
  const built = await buildInvoice(tx, tenantId, headerOf(invoice), members, { existingInvoiceId: invoice.id, applyCredit: true, includePending: false });
  applyBuilt(invoice, built);
  await tx.save(Invoice, invoice);
  await saveLines(tx, invoice, built);
  await recordChange(tx, change, { action: 'invoice.created', resourceType: 'invoice', resourceId: invoice.id, before: null, after: invoiceSummary(invoice) });
  return input.finalize ? finalizeInvoice(tx, change, invoice.id) : invoice;
}
