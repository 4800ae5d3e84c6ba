import { Decimal, sum } from '../../../domain/money/decimal';
import { calculateTax, NO_PLACE_NOTE, REVERSE_CHARGE_NOTE, TAX_EXEMPT_NOTE, type TaxRequest } from '../../../domain/tax/tax-calculation';
import type { TaxRate } from '../../../domain/tax/tax-rate';

/** Worked examples, each checked to the minor unit by hand (docs/taxes.md shows the same ones). */
const AT = new Date('2027-03-15T00:00:00Z');
const FROM = new Date('2020-01-01T00:00:00Z');

function rate(id: string, country: string, percentage: string, fields: Partial<TaxRate> = {}): TaxRate {
  return { id, name: id, country, region: null, taxCode: null, percentage: new Decimal(percentage), inclusive: false, validFrom: FROM, validTo: null, ...fields };
}

function request(currency: string, place: TaxRequest['place'], lines: Array<[string, string, string?]>, extra: Partial<TaxRequest> = {}): TaxRequest {
  return {
    currency,
    at: AT,
    place,
    exemption: 'none',
    customerTaxIds: [],
    lines: lines.map(([key, amount, taxCode]) => ({ key, amount: new Decimal(amount), taxCode: taxCode ?? null })),
    ...extra,
  };
}

/** line key → "rate amount" pairs, easy to read in a table. */
function lineTaxes(result: ReturnType<typeof calculateTax>): Record<string, string[]> {
  return Object.fromEntries([...result.lines].map(([key, taxes]) => [key, taxes.map((t) => `${t.rate_id} ${t.amount}`)]));
}

const UK = rate('uk-vat', 'GB', '20', { name: 'VAT' });
const UK_BOOKS = rate('uk-books', 'GB', '0', { taxCode: 'books', name: 'VAT (zero-rated)' });
const DE = rate('de-vat', 'DE', '19', { name: 'MwSt.', inclusive: true });
const GST = rate('ca-gst', 'CA', '5', { name: 'GST' });
const PST = rate('ca-bc-pst', 'CA', '7', { region: 'BC', name: 'PST' });
const TABLE = [UK, UK_BOOKS, DE, GST, PST];

