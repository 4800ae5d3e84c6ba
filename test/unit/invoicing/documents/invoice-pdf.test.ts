import type { InvoiceDocument } from '../../../../domain/invoicing/invoice-document';
import { Decimal, sum } from '../../../../domain/money/decimal';
import { renderCreditNotePdf } from '../../../../services/invoicing/documents/credit-note-pdf';
import { renderInvoicePdf } from '../../../../services/invoicing/documents/invoice-pdf';
import { buildInvoice } from '../../../support/invoice-fixture-builder';
import { largeMasterInvoice, meridianSeller, sampleCreditNote, sampleEuroInvoice, sampleMasterInvoice } from '../../../support/invoice-fixtures';
import { readPdf } from '../../../support/pdf-text';

jest.setTimeout(60_000);

describe('the sample master invoice PDF', () => {
  let pages: string[];
  let text: string;
  let info: Record<string, unknown>;

  beforeAll(async () => {
    ({ pages, text, info } = await readPdf(await renderInvoicePdf(sampleMasterInvoice())));
  });

  test('fits on one or two pages, each numbered', () => {
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
  });

  test('shows seller, customer, number, dates and terms', () => {
    for (const expected of [
      'Meridian Colocation', 'EIN 84-3127765', 'Northwind Data, Inc.', '1250 Broadway, 14th Floor', 'INV-000042',
      'Issue date May 3, 2026', 'Due date Jun 2, 2026', 'Billing period Apr 1 – 30, 2026', 'PO-NW-2026-0117',
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('groups the lines per account with a heading and a subtotal each, the Japanese name included', () => {
    expect(text).toContain('Northwind Data › Edge Labs');
    expect(text).toContain('Northwind Data › Edge Labs › ノースウィンド東京');
    expect(text).toContain('Subtotal Northwind Data $3,968.31');
    expect(text).toContain('Subtotal Edge Labs $2,500.00');
    expect(text).toContain('Subtotal ノースウィンド東京 $395.31');
  });

  test('prints each line with its rating breakdown and tax', () => {
    expect(text).toContain('Cabinet 42U, NYC1 Hall B, B-14 Apr 1 – 30, 2026 1 $1,850.00 $1,850.00');
    expect(text).toContain('Peak 4.62 kW: 0.62 kW above commit at 260.00');
    expect(text).toContain('Coupon LAUNCH10');
    expect(text).toContain('-$185.00');
    expect(text).toContain('Minimum monthly commitment true-up');
    expect(text).toContain('NY sales tax 8.875 % $164.19');
  });

  test('puts the 95th-percentile evidence under the transit line', () => {
    expect(text).toContain('95th percentile billed: 748.07 Mbps · Commit: 500 Mbps · Method: nearest rank');
    expect(text).toContain('Data completeness: 8,606 of 8,640 samples (99.60%)');
    for (const legend of ['Inbound', 'Outbound', 'No sample', 'Mbps', 'Apr 15']) expect(text).toContain(legend);
  });

  test('ends with the tax summary, totals and remittance details', () => {
    for (const expected of [
      'NY sales tax 8.875 % US-NY (New York City) $6,823.62 $605.60', 'Subtotal $7,048.62', 'Discounts -$185.00', 'Tax $605.60',
      'Total $7,469.22', 'Credit applied -$500.00', 'Amount due $6,969.22', 'ACH transfer', 'ABA routing no. 021000322',
      'Wire transfer', 'SWIFT/BIC FHUBUS33', 'Check', 'PO Box 5120, New York, NY 10008', 'Please quote INV-000042 with your payment.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('dates its metadata from the document, not the clock', () => {
    expect(String(info.CreationDate)).toMatch(/^D:20260503130000/);
    expect(info.Title).toBe('Invoice INV-000042');
  });
});

describe('determinism', () => {
  test('the same input gives the same bytes, whatever the clock and the random numbers say', async () => {
    const first = await renderInvoicePdf(sampleMasterInvoice());
    jest.useFakeTimers({ now: new Date('2031-07-04T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.123);
    const bytes = jest.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
      new Uint8Array(array.buffer).fill(7);
      return array;
    });
    try {
      const second = await renderInvoicePdf(sampleMasterInvoice());
      expect(second.equals(first)).toBe(true);
    } finally {
      jest.useRealTimers();
      random.mockRestore();
      bytes.mockRestore();
    }
    const credit = await renderCreditNotePdf(sampleCreditNote());
    expect((await renderCreditNotePdf(sampleCreditNote())).equals(credit)).toBe(true);
  });

  test('a different document gives different bytes (the test above can fail)', async () => {
    const sample = sampleMasterInvoice();
    const other = { ...sample, document: { ...sample.document, po_number: 'PO-OTHER' } };
    expect((await renderInvoicePdf(other)).equals(await renderInvoicePdf(sample))).toBe(false);
  });
});

describe('pagination', () => {
  test('a 250-line master invoice repeats the table header and numbers every page', async () => {
    const { pages, text } = await readPdf(await renderInvoicePdf(largeMasterInvoice(250)));
    expect(pages.length).toBeGreaterThanOrEqual(8);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      if (i > 0) expect(page).toContain('Invoice INV-000043 · Northwind Data');
    });
    // Every page but the last (which may hold only the totals) carries the table header.
    for (const page of pages.slice(0, -1)) expect(page).toContain('Description Service period Qty Unit price Amount');
    expect(pages.slice(1).some((page) => page.includes('(continued)'))).toBe(true);
    for (let n = 0; n < 250; n++) expect(text.split(`XC-${10_000 + n},`).length - 1).toBe(1);
    // 250 × $150.00, plus 8.875 % rounded per line ($13.31 each).
    expect(text).toContain('Subtotal $37,500.00 Tax $3,327.50 Total $40,827.50');
  });
});

describe('locales and currencies', () => {
  test('a German reverse-charge invoice is written in German with euros', async () => {
    const { pages, text } = await readPdf(await renderInvoicePdf(sampleEuroInvoice()));
    for (const expected of [
      'Rechnung', 'RE-2026-000318', 'Rechnungsdatum 02.04.2026', 'Abrechnungszeitraum 01.–31.03.2026', '1.234,56 €', 'Gesamtbetrag 2.090,61 €',
      'Steuerschuldnerschaft des Leistungsempfängers', 'USt. Reverse Charge 0 %', 'Datenvollständigkeit', 'IBAN DE89 3704 0044 0532 0130 00',
      'Österreich', 'Jörg Weiß',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pages[0]).toContain(`Seite 1 von ${pages.length}`);
  });

  test('yen amounts have no decimals', async () => {
    const base = sampleMasterInvoice().document;
    const yen = buildInvoice({
      ...base,
      currency: 'JPY',
      locale: 'en-US',
      timezone: 'Asia/Tokyo',
      customer: { ...base.customer, name: '株式会社ノースウィンド', legal_name: null },
      groups: [{ account_id: 'a', account_name: 'Tokyo', path: ['Tokyo'], lines: [{ key: 'k', kind: 'recurring', description: 'Rack', quantity: '1', unit_price: '1250', amount: '1250' }] }],
      tax: { rate_id: 'jp', name: 'Consumption tax', percentage: '10', jurisdiction: 'JP' },
      tax_notes: [],
      credit_available: '0',
      amount_paid: '0',
    });
    const { text } = await readPdf(await renderInvoicePdf({ document: yen, graphs: {} }));
    expect(text).toContain('株式会社ノースウィンド');
    expect(text).toContain('¥1,250');
    expect(text).toContain('Total ¥1,375');
    expect(text).not.toMatch(/¥[\d,]+\.\d/);
  });
});

describe('other states', () => {
  test('a draft has no number and says DRAFT', async () => {
    const sample = sampleMasterInvoice();
    const draft = { ...sample, document: { ...sample.document, status: 'draft' as const, number: null, issued_at: null, due_at: null } };
    const { text } = await readPdf(await renderInvoicePdf(draft));
    expect(text).toContain('Draft invoice');
    expect(text).toContain('Invoice number DRAFT');
    expect(text).not.toContain('INV-000042');
  });

  test('a percentile line without samples still prints its facts', async () => {
    const { text } = await readPdf(await renderInvoicePdf({ ...sampleMasterInvoice(), graphs: {} }));
    expect(text).toContain('95th percentile billed: 748.07 Mbps');
    expect(text).toContain('Sample graph not available for this line.');
    expect(text).not.toContain('No sample');
  });
});

describe('the credit note PDF', () => {
  test('carries the branding, the invoice it credits, reason, outcome, lines and totals', async () => {
    const { pages, text } = await readPdf(await renderCreditNotePdf(sampleCreditNote()));
    expect(pages).toHaveLength(1);
    for (const expected of [
      'Meridian Colocation', 'Credit note', 'CN-000007', 'For invoice INV-000042', 'Issue date May 20, 2026', 'Northwind Data',
      'SLA credit: power event in NYC1 Hall B', 'Added to your account credit balance', 'SLA credit 10 %: Cabinet 42U, NYC1 Hall B, B-14 $16.42 $185.00',
      'Subtotal $305.00', 'Tax $27.07', 'Total credited $332.07', 'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('fixtures', () => {
  const check = (document: InvoiceDocument) => {
    const lines = document.groups.flatMap((g) => g.lines);
    const amount = (kind: 'discount' | 'other') => sum(lines.filter((l) => (l.kind === 'discount') === (kind === 'discount')).map((l) => new Decimal(l.amount)));
    const t = document.totals;
    expect(new Decimal(t.subtotal).equals(amount('other'))).toBe(true);
    expect(new Decimal(t.discount_total).equals(amount('discount').negated())).toBe(true);
    expect(new Decimal(t.tax_total).equals(sum(document.taxes.map((x) => new Decimal(x.amount))))).toBe(true);
    expect(new Decimal(t.tax_total).equals(sum(lines.flatMap((l) => l.taxes).map((x) => new Decimal(x.amount))))).toBe(true);
    expect(new Decimal(t.total).equals(new Decimal(t.subtotal).minus(t.discount_total).plus(t.tax_total))).toBe(true);
    expect(new Decimal(t.amount_due).equals(Decimal.max(new Decimal(t.total).minus(t.credit_applied), 0))).toBe(true);
    for (const group of document.groups) expect(new Decimal(group.subtotal).equals(sum(group.lines.map((l) => new Decimal(l.amount))))).toBe(true);
  };

  test('every sample invoice adds up by the formulas of invoice-document.ts', () => {
    for (const input of [sampleMasterInvoice(), sampleEuroInvoice(), largeMasterInvoice()]) check(input.document);
    expect(sampleMasterInvoice().document.groups.map((g) => g.depth)).toEqual([0, 1, 2]);
    expect(meridianSeller().logo?.base64.startsWith('iVBORw0KGgo')).toBe(true);
  });
});
