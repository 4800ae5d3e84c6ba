import type { CreditNoteDocument, CustomerDetails, InvoiceDocument, SellerDetails } from '../../domain/invoicing/invoice-document';
import { Decimal, sum } from '../../domain/money/decimal';
import { roundMoney } from '../../domain/money/money';
import type { InvoiceRenderInput } from '../../services/invoicing/documents/invoice-view';
import { bandwidthSeries, buildInvoice, encodePng, percentileFactsOf, type GroupSpec, type LineSpec } from './invoice-fixture-builder';

/**
 * Invoices a data-center provider sends, for the document tests and the
 * sample in docs/: a New York master invoice with two levels of child
 * accounts, a German reverse-charge invoice, a credit note, and a long
 * master invoice for pagination. Totals come from buildInvoice (Decimal).
 */
const APRIL = { start: '2026-04-01T04:00:00.000Z', end: '2026-05-01T04:00:00.000Z' };
const MARCH_BERLIN = { start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z' };
const SLOTS_PER_HOUR = 12;

let meridianLogo: string | null = null;

type Rgb = [number, number, number];
const WHITE: Rgb = [255, 255, 255];

/** A rack-shaped mark in the seller's colours, 96 px square; edge pixels are 3×3 supersampled for smooth corners. */
function logo(primary: Rgb, accent: Rgb): string {
  const size = 96;
  const inRoundedRect = (x: number, y: number, left: number, top: number, width: number, height: number, radius: number) => {
    if (x < left || x > left + width || y < top || y > top + height) return false;
    const dx = x - Math.min(Math.max(x, left + radius), left + width - radius);
    const dy = y - Math.min(Math.max(y, top + radius), top + height - radius);
    return dx * dx + dy * dy <= radius * radius;
  };
  const shade = (x: number, y: number): Rgb | null => {
    if (!inRoundedRect(x, y, 0, 0, size, size, 19)) return null;
    for (const top of [22, 42, 62]) {
      if (inRoundedRect(x, y, 66, top + 4, 6, 6, 3)) return accent;
      if (inRoundedRect(x, y, 18, top, 60, 14, 3)) return WHITE;
    }
    return primary;
  };
  const png = encodePng(size, size, (px, py) => {
    const corners = [shade(px, py), shade(px + 1, py), shade(px, py + 1), shade(px + 1, py + 1)];
    const centre = shade(px + 0.5, py + 0.5);
    // Inside one shape: the centre colour; on an edge: the average of nine samples.
    const samples = corners.every((c) => c === centre) ? [centre] : Array.from({ length: 9 }, (_, i) => shade(px + ((i % 3) + 0.5) / 3, py + (Math.floor(i / 3) + 0.5) / 3));
    const covered = samples.filter((c): c is Rgb => c !== null);
    if (covered.length === 0) return [0, 0, 0, 0];
    const mean = (k: 0 | 1 | 2) => Math.round(covered.reduce((total, c) => total + c[k], 0) / covered.length);
    return [mean(0), mean(1), mean(2), Math.round((covered.length / samples.length) * 255)];
  });
  return png.toString('base64');
}

export function meridianSeller(): SellerDetails {
  return {
    name: 'Meridian Colocation',
    legal_name: 'Meridian Colocation LLC',
    address: { line1: '60 Hudson Street, Suite 1402', city: 'New York', region: 'NY', postal_code: '10013', country: 'US' },
    email: 'billing@meridian-colo.example',
    phone: '+1 212 555 0142',
    website: 'meridian-colo.example',
    tax_ids: [{ type: 'us_ein', value: '84-3127765' }],
    primary_color: '#12395b',
    accent_color: '#e07a1f',
    logo: { media_type: 'image/png', base64: (meridianLogo ??= logo([0x12, 0x39, 0x5b], [0xe0, 0x7a, 0x1f])) },
    remittance: {
      bank_name: 'First Hudson Bank, N.A.',
      account_name: 'Meridian Colocation LLC',
      account_number: '4410227790',
      routing_number: '021000322',
      iban: null,
      swift_bic: 'FHUBUS33',
      check_address: { line1: 'PO Box 5120', city: 'New York', region: 'NY', postal_code: '10008', country: 'US' },
      instructions: 'International wires: beneficiary bank SWIFT FHUBUS33, charges shared (SHA).',
    },
    footer: 'Meridian Colocation LLC · 60 Hudson Street, New York, NY 10013 · Balances unpaid 30 days after the due date accrue 1.5 % per month.',
  };
}

function northwind(): CustomerDetails {
  return {
    account_id: 'acct-northwind',
    name: 'Northwind Data',
    legal_name: 'Northwind Data, Inc.',
    email: 'ap@northwind.example',
    billing_address: { line1: '1250 Broadway, 14th Floor', city: 'New York', region: 'NY', postal_code: '10001', country: 'US' },
    tax_ids: [{ type: 'us_ein', value: '27-4419023' }],
    tax_exemption: 'none',
  };
}

const NY_TAX = { rate_id: 'tax-ny-nyc', name: 'NY sales tax', percentage: '8.875', jurisdiction: 'US-NY (New York City)' };

/** Amount of a breakdown: exact product, the line rounds it. */
const times = (quantity: string, price: string) => new Decimal(quantity).times(price).toFixed();

interface TransitSpec {
  key: string;
  description: string;
  port: string;
  commit: string;
  commitPrice: string;
  burstPrice: string;
  account: string;
}

function transitLine(spec: TransitSpec, series: ReturnType<typeof bandwidthSeries>): LineSpec {
  const { key, description, commit, commitPrice, burstPrice, account } = spec;
  const facts = percentileFactsOf(series, commit, { subscription_id: `sub-${account}`, account_id: account, metric_code: 'transit_bps', group: { port: spec.port } });
  const burst = Decimal.max(new Decimal(facts.billed_rate).minus(commit), new Decimal(0)).toFixed();
  const committed = times(commit, commitPrice);
  const over = times(burst, burstPrice);
  return {
    key,
    kind: 'usage',
    description,
    quantity: facts.billed_rate,
    amount: new Decimal(committed).plus(over).toFixed(),
    breakdown: [
      { description: `Committed ${commit} Mbps at ${commitPrice}`, quantity: commit, unit_price: commitPrice, amount: committed },
      { description: `Burst ${burst} Mbps above commit at ${burstPrice}`, quantity: burst, unit_price: burstPrice, amount: over },
    ],
    percentile: facts,
  };
}

export function sampleTransitSeries() {
  const hour = (day: number, h: number) => ((day - 1) * 24 + h) * SLOTS_PER_HOUR;
  return bandwidthSeries({
    ...APRIL,
    seed: 2026,
    base: 310,
    swing: 420,
    utcOffsetHours: -4,
    // A 2-hour collector outage, one lost poll and a 45-minute switch reload: unknown, not zero.
    gaps: [[hour(9, 2), hour(9, 4)], [hour(17, 13) + 1, hour(17, 13) + 2], [hour(22, 10), hour(22, 10) + 9]],
    bursts: [[hour(15, 18), hour(15, 21)]],
  });
}

export function sampleMasterInvoice(): InvoiceRenderInput {
  const series = sampleTransitSeries();
  const transit = transitLine(
    { key: 'charge:sc-transit-b14', description: 'IP transit, 95th percentile, port nyc1-edge-2 xe-0/1/3 (1 Gbps)', port: 'nyc1-edge-2:xe-0/1/3', commit: '500', commitPrice: '1.20', burstPrice: '1.50', account: 'acct-northwind' },
    series,
  );
  const groups: GroupSpec[] = [
    {
      account_id: 'acct-northwind',
      account_name: 'Northwind Data',
      path: ['Northwind Data'],
      lines: [
        { key: 'charge:sc-cab-b14', kind: 'recurring', description: 'Cabinet 42U, NYC1 Hall B, B-14', quantity: '1', unit_price: '1850.00', amount: '1850.00' },
        {
          key: 'charge:sc-pwr-b14',
          kind: 'recurring',
          description: 'Power B-14: committed 4 kW (208 V 30 A, A+B feeds)',
          amount: new Decimal(times('4', '225.00')).plus(times('0.62', '260.00')).toFixed(),
          breakdown: [
            { description: 'Committed 4 kW at 225.00', quantity: '4', unit_price: '225.00', amount: times('4', '225.00') },
            { description: 'Peak 4.62 kW: 0.62 kW above commit at 260.00', quantity: '0.62', unit_price: '260.00', amount: times('0.62', '260.00') },
          ],
        },
        transit,
        { key: 'discount:LAUNCH10/charge:sc-cab-b14', kind: 'discount', description: 'Coupon LAUNCH10: 10 % off Cabinet 42U (month 4 of 6)', amount: '-185.00' },
        {
          key: 'one_off:oo-7781',
          kind: 'one_off',
          description: 'Remote hands, after hours, 14 Apr 02:10–03:25 (ticket RH-2291)',
          period: null,
          quantity: '1.5',
          unit_price: '180.00',
          amount: times('1.5', '180.00'),
          breakdown: [{ description: '75 minutes: 30-minute minimum, then 15-minute increments, billed 1.5 h at 180.00', quantity: '1.5', unit_price: '180.00', amount: times('1.5', '180.00') }],
        },
      ],
    },
    {
      account_id: 'acct-edge-labs',
      account_name: 'Edge Labs',
      path: ['Northwind Data', 'Edge Labs'],
      lines: [
        { key: 'charge:sc-half-c07', kind: 'recurring', description: 'Half cabinet 21U, NYC1 Hall C, C-07', quantity: '1', unit_price: '1100.00', amount: '1100.00' },
        { key: 'charge:sc-xc-40121', kind: 'recurring', description: 'Cross-connect, single-mode fibre to Zayo (XC-40121, XC-40122)', quantity: '2', unit_price: '300.00', amount: '600.00' },
        {
          key: 'true_up:sub-acct-edge-labs/2026-04-01',
          kind: 'minimum_true_up',
          description: 'Minimum monthly commitment true-up',
          amount: '800.00',
          breakdown: [
            { description: 'Monthly minimum commitment', quantity: null, unit_price: null, amount: '2500.00' },
            { description: 'Less charges this period', quantity: null, unit_price: null, amount: '-1700.00' },
          ],
        },
      ],
    },
    {
      account_id: 'acct-tokyo-pop',
      account_name: 'ノースウィンド東京',
      path: ['Northwind Data', 'Edge Labs', 'ノースウィンド東京'],
      lines: [
        { key: 'charge:sc-ipv4-28', kind: 'recurring', description: 'IPv4 /28 (16 addresses), 203.0.113.0/28', quantity: '16', unit_price: '2.50', amount: times('16', '2.50'), taxable: false },
        {
          key: 'charge:sc-kwh-c07',
          kind: 'usage',
          description: 'Metered power, PDU C-07-A/B',
          quantity: '1734.56',
          amount: times('1234.56', '0.1825'),
          breakdown: [
            { description: 'Included 500 kWh of 500 kWh allowance', quantity: '500', unit_price: '0', amount: '0' },
            { description: '1,234.56 kWh above allowance at 0.1825', quantity: '1234.56', unit_price: '0.1825', amount: times('1234.56', '0.1825') },
          ],
        },
        { key: 'charge:sc-port-1g/charge', kind: 'proration_charge', description: 'Port upgraded to 1 Gbps, from 18 Apr', period: { start: '2026-04-18T04:00:00.000Z', end: APRIL.end }, quantity: '1', unit_price: '500.00', amount: new Decimal('500.00').times(13).dividedBy(30).toFixed() },
        { key: 'charge:sc-port-100m/credit', kind: 'proration_credit', description: 'Unused time on 100 Mbps port, from 18 Apr', period: { start: '2026-04-18T04:00:00.000Z', end: APRIL.end }, quantity: '1', unit_price: '-200.00', amount: new Decimal('-200.00').times(13).dividedBy(30).toFixed() },
      ],
    },
  ];
  const document = buildInvoice({
    id: 'inv-0b7c1e2a',
    number: 'INV-000042',
    status: 'open',
    currency: 'USD',
    locale: 'en-US',
    timezone: 'America/New_York',
    period: APRIL,
    issued_at: '2026-05-03T13:00:00.000Z',
    due_at: '2026-06-02T13:00:00.000Z',
    po_number: 'PO-NW-2026-0117',
    memo: 'Bandwidth graphs show every 5-minute sample of the period; grey bands mark samples that never arrived.',
    seller: meridianSeller(),
    customer: northwind(),
    groups,
    tax: NY_TAX,
    tax_notes: [],
    credit_available: '500.00',
    amount_paid: '0',
  });
  return { document, graphs: { [transit.key]: series } };
}

export function sampleEuroInvoice(): InvoiceRenderInput {
  const series = bandwidthSeries({ ...MARCH_BERLIN, seed: 7, base: 90, swing: 150, utcOffsetHours: 1, gaps: [[2000, 2012]], bursts: [] });
  const transit = transitLine(
    { key: 'charge:fra2-transit', description: 'IP-Transit 95. Perzentil, Port fra2-core-1 et-0/0/2', port: 'fra2-core-1:et-0/0/2', commit: '200', commitPrice: '0.95', burstPrice: '1.20', account: 'acct-gruener-wald' },
    series,
  );
  const seller: SellerDetails = {
    ...meridianSeller(),
    name: 'Mainhafen Rechenzentrum',
    legal_name: 'Mainhafen Rechenzentrum GmbH',
    address: { line1: 'Hanauer Landstraße 302', city: 'Frankfurt am Main', postal_code: '60314', country: 'DE' },
    email: 'rechnung@mainhafen-rz.example',
    phone: '+49 69 555 0190',
    website: 'mainhafen-rz.example',
    tax_ids: [{ type: 'eu_vat', value: 'DE298765432' }],
    primary_color: '#1d5c4b',
    accent_color: '#c8a13a',
    logo: null,
    remittance: { bank_name: 'Commerzbank AG', account_name: 'Mainhafen Rechenzentrum GmbH', account_number: null, routing_number: null, iban: 'DE89 3704 0044 0532 0130 00', swift_bic: 'COBADEFFXXX', check_address: null, instructions: null },
    footer: 'Mainhafen Rechenzentrum GmbH · Amtsgericht Frankfurt am Main HRB 112233 · Geschäftsführer: Jörg Weiß',
  };
  const document = buildInvoice({
    id: 'inv-5f3a9c01',
    number: 'RE-2026-000318',
    status: 'open',
    currency: 'EUR',
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    period: MARCH_BERLIN,
    issued_at: '2026-04-02T08:00:00.000Z',
    due_at: '2026-04-16T08:00:00.000Z',
    po_number: null,
    memo: null,
    seller,
    customer: {
      account_id: 'acct-gruener-wald',
      name: 'Grüner Wald Hosting',
      legal_name: 'Grüner Wald Hosting GmbH',
      email: null,
      billing_address: { line1: 'Mariahilfer Straße 47', city: 'Wien', postal_code: '1060', country: 'AT' },
      tax_ids: [{ type: 'eu_vat', value: 'ATU12345678' }],
      tax_exemption: 'reverse_charge',
    },
    groups: [
      {
        account_id: 'acct-gruener-wald',
        account_name: 'Grüner Wald Hosting',
        path: ['Grüner Wald Hosting'],
        lines: [
          { key: 'charge:fra2-rack', kind: 'recurring', description: 'Rack 47 HE, FRA2 Raum 3, R3-12', quantity: '1', unit_price: '1234.56', amount: '1234.56' },
          { key: 'charge:fra2-power', kind: 'recurring', description: 'Stromkontingent 3 kW', quantity: '3', unit_price: '189.00', amount: times('3', '189.00') },
          transit,
          { key: 'one_off:fra2-rh-12', kind: 'one_off', description: 'Remote Hands, 12.03. (Ticket 4471)', period: null, quantity: '0.5', unit_price: '95.00', amount: times('0.5', '95.00') },
        ],
      },
    ],
    tax: { rate_id: 'tax-eu-rc', name: 'USt. Reverse Charge', percentage: '0', jurisdiction: 'AT' },
    tax_notes: ['Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, Art. 196 MwStSystRL). USt-IdNr. des Leistungsempfängers: ATU12345678.'],
    credit_available: '0',
    amount_paid: '0',
  });
  return { document, graphs: { [transit.key]: series } };
}

export function sampleCreditNote(): CreditNoteDocument {
  const invoice = sampleMasterInvoice().document;
  const credits = [
    { invoice_line_key: 'charge:sc-cab-b14', description: 'SLA credit 10 %: Cabinet 42U, NYC1 Hall B, B-14', amount: '185.00' },
    { invoice_line_key: 'charge:sc-transit-b14', description: 'SLA credit: IP transit, port nyc1-edge-2 xe-0/1/3', amount: '120.00' },
  ];
  const lines = credits.map((c) => ({ ...c, tax_amount: roundMoney(new Decimal(c.amount).times('0.08875'), 'USD').toFixed(2) }));
  const subtotal = sum(lines.map((l) => new Decimal(l.amount)));
  const tax = sum(lines.map((l) => new Decimal(l.tax_amount)));
  return {
    kind: 'credit_note',
    id: 'cn-77d2a0b4',
    number: 'CN-000007',
    invoice_id: invoice.id,
    invoice_number: invoice.number ?? '',
    currency: 'USD',
    locale: 'en-US',
    timezone: 'America/New_York',
    issued_at: '2026-05-20T15:30:00.000Z',
    reason: 'SLA credit: power event in NYC1 Hall B on 9 April 2026, 2 h 05 min outage (Service Level Agreement § 4.2).',
    memo: 'The credit is on your account and will be applied to your next invoice.',
    outcome: 'credit_balance',
    seller: invoice.seller,
    customer: invoice.customer,
    lines,
    subtotal: subtotal.toFixed(2),
    tax_total: tax.toFixed(2),
    total: subtotal.plus(tax).toFixed(2),
  };
}

/** A master invoice with `lineCount` lines over ten accounts, for pagination. */
export function largeMasterInvoice(lineCount = 250): InvoiceRenderInput {
  const sample = sampleMasterInvoice();
  const base = sample.document;
  const accounts = Array.from({ length: 10 }, (_, i) => {
    const path = i === 0 ? ['Northwind Data'] : i < 5 ? ['Northwind Data', `Site ${i}`] : ['Northwind Data', `Site ${i - 4}`, `Suite ${i}`];
    return { account_id: `acct-large-${i}`, account_name: path.at(-1) ?? '', path, lines: [] as LineSpec[] };
  });
  for (let n = 0; n < lineCount; n++) {
    const account = accounts[Math.floor((n * accounts.length) / lineCount)];
    account?.lines.push({
      key: `charge:xc-${n}`,
      kind: 'recurring',
      description: `Cross-connect XC-${10_000 + n}, single-mode fibre, ${n % 3 === 0 ? 'Zayo' : n % 3 === 1 ? 'Lumen' : 'Cogent'} meet-me room B`,
      quantity: '1',
      unit_price: '150.00',
      amount: '150.00',
      breakdown: n % 4 === 0 ? [{ description: 'Monthly recurring charge, activated 2025-11-03', quantity: '1', unit_price: '150.00', amount: '150.00' }] : [],
    });
  }
  const document: InvoiceDocument = buildInvoice({
    ...base,
    id: 'inv-large',
    number: 'INV-000043',
    groups: accounts,
    tax: NY_TAX,
    credit_available: '0',
    amount_paid: '0',
  });
  return { document, graphs: {} };
}