describe('worked examples', () => {
  it('UK 20 % exclusive: tax on the invoice, discounts reduce it, lines add up to it', () => {
    const result = calculateTax(TABLE, request('GBP', { country: 'GB', region: null }, [['colo', '100.00'], ['power', '49.99'], ['discount', '-10.00']]));
    // 139.99 × 20 % = 27.998 → 28.00; per line 20.00 + 9.998 − 2.00 shares it by largest remainder.
    expect(result.summary).toEqual([
      { rate_id: 'uk-vat', name: 'VAT', percentage: '20', inclusive: false, jurisdiction: 'GB', taxable_amount: '139.99', amount: '28.00' },
    ]);
    expect(lineTaxes(result)).toEqual({ colo: ['uk-vat 20.00'], power: ['uk-vat 10.00'], discount: ['uk-vat -2.00'] });
    expect(result.taxTotal.toFixed(2)).toBe('28.00');
    expect(result.taxIncluded.toFixed(2)).toBe('0.00');
    expect(result.notes).toEqual([]);
  });

  it('UK: tax is rounded once per rate, not per line (3 × 0.03 at 20 % is 0.02, not 0.03)', () => {
    const result = calculateTax(TABLE, request('GBP', { country: 'GB', region: null }, [['a', '0.03'], ['b', '0.03'], ['c', '0.03']]));
    expect(result.summary[0]!.amount).toBe('0.02');
    // Equal remainders: earlier lines first.
    expect(lineTaxes(result)).toEqual({ a: ['uk-vat 0.01'], b: ['uk-vat 0.01'], c: ['uk-vat 0.00'] });
  });

  it('DE 19 % inclusive: the price contains the tax; nothing is added', () => {
    const result = calculateTax(TABLE, request('EUR', { country: 'DE', region: null }, [['rack', '119.00'], ['hands', '100.00']]));
    // 119 × 19/119 = 19 exactly; 100 × 19/119 = 15.9663… → 34.966… → 34.97 in all.
    expect(result.summary).toEqual([
      { rate_id: 'de-vat', name: 'MwSt.', percentage: '19', inclusive: true, jurisdiction: 'DE', taxable_amount: '184.03', amount: '34.97' },
    ]);
    expect(lineTaxes(result)).toEqual({ rack: ['de-vat 19.00'], hands: ['de-vat 15.97'] });
    expect(result.taxTotal.toFixed(2)).toBe('0.00');
    expect(result.taxIncluded.toFixed(2)).toBe('34.97');
  });

  it('Canada: GST 5 % (country) and BC PST 7 % (province) stack', () => {
    const result = calculateTax(TABLE, request('CAD', { country: 'CA', region: 'bc' }, [['port', '1000.00'], ['xc', '250.50']]));
    expect(result.summary.map((s) => [s.jurisdiction, s.taxable_amount, s.amount])).toEqual([
      ['CA', '1250.50', '62.53'], // 62.525 → 62.53
      ['CA-BC', '1250.50', '87.54'], // 87.535 → 87.54
    ]);
    expect(lineTaxes(result)).toEqual({ port: ['ca-gst 50.00', 'ca-bc-pst 70.00'], xc: ['ca-gst 12.53', 'ca-bc-pst 17.54'] });
    expect(result.taxTotal.toFixed(2)).toBe('150.07');
    // Ontario has no provincial rate in this table: GST only.
    const on = calculateTax(TABLE, request('CAD', { country: 'CA', region: 'ON' }, [['port', '1000.00']]));
    expect(on.summary.map((s) => s.rate_id)).toEqual(['ca-gst']);
  });

  it('a 0 % tax-code rate zero-rates that product and still shows on the invoice', () => {
    const result = calculateTax(TABLE, request('GBP', { country: 'GB', region: null }, [['manual', '40.00', 'books'], ['colo', '100.00']]));
    expect(lineTaxes(result)).toEqual({ manual: ['uk-books 0.00'], colo: ['uk-vat 20.00'] });
    expect(result.summary.map((s) => [s.rate_id, s.taxable_amount, s.amount])).toEqual([
      ['uk-books', '40.00', '0.00'],
      ['uk-vat', '100.00', '20.00'],
    ]);
  });

  it('reverse charge: no tax, the legal sentence and the customer’s VAT number', () => {
    const result = calculateTax(
      TABLE,
      request('EUR', { country: 'DE', region: null }, [['rack', '119.00']], { exemption: 'reverse_charge', customerTaxIds: [{ type: 'eu_vat', value: 'FR40303265045' }] }),
    );
    expect(result.notes).toEqual([REVERSE_CHARGE_NOTE, 'Customer tax ID: FR40303265045.']);
    expect(lineTaxes(result)).toEqual({ rack: [] });
    expect(result.summary).toEqual([]);
    expect(result.taxTotal.isZero() && result.taxIncluded.isZero()).toBe(true);
    const noIds = calculateTax(TABLE, request('EUR', { country: 'DE', region: null }, [['rack', '1.00']], { exemption: 'reverse_charge' }));
    expect(noIds.notes).toEqual([REVERSE_CHARGE_NOTE]);
  });

  it('exempt: no tax on any line; an inclusive price stays as written with no tax in it', () => {
    const result = calculateTax(TABLE, request('EUR', { country: 'DE', region: null }, [['rack', '119.00']], { exemption: 'exempt' }));
    expect(result.notes).toEqual([TAX_EXEMPT_NOTE]);
    expect(lineTaxes(result)).toEqual({ rack: [] });
    expect(result.taxIncluded.isZero()).toBe(true);
  });

  it('no place of supply: no tax and a note saying so', () => {
    const result = calculateTax(TABLE, request('GBP', null, [['colo', '100.00']]));
    expect(result.notes).toEqual([NO_PLACE_NOTE]);
    expect(lineTaxes(result)).toEqual({ colo: [] });
  });

  it('JPY has no minor unit: 10 % of ¥999 is ¥100', () => {
    const jp = rate('jp-ct', 'JP', '10', { name: 'Consumption tax' });
    const result = calculateTax([jp], request('JPY', { country: 'JP', region: null }, [['a', '500'], ['b', '499']]));
    expect(result.summary[0]!.amount).toBe('100');
    expect(lineTaxes(result)).toEqual({ a: ['jp-ct 50'], b: ['jp-ct 50'] });
  });

  it('KWD has three: 5 % of 1.005 is 0.050', () => {
    const kw = rate('kw', 'KW', '5');
    const result = calculateTax([kw], request('KWD', { country: 'KW', region: null }, [['a', '1.005']]));
    expect(result.summary[0]!.amount).toBe('0.050');
  });

  it('inclusive and exclusive on one invoice: only exclusive tax is added', () => {
    const vatIncl = rate('incl', 'NZ', '15', { inclusive: true });
    const levy = rate('levy', 'NZ', '2', { taxCode: 'levy' });
    const levyZero = rate('levy-generic', 'NZ', '0', { taxCode: 'other' });
    const result = calculateTax([vatIncl, levy, levyZero], request('NZD', { country: 'NZ', region: null }, [['a', '115.00'], ['b', '50.00', 'levy']]));
    expect(lineTaxes(result)).toEqual({ a: ['incl 15.00'], b: ['levy 1.00'] });
    expect(result.taxTotal.toFixed(2)).toBe('1.00');
    expect(result.taxIncluded.toFixed(2)).toBe('15.00');
  });

  it('two inclusive rates on one line each contain their share of the gross', () => {
    const g = rate('g', 'CA', '5', { inclusive: true });
    const p = rate('p', 'CA', '7', { region: 'BC', inclusive: true });
    const result = calculateTax([g, p], request('CAD', { country: 'CA', region: 'BC' }, [['a', '112.00']]));
    expect(lineTaxes(result)).toEqual({ a: ['g 5.00', 'p 7.00'] });
    expect(result.summary.map((s) => s.taxable_amount)).toEqual(['100.00', '100.00']);
  });

  it('refuses what it cannot tax honestly: duplicate keys, unrounded amounts, unknown currencies', () => {
    expect(() => calculateTax(TABLE, request('GBP', { country: 'GB', region: null }, [['a', '1.00'], ['a', '2.00']]))).toThrow(/appears twice/);
    expect(() => calculateTax(TABLE, request('GBP', { country: 'GB', region: null }, [['a', '1.005']]))).toThrow(/minor units/);
    expect(() => calculateTax(TABLE, request('XXX', { country: 'GB', region: null }, [['a', '1']]))).toThrow(/unknown currency/);
  });

  it('a rate outside its validity does not apply', () => {
    const ended = rate('old', 'GB', '17.5', { validTo: AT });
    const result = calculateTax([ended], request('GBP', { country: 'GB', region: null }, [['a', '100.00']]));
    expect(result.summary).toEqual([]);
    expect(sum([...result.lines.values()].flat().map((t) => new Decimal(t.amount))).isZero()).toBe(true);
  });
});
