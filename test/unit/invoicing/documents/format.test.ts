import fc from 'fast-check';
import { completenessOf, documentFormat, paperFor } from '../../../../services/invoicing/documents/format';
import { labelsFor } from '../../../../services/invoicing/documents/labels';

// Intl spaces with no-break and thin spaces; compare with plain ones.
const nbsp = (text: string) => text.replace(/\s/g, ' ');

describe('documentFormat', () => {
  const usd = documentFormat('en-US', 'USD', 'America/New_York');

  test.each([
    ['12345678901234.57', '$12,345,678,901,234.57'],
    ['99999999999999999.99', '$99,999,999,999,999,999.99'],
    ['-185.00', '-$185.00'],
    ['0.00', '$0.00'],
    // An exact breakdown share keeps every digit: nothing is rounded on the way to the page.
    ['372.105', '$372.105'],
  ])('formats %s as %s from the string, without float rounding', (amount, expected) => {
    expect(usd.money(amount)).toBe(expected);
  });

  test('amounts with more than 15 significant digits survive exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (minor) => {
        const text = `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;
        const digits = usd.money(text).replace(/[^0-9]/g, '');
        expect(BigInt(digits)).toBe(minor);
      }),
    );
  });

  test('de-DE writes euros the German way', () => {
    const eur = documentFormat('de-DE', 'EUR', 'Europe/Berlin');
    expect(nbsp(eur.money('1234.56'))).toBe('1.234,56 €');
    expect(nbsp(eur.money('-47.50'))).toBe('-47,50 €');
    expect(eur.quantity('1734.56')).toBe('1.734,56');
  });

  test('JPY has no decimals in any locale', () => {
    expect(documentFormat('en-US', 'JPY', 'Asia/Tokyo').money('1250')).toBe('¥1,250');
    expect(documentFormat('ja-JP', 'JPY', 'Asia/Tokyo').money('1250')).toBe('￥1,250');
    expect(documentFormat('en-US', 'JPY', 'Asia/Tokyo').price('3')).toBe('¥3');
    expect(documentFormat('en-US', 'JPY', 'Asia/Tokyo').price('0.5')).toBe('¥0.5');
  });

  test('unit prices show the minor digits and every further digit they have', () => {
    expect(usd.price('0.1825')).toBe('$0.1825');
    expect(usd.price('2.5')).toBe('$2.50');
  });

  test('rejects anything that is not a decimal string', () => {
    for (const bad of ['1e5', 'NaN', 'Infinity', '', '1,234.00', ' 1']) expect(() => usd.money(bad)).toThrow(RangeError);
  });

  test('completeness is truncated, never rounded up to 100 %', () => {
    expect(usd.share('0.99999')).toBe('99.99%');
    expect(usd.share('0.9960')).toBe('99.60%');
    expect(completenessOf(8639, 8640, null)).toBe('0.9998');
    expect(completenessOf(8640, 8640, null)).toBe('1.0000');
    expect(completenessOf(null, 8640, null)).toBeNull();
    expect(completenessOf(1, 2, '0.4')).toBe('0.4');
  });

  test('periods are half-open: the last day printed is the day before the end, in the customer time zone', () => {
    expect(nbsp(usd.period('2026-04-01T04:00:00Z', '2026-05-01T04:00:00Z'))).toBe('Apr 1 – 30, 2026');
    const berlin = documentFormat('de-DE', 'EUR', 'Europe/Berlin');
    expect(berlin.period('2026-02-28T23:00:00Z', '2026-03-31T22:00:00Z')).toBe('01.–31.03.2026');
    // 03:30 UTC on 1 May is still 30 April in New York.
    expect(usd.date('2026-05-01T03:30:00Z')).toBe('Apr 30, 2026');
  });

  test('paper follows the customer region', () => {
    expect(paperFor('en-US')).toBe('LETTER');
    expect(paperFor('en-CA')).toBe('LETTER');
    expect(paperFor('de-DE')).toBe('A4');
    expect(paperFor('en-GB')).toBe('A4');
    expect(paperFor('ja')).toBe('A4');
  });
});

describe('labels', () => {
  test('English ordinals and German fall back correctly', () => {
    const en = labelsFor('en-US');
    expect([1, 2, 3, 11, 95, 99].map((p) => en.percentileName(p))).toEqual([
      '1st percentile', '2nd percentile', '3rd percentile', '11th percentile', '95th percentile', '99th percentile',
    ]);
    expect(en.percentileName(99.5)).toBe('99.5th percentile');
    expect(labelsFor('de-AT').percentileName(95)).toBe('95. Perzentil');
    expect(labelsFor('fr-FR').invoice).toBe('Invoice');
  });
});
