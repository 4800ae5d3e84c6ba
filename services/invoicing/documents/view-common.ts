import type { PostalAddress, TaxId } from '../../../domain/accounts/account';
import type { CustomerDetails, SellerDetails } from '../../../domain/invoicing/invoice-document';
import { taxIdName } from './labels';

/**
 * Pieces both document views (invoice, credit note) print the same way in
 * PDF and HTML: parties, brand, and the small decimal-string helpers that
 * keep amounts as strings (no arithmetic happens here, only sign and zero tests).
 */
export interface PartyView {
  name: string;
  lines: string[];
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface BrandView {
  primary: string;
  accent: string;
  logo: { mediaType: 'image/png' | 'image/jpeg'; data: Buffer } | null;
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Colours go into CSS and PDF operators: anything but #rrggbb falls back to the default. */
export function brandOf(seller: SellerDetails): BrandView {
  const logo = seller.logo;
  const data = logo && ['image/png', 'image/jpeg'].includes(logo.media_type) ? logo.base64.replace(/\s+/g, '') : '';
  return {
    primary: HEX_COLOUR.test(seller.primary_color) ? seller.primary_color : '#0b5cad',
    accent: HEX_COLOUR.test(seller.accent_color) ? seller.accent_color : '#f2a900',
    logo: logo && data && BASE64.test(data) ? { mediaType: logo.media_type, data: Buffer.from(data, 'base64') } : null,
  };
}

const US_STYLE = new Set(['US', 'CA', 'AU', 'PH']);

/** Postal lines; the country is left out when it is `home` (a domestic address, as post offices ask). */
export function addressLines(address: PostalAddress | null, locale: string, home: string | null = null): string[] {
  if (!address) return [];
  const postal = address.postal_code ?? '';
  const region = address.region ?? '';
  const locality = US_STYLE.has(address.country)
    ? `${address.city}${region ? `, ${region}` : ''}${postal ? ` ${postal}` : ''}`
    : `${postal ? `${postal} ` : ''}${address.city}${region ? `, ${region}` : ''}`;
  let country = address.country;
  try {
    country = new Intl.DisplayNames([locale], { type: 'region' }).of(address.country) ?? address.country;
  } catch {
    // An unknown code is printed as stored rather than hidden.
  }
  return [address.line1, address.line2 ?? '', locality, address.country === home ? '' : country].filter((line) => line.trim() !== '');
}

export function taxIdLines(taxIds: readonly TaxId[]): string[] {
  return taxIds.map((id) => `${taxIdName(id.type)} ${id.value}`);
}

export function sellerView(seller: SellerDetails, locale: string, customerCountry: string | null): PartyView {
  const lines = [
    ...(seller.legal_name && seller.legal_name !== seller.name ? [seller.legal_name] : []),
    ...addressLines(seller.address, locale, customerCountry),
    ...taxIdLines(seller.tax_ids),
  ];
  const contact = [seller.email, seller.phone, seller.website].filter((v): v is string => !!v);
  if (contact.length > 0) lines.push(contact.join(' · '));
  return { name: seller.name, lines };
}

export function customerView(customer: CustomerDetails, locale: string, sellerCountry: string | null): PartyView {
  const lines = [
    ...(customer.legal_name && customer.legal_name !== customer.name ? [customer.legal_name] : []),
    ...addressLines(customer.billing_address, locale, sellerCountry),
    ...taxIdLines(customer.tax_ids),
    ...(customer.email ? [customer.email] : []),
  ];
  return { name: customer.name, lines };
}

export function isZero(amount: string): boolean {
  return /^-?0+(\.0+)?$/.test(amount);
}

export function negated(amount: string): string {
  if (isZero(amount)) return amount.replace('-', '');
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

export function isNegative(amount: string): boolean {
  return amount.startsWith('-') && !isZero(amount);
}
