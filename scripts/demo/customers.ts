import type { CreateAccountInput } from '../../services/accounts/account-schemas';

/**
 * The demo provider's customers: a master-billing group with two sites
 * billed to the parent, plus stand-alone customers in USD, EUR and JPY
 * (a zero-decimal currency). Later capabilities add their own demo data.
 */
export const DEMO_PARENT: CreateAccountInput = {
  external_id: 'CUST-1001',
  name: 'Northwind Hosting Group',
  legal_name: 'Northwind Hosting Group, Inc.',
  email: 'ap@northwind.example',
  currency: 'USD',
  timezone: 'America/New_York',
  billing_anchor_day: 1,
  payment_terms: { type: 'net', days: 30 },
  tax_ids: [{ type: 'us_ein', value: '12-3456789' }],
  billing_address: { line1: '200 Park Avenue', city: 'New York', region: 'NY', postal_code: '10166', country: 'US' },
  contacts: [
    { name: 'Dana Whitfield', email: 'ap@northwind.example', phone: '+1 212 555 0142', roles: ['billing', 'primary'] },
    { name: 'NOC', email: 'noc@northwind.example', roles: ['technical'] },
  ],
  metadata: { crm_id: 'NW-77' },
};

export const DEMO_CHILDREN: Array<Omit<CreateAccountInput, 'parent_id'>> = [
  {
    external_id: 'CUST-1001-EWR',
    name: 'Northwind Hosting - Newark cage',
    currency: 'USD',
    timezone: 'America/New_York',
    bill_to_parent: true,
    service_address: { line1: '165 Halsey Street', city: 'Newark', region: 'NJ', postal_code: '07102', country: 'US' },
  },
  {
    external_id: 'CUST-1001-SJC',
    name: 'Northwind Hosting - San Jose cabinets',
    currency: 'USD',
    timezone: 'America/Los_Angeles',
    bill_to_parent: true,
    service_address: { line1: '11 Great Oaks Blvd', city: 'San Jose', region: 'CA', postal_code: '95119', country: 'US' },
  },
];

export const DEMO_STANDALONE: CreateAccountInput[] = [
  {
    external_id: 'CUST-1002',
    name: 'Acme Streaming',
    email: 'billing@acme-streaming.example',
    currency: 'USD',
    timezone: 'America/Chicago',
    billing_anchor_day: 15,
    payment_terms: { type: 'net', days: 15 },
    billing_address: { line1: '350 E Cermak Rd', city: 'Chicago', region: 'IL', postal_code: '60616', country: 'US' },
    contacts: [{ name: 'Priya Raman', email: 'billing@acme-streaming.example', roles: ['billing'] }],
  },
  {
    external_id: 'CUST-2001',
    name: 'Globex Research GmbH',
    email: 'rechnung@globex.example',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    locale: 'de-DE',
    payment_terms: { type: 'net', days: 14 },
    tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }],
    tax_exemption: 'reverse_charge',
    billing_address: { line1: 'Kleyerstrasse 90', city: 'Frankfurt am Main', postal_code: '60326', country: 'DE' },
  },
  {
    external_id: 'CUST-3001',
    name: 'Initech Cloud KK',
    email: 'keiri@initech.example',
    currency: 'JPY',
    timezone: 'Asia/Tokyo',
    locale: 'ja-JP',
    billing_anchor_day: 31,
    payment_terms: { type: 'due_on_receipt' },
    billing_address: { line1: '1-2-3 Otemachi', city: 'Chiyoda-ku', region: 'Tokyo', postal_code: '100-0004', country: 'JP' },
    invoice_delivery: 'portal',
  },
];
