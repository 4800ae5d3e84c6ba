/**
 * The customer account: who is billed, in which currency and time zone, on
 * which terms and where the invoice goes. Nested value objects use the API's
 * snake_case field names because they are stored verbatim as JSONB and
 * returned verbatim; top-level fields are camelCase entity properties.
 */

export const ACCOUNT_STATUSES = ['active', 'archived'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface PostalAddress {
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postal_code?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** Tax registration kinds providers meet most; `other` carries anything else. */
export const TAX_ID_TYPES = [
  'eu_vat', 'gb_vat', 'ch_vat', 'no_vat', 'us_ein', 'ca_bn', 'ca_gst_hst', 'au_abn', 'au_gst',
  'nz_gst', 'in_gst', 'sg_gst', 'jp_cn', 'br_cnpj', 'mx_rfc', 'za_vat', 'ae_trn', 'other',
] as const;
export type TaxIdType = (typeof TAX_ID_TYPES)[number];

export interface TaxId {
  type: TaxIdType;
  value: string;
}

/** `reverse_charge`: B2B cross-border supply where the customer accounts for VAT. */
export const TAX_EXEMPTIONS = ['none', 'exempt', 'reverse_charge'] as const;
export type TaxExemption = (typeof TAX_EXEMPTIONS)[number];

export const CONTACT_ROLES = ['primary', 'billing', 'technical'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
  roles: ContactRole[];
}

/** Due on receipt, or net N days after the invoice is finalised. */
export type PaymentTerms = { type: 'due_on_receipt' } | { type: 'net'; days: number };

export const MAX_NET_TERMS_DAYS = 365;

/**
 * How finalised invoices reach the customer: e-mailed to billing contacts,
 * posted to the billing address, only published in the portal, or not sent
 * (the provider delivers them itself).
 */
export const INVOICE_DELIVERY_METHODS = ['email', 'postal', 'portal', 'none'] as const;
export type InvoiceDeliveryMethod = (typeof INVOICE_DELIVERY_METHODS)[number];

/**
 * Day of month each billing period starts for calendar-aligned plans. 29-31
 * fall back to the month's last day in shorter months (an anchor on the 31st
 * bills on Feb 28/29), so 31 means "month end".
 */
export const MIN_BILLING_ANCHOR_DAY = 1;
export const MAX_BILLING_ANCHOR_DAY = 31;

/** Stripe's metadata limits; enough for provider ids without becoming a document store. */
export const METADATA_LIMITS = { maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 } as const;

export function paymentTermsDays(terms: PaymentTerms): number {
  return terms.type === 'net' ? terms.days : 0;
}

export function paymentTermsFromDays(days: number): PaymentTerms {
  return days === 0 ? { type: 'due_on_receipt' } : { type: 'net', days };
}
