import { paymentTermsFromDays } from '../../domain/accounts/account';
import type { Account } from '../../db/entities/account';
import type { AccountRepresentation } from './account-schemas';

export function accountRepresentation(a: Account): AccountRepresentation {
  return {
    id: a.id,
    object: 'account',
    external_id: a.externalId,
    name: a.name,
    legal_name: a.legalName,
    email: a.email,
    currency: a.currency,
    timezone: a.timezone,
    locale: a.locale,
    billing_anchor_day: a.billingAnchorDay,
    payment_terms: paymentTermsFromDays(a.netTermsDays),
    tax_ids: a.taxIds,
    tax_exemption: a.taxExemption,
    billing_address: a.billingAddress,
    service_address: a.serviceAddress,
    contacts: a.contacts,
    invoice_delivery: a.invoiceDelivery,
    metadata: a.metadata,
    parent_id: a.parentId,
    bill_to_parent: a.billToParent,
    status: a.status,
    archived_at: a.archivedAt?.toISOString() ?? null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
    version: a.version,
  };
}
