import type { TaxIdType } from '../../../domain/accounts/account';
import type { InvoiceStatus } from '../../../domain/invoicing/invoice-document';

/**
 * The words printed around the figures, in the customer's language where we
 * have it (English and German so far; any other language reads English,
 * while numbers and dates still follow the full locale). Descriptions on the
 * lines come from the catalogue and the rating and are printed as they are.
 */
export interface Labels {
  invoice: string;
  draftInvoice: string;
  draft: string;
  creditNote: string;
  status: Partial<Record<InvoiceStatus, string>>;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  billingPeriod: string;
  poNumber: string;
  memo: string;
  billTo: string;
  amountDue: string;
  dueBy: (date: string) => string;
  description: string;
  servicePeriod: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  groupSubtotal: (name: string) => string;
  lineTax: (name: string, percentage: string, inclusive: boolean) => string;
  taxSummary: string;
  taxRate: string;
  jurisdiction: string;
  taxableAmount: string;
  tax: string;
  subtotal: string;
  discounts: string;
  taxTotal: string;
  taxIncluded: string;
  total: string;
  creditApplied: string;
  amountPaid: string;
  amountRemaining: string;
  credited: string;
  howToPay: string;
  ach: string;
  wire: string;
  check: string;
  bank: string;
  accountName: string;
  accountNumber: string;
  routingNumber: string;
  iban: string;
  swift: string;
  payableTo: string;
  mailTo: string;
  paymentReference: (number: string) => string;
  page: (n: number, of: number) => string;
  continued: string;
  inbound: string;
  outbound: string;
  percentileName: (percentile: number) => string;
  commit: string;
  noSample: string;
  billedAt: (name: string, value: string) => string;
  commitAt: (value: string) => string;
  method: (name: string) => string;
  completeness: (known: string, expected: string, share: string) => string;
  completenessUnknown: string;
  graphUnavailable: string;
  forInvoice: string;
  creditNoteNumber: string;
  reason: string;
  outcome: { refund: string; credit_balance: string };
  creditedTotal: string;
}

const ORDINAL = new Intl.PluralRules('en-US', { type: 'ordinal' });
const SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

const en: Labels = {
  invoice: 'Invoice',
  draftInvoice: 'Draft invoice',
  draft: 'DRAFT',
  creditNote: 'Credit note',
  status: { paid: 'PAID', void: 'VOID', uncollectible: 'UNCOLLECTIBLE', partially_paid: 'PARTIALLY PAID' },
  invoiceNumber: 'Invoice number',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  billingPeriod: 'Billing period',
  poNumber: 'PO number',
  memo: 'Memo',
  billTo: 'Bill to',
  amountDue: 'Amount due',
  dueBy: (date) => `Due ${date}`,
  description: 'Description',
  servicePeriod: 'Service period',
  quantity: 'Qty',
  unitPrice: 'Unit price',
  amount: 'Amount',
  groupSubtotal: (name) => `Subtotal ${name}`,
  lineTax: (name, percentage, inclusive) => `${name} ${percentage}${inclusive ? ' (included)' : ''}`,
  taxSummary: 'Tax summary',
  taxRate: 'Rate',
  jurisdiction: 'Jurisdiction',
  taxableAmount: 'Taxable amount',
  tax: 'Tax',
  subtotal: 'Subtotal',
  discounts: 'Discounts',
  taxTotal: 'Tax',
  taxIncluded: 'Tax included in prices',
  total: 'Total',
  creditApplied: 'Credit applied',
  amountPaid: 'Amount paid',
  amountRemaining: 'Balance remaining',
  credited: 'Credited (credit notes)',
  howToPay: 'How to pay',
  ach: 'ACH transfer',
  wire: 'Wire transfer',
  check: 'Check',
  bank: 'Bank',
  accountName: 'Account name',
  accountNumber: 'Account no.',
  routingNumber: 'ABA routing no.',
  iban: 'IBAN',
  swift: 'SWIFT/BIC',
  payableTo: 'Payable to',
  mailTo: 'Mail to',
  paymentReference: (number) => `Please quote ${number} with your payment.`,
  page: (n, of) => `Page ${n} of ${of}`,
  continued: 'continued',
  inbound: 'Inbound',
  outbound: 'Outbound',
  percentileName: (p) => `${p}${Number.isInteger(p) ? SUFFIX[ORDINAL.select(p)] ?? 'th' : 'th'} percentile`,
  commit: 'Commit',
  noSample: 'No sample',
  billedAt: (name, value) => `${name} billed: ${value}`,
  commitAt: (value) => `Commit: ${value}`,
  method: (name) => `Method: ${name}`,
  completeness: (known, expected, share) => `Data completeness: ${known} of ${expected} samples (${share})`,
  completenessUnknown: 'Data completeness: not recorded',
  graphUnavailable: 'Sample graph not available for this line.',
  forInvoice: 'For invoice',
  creditNoteNumber: 'Credit note number',
  reason: 'Reason',
  outcome: { refund: 'Refunded to your payment method', credit_balance: 'Added to your account credit balance' },
  creditedTotal: 'Total credited',
};

