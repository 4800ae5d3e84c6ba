import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Tenant } from '../../db/entities/tenant';
import type { GroupMember } from '../../domain/invoicing/billing-group';
import { buildInvoiceGroups, completeInvoice, taxableLines, type CompletedInvoice } from '../../domain/invoicing/invoice-generator';
import type { CustomerDetails, InvoiceDocument, InvoiceStatus, SellerDetails } from '../../domain/invoicing/invoice-document';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { taxPlaceOf } from '../../domain/tax/tax-rate';
import { notFound } from '../../lib/errors';
import { creditBalanceOf } from './credit-balance';
import { loadInvoiceSources, loadMinimumCommitments, type InvoiceSources } from './invoice-sources';
import { taxProviderFor } from './tax-provider';

/**
 * Builds an invoice's document from the database's current facts: the
 * billable items, the tax provider's answer, the credit balance, the seller
 * (tenant branding) and the customer (billing account). The same function
 * builds drafts, finalised invoices and the upcoming-invoice preview; only
 * what the callers save differs.
 */
export interface InvoiceHeader {
  id: string;
  status: InvoiceStatus;
  number: string | null;
  currency: string;
  billingAccountId: string;
  billDate: Date;
  period: { start: Date; end: Date } | null;
  issuedAt: Date | null;
  dueAt: Date | null;
  poNumber: string | null;
  memo: string | null;
}

export interface BuiltInvoice {
  document: InvoiceDocument;
  completed: CompletedInvoice;
  sources: InvoiceSources;
}

export function sellerDetails(tenant: Tenant): SellerDetails {
  const b = tenant.branding;
  return {
    name: b.display_name ?? tenant.name,
    legal_name: b.legal_name ?? null,
    address: b.address ?? null,
    email: b.email ?? null,
    phone: b.phone ?? null,
    website: b.website ?? null,
    tax_ids: b.tax_ids ?? [],
    primary_color: b.primary_color ?? '#1f4e79',
    accent_color: b.accent_color ?? '#e8eef5',
    logo: b.logo ?? null,
    remittance: b.remittance ?? null,
    footer: b.footer ?? null,
  };
}

export function customerDetails(account: Account): CustomerDetails {
  return {
    account_id: account.id,
    name: account.name,
    legal_name: account.legalName,
    email: account.email,
    billing_address: account.billingAddress,
    tax_ids: account.taxIds,
    tax_exemption: account.taxExemption,
  };
}

export interface BuildOptions {
  /** Charges the draft already holds are part of it; a new invoice has none. */
  existingInvoiceId: string | null;
  /** Apply the account's credit balance (finalisation and previews); drafts show it too, as it stands now. */
  applyCredit: boolean;
  /** Sweep in the group's waiting charges (cycle invoices); a one-off invoice holds only what was put on it. */
  includePending: boolean;
  /** Extra items not yet stored (the upcoming-invoice preview's estimates). */
  extraItems?: InvoiceSources['items'];
}

export async function buildInvoice(
  tx: EntityManager,
  tenantId: string,
  header: InvoiceHeader,
  members: readonly GroupMember[],
  options: BuildOptions,
): Promise<BuiltInvoice> {
  const tenant = await tx.findOneBy(Tenant, { id: tenantId });
  const account = await tx.findOneBy(Account, { tenantId, id: header.billingAccountId });
  if (!tenant) throw notFound('tenant', tenantId);
  if (!account) throw notFound('account', header.billingAccountId);
  const sources = await loadInvoiceSources(tx, tenantId, members.map((m) => m.id), header.billDate, options.existingInvoiceId, options.includePending);
  const items = [...sources.items, ...(options.extraItems ?? [])];
  const minimums = await loadMinimumCommitments(tx, tenantId, header.currency, items, options.existingInvoiceId);
  const groups = buildInvoiceGroups({ currency: header.currency, members, items, minimums });
  const seller = sellerDetails(tenant);
  const tax = await taxProviderFor(tenant.taxProvider).calculate(tx, tenantId, {
    currency: header.currency,
    // The tax point is the bill date (docs/taxes.md).
    at: header.billDate,
    place: taxPlaceOf(account.billingAddress, seller.address),
    exemption: account.taxExemption,
    customerTaxIds: account.taxIds,
    lines: taxableLines(groups),
  });
  const credit = options.applyCredit ? await creditBalanceOf(tx, tenantId, account.id, header.currency) : ZERO;
  const completed = completeInvoice(groups, tax, header.currency, new Decimal(credit));
  const document: InvoiceDocument = {
    kind: 'invoice',
    id: header.id,
    number: header.number,
    status: header.status,
    currency: header.currency,
    locale: account.locale,
    timezone: account.timezone,
    period: header.period ? { start: header.period.start.toISOString(), end: header.period.end.toISOString() } : null,
    issued_at: header.issuedAt?.toISOString() ?? null,
    due_at: header.dueAt?.toISOString() ?? null,
    po_number: header.poNumber,
    memo: header.memo,
    seller,
    customer: customerDetails(account),
    groups: completed.groups,
    taxes: completed.taxes,
    tax_notes: completed.taxNotes,
    totals: completed.totals,
  };
  return { document, completed, sources };
}