const de: Labels = {
  ...en,
  invoice: 'Rechnung',
  draftInvoice: 'Rechnungsentwurf',
  draft: 'ENTWURF',
  creditNote: 'Gutschrift',
  status: { paid: 'BEZAHLT', void: 'STORNIERT', uncollectible: 'UNEINBRINGLICH', partially_paid: 'TEILWEISE BEZAHLT' },
  invoiceNumber: 'Rechnungsnummer',
  issueDate: 'Rechnungsdatum',
  dueDate: 'Fällig am',
  billingPeriod: 'Abrechnungszeitraum',
  poNumber: 'Bestellnummer',
  memo: 'Hinweis',
  billTo: 'Rechnungsempfänger',
  amountDue: 'Zu zahlen',
  dueBy: (date) => `Fällig am ${date}`,
  description: 'Beschreibung',
  servicePeriod: 'Leistungszeitraum',
  quantity: 'Menge',
  unitPrice: 'Einzelpreis',
  amount: 'Betrag',
  groupSubtotal: (name) => `Zwischensumme ${name}`,
  lineTax: (name, percentage, inclusive) => `${name} ${percentage}${inclusive ? ' (enthalten)' : ''}`,
  taxSummary: 'Steuerübersicht',
  taxRate: 'Steuersatz',
  jurisdiction: 'Steuergebiet',
  taxableAmount: 'Nettobetrag',
  tax: 'Steuer',
  subtotal: 'Zwischensumme',
  discounts: 'Rabatte',
  taxTotal: 'Steuer',
  taxIncluded: 'In den Preisen enthaltene Steuer',
  total: 'Gesamtbetrag',
  creditApplied: 'Verrechnetes Guthaben',
  amountPaid: 'Bezahlt',
  amountRemaining: 'Offener Betrag',
  credited: 'Gutgeschrieben',
  howToPay: 'Zahlungsinformationen',
  ach: 'ACH-Überweisung',
  wire: 'Überweisung',
  check: 'Scheck',
  bank: 'Bank',
  accountName: 'Kontoinhaber',
  accountNumber: 'Kontonr.',
  routingNumber: 'ABA-Routing-Nr.',
  payableTo: 'Zahlbar an',
  mailTo: 'Senden an',
  paymentReference: (number) => `Bitte geben Sie bei der Zahlung ${number} an.`,
  page: (n, of) => `Seite ${n} von ${of}`,
  continued: 'Fortsetzung',
  inbound: 'Eingehend',
  outbound: 'Ausgehend',
  percentileName: (p) => `${p}. Perzentil`,
  commit: 'Commit',
  noSample: 'Kein Messwert',
  billedAt: (name, value) => `Abgerechnetes ${name}: ${value}`,
  commitAt: (value) => `Commit: ${value}`,
  method: (name) => `Methode: ${name}`,
  completeness: (known, expected, share) => `Datenvollständigkeit: ${known} von ${expected} Messwerten (${share})`,
  completenessUnknown: 'Datenvollständigkeit: nicht erfasst',
  graphUnavailable: 'Für diese Position liegt kein Messwertdiagramm vor.',
  forInvoice: 'Zu Rechnung',
  creditNoteNumber: 'Gutschriftnummer',
  reason: 'Grund',
  outcome: { refund: 'Erstattung auf Ihr Zahlungsmittel', credit_balance: 'Ihrem Kundenguthaben gutgeschrieben' },
  creditedTotal: 'Gutschriftbetrag',
};

export function labelsFor(locale: string): Labels {
  return new Intl.Locale(locale).language === 'de' ? de : en;
}

/** How each percentile method is named on the document (DATACENTER.md: print the convention the bill used). */
const METHOD_NAMES: Record<string, string> = {
  nearest_rank: 'nearest rank',
  rrdtool: 'rrdtool PERCENT',
  rrdtool_nan: 'rrdtool PERCENTNAN',
  librenms_legacy: 'LibreNMS (legacy)',
  librenms: 'LibreNMS',
  cacti: 'Cacti',
};

export function methodName(method: string): string {
  return METHOD_NAMES[method] ?? method.replaceAll('_', ' ');
}

const TAX_ID_NAMES: Partial<Record<TaxIdType, string>> = {
  eu_vat: 'VAT', gb_vat: 'VAT', ch_vat: 'MWST', no_vat: 'MVA', us_ein: 'EIN', ca_bn: 'BN', ca_gst_hst: 'GST/HST',
  au_abn: 'ABN', au_gst: 'GST', nz_gst: 'GST', in_gst: 'GSTIN', sg_gst: 'GST', jp_cn: 'Corporate No.',
  br_cnpj: 'CNPJ', mx_rfc: 'RFC', za_vat: 'VAT', ae_trn: 'TRN',
};

export function taxIdName(type: TaxIdType): string {
  return TAX_ID_NAMES[type] ?? 'Tax ID';
}
