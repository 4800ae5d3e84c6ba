import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { applicableRates, isValidAt, jurisdictionOf, overlappingRate, taxPlaceOf, type TaxRate } from '../../../domain/tax/tax-rate';

/** Which rates apply to a line (levels, tax codes, validity) and which rates clash. */
const T0 = new Date('2027-01-01T00:00:00Z');
const T1 = new Date('2027-07-01T00:00:00Z');
const T2 = new Date('2028-01-01T00:00:00Z');

let seq = 0;
function rate(fields: Partial<TaxRate> & Pick<TaxRate, 'country'>): TaxRate {
  seq += 1;
  return {
    id: `r${String(seq).padStart(4, '0')}`,
    name: 'Tax',
    region: null,
    taxCode: null,
    percentage: new Decimal(10),
    inclusive: false,
    validFrom: T0,
    validTo: null,
    ...fields,
  };
}

describe('taxPlaceOf', () => {
  const address = (country: string, region?: string | null) => ({ line1: '1 Main St', city: 'X', country, region });
  it.each([
    ['the customer address wins', address('CA', 'BC'), address('US', 'NY'), { country: 'CA', region: 'BC' }],
    ['the seller address when the customer has none', null, address('GB'), { country: 'GB', region: null }],
    ['a blank region is no region', address('DE', '  '), null, { country: 'DE', region: null }],
    ['nothing known: null', null, null, null],
  ])('%s', (_name, customer, seller, expected) => {
    expect(taxPlaceOf(customer, seller)).toEqual(expected);
  });
});

describe('applicableRates', () => {
  const gst = rate({ country: 'CA', name: 'GST', percentage: new Decimal(5) });
  const pst = rate({ country: 'CA', region: 'BC', name: 'PST', percentage: new Decimal(7) });
  const pstFood = rate({ country: 'CA', region: 'BC', taxCode: 'food', percentage: new Decimal(0) });
  const gstOld = rate({ country: 'CA', name: 'GST 2026', validFrom: new Date('2026-01-01T00:00:00Z'), validTo: T0 });
  const ny = rate({ country: 'US', region: 'NY', percentage: new Decimal(4) });
  const all = [gst, pst, pstFood, gstOld, ny];
  const ids = (rs: TaxRate[]) => rs.map((r) => r.id);

  it.each([
    ['country and region levels stack (GST + PST), region case-insensitive', { country: 'CA', region: 'bc' }, null, T1, [gst.id, pst.id]],
    ['a region without its own rate gets the country level only', { country: 'CA', region: 'ON' }, null, T1, [gst.id]],
    ['no region: the country level only', { country: 'CA', region: null }, null, T1, [gst.id]],
    ['a 0 % tax-code rate beats the generic one at its level only', { country: 'CA', region: 'BC' }, 'food', T1, [gst.id, pstFood.id]],
    ['an unknown tax code falls back to the generic rates', { country: 'CA', region: 'BC' }, 'other', T1, [gst.id, pst.id]],
    ['a US state rate alone', { country: 'US', region: 'ny' }, null, T1, [ny.id]],
    ['a state not in the table: nothing', { country: 'US', region: 'OR' }, null, T1, []],
    ['validity picks the rate of the instant (end exclusive)', { country: 'CA', region: null }, null, new Date(T0.getTime() - 1), [gstOld.id]],
    ['a country without rates: nothing', { country: 'FR', region: null }, null, T1, []],
  ])('%s', (_name, place, taxCode, at, expected) => {
    expect(ids(applicableRates(all, place, taxCode, at))).toEqual(expected);
  });

  it('is valid from validFrom inclusive to validTo exclusive', () => {
    const r = rate({ country: 'GB', validFrom: T0, validTo: T1 });
    expect(isValidAt(r, T0)).toBe(true);
    expect(isValidAt(r, new Date(T1.getTime() - 1))).toBe(true);
    expect(isValidAt(r, T1)).toBe(false);
    expect(isValidAt(r, new Date(T0.getTime() - 1))).toBe(false);
  });

  it('picks the same rate whatever order overlapping rates were loaded in', () => {
    const a = rate({ country: 'GB', validFrom: T0 });
    const b = rate({ country: 'GB', validFrom: T1 });
    expect(ids(applicableRates([a, b], { country: 'GB', region: null }, null, T2))).toEqual([b.id]);
    expect(ids(applicableRates([b, a], { country: 'GB', region: null }, null, T2))).toEqual([b.id]);
  });

  const instant = fc.integer({ min: T0.getTime(), max: T2.getTime() }).map((ms) => new Date(ms));
  const arbRate = fc
    .record({
      region: fc.constantFrom(null, 'R1', 'r1', 'R2'),
      taxCode: fc.constantFrom(null, 'a', 'b'),
      from: instant,
      days: fc.option(fc.integer({ min: 1, max: 400 })),
    })
    .map(({ region, taxCode, from, days }) =>
      rate({ country: 'CA', region, taxCode, validFrom: from, validTo: days === null ? null : new Date(from.getTime() + days * 86_400_000) }),
    );

  it('property: at most one rate per level, each valid at the instant, of the place, and the tax-code rate when there is one', () => {
    fc.assert(
      fc.property(fc.array(arbRate, { maxLength: 12 }), fc.constantFrom(null, 'R1', 'R2', 'R3'), fc.constantFrom(null, 'a', 'b'), instant, (candidates, region, taxCode, at) => {
        // Keep a table the API could hold: no two rates of a place and tax code overlap.
        const table: TaxRate[] = [];
        for (const c of candidates) if (overlappingRate(table, c) === null) table.push(c);
        const applied = applicableRates(table, { country: 'CA', region }, taxCode, at);
        for (const r of applied) {
          expect(isValidAt(r, at)).toBe(true);
          expect(r.region === null || r.region.toUpperCase() === region).toBe(true);
          expect(r.taxCode === null || r.taxCode === taxCode).toBe(true);
        }
        const levels = applied.map((r) => (r.region === null ? 'country' : 'region'));
        expect(new Set(levels).size).toBe(levels.length);
        // Oracle: at each level, the valid tax-code rate if any, else the valid generic rate.
        for (const level of ['country', 'region'] as const) {
          const here = table.filter((r) => isValidAt(r, at) && (level === 'country' ? r.region === null : region !== null && r.region?.toUpperCase() === region));
          const expected = here.find((r) => taxCode !== null && r.taxCode === taxCode) ?? here.find((r) => r.taxCode === null) ?? null;
          expect(applied.find((r) => (r.region === null) === (level === 'country'))?.id ?? null).toBe(expected?.id ?? null);
        }
      }),
    );
  });
});

describe('overlappingRate', () => {
  const existing = rate({ country: 'DE', region: 'BY', taxCode: 'books', validFrom: T0, validTo: T1 });
  const openEnded = rate({ country: 'DE', validFrom: T1 });
  const table = [existing, openEnded];
  const candidate = (fields: Partial<TaxRate>) => ({ country: 'DE', region: null, taxCode: null, validFrom: T0, validTo: null, ...fields });

  it.each([
    ['touching periods do not overlap (end is exclusive)', candidate({ validFrom: T0, validTo: T1 }), null],
    ['an open end reaches into a later rate', candidate({ validFrom: T0 }), openEnded.id],
    ['a period inside an open-ended rate', candidate({ validFrom: T2, validTo: new Date(T2.getTime() + 1000) }), openEnded.id],
    ['regions compare case-insensitively', candidate({ region: 'by', taxCode: 'books', validFrom: new Date('2027-03-01T00:00:00Z') }), existing.id],
    ['another tax code is another rate', candidate({ region: 'BY', taxCode: 'food', validFrom: T0 }), null],
    ['another region is another rate', candidate({ region: 'BE', taxCode: 'books', validFrom: T0 }), null],
    ['a rate never overlaps itself', { ...candidate({ validFrom: T2 }), id: openEnded.id }, null],
  ])('%s', (_name, c, expected) => {
    expect(overlappingRate(table, c)?.id ?? null).toBe(expected);
  });

  it('names the earliest overlapping rate', () => {
    const later = rate({ country: 'GB', validFrom: T1 });
    const earlier = rate({ country: 'GB', validFrom: T0, validTo: T1 });
    expect(overlappingRate([later, earlier], { country: 'GB', region: null, taxCode: null, validFrom: T0, validTo: null })?.id).toBe(earlier.id);
  });

  it('property: overlap is symmetric and means a shared instant', () => {
    const window = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.option(fc.integer({ min: 1, max: 100 })));
    fc.assert(
      fc.property(window, window, ([fa, la], [fb, lb]) => {
        const at = (n: number) => new Date(T0.getTime() + n * 1000);
        const a = rate({ country: 'GB', validFrom: at(fa), validTo: la === null ? null : at(fa + la) });
        const b = rate({ country: 'GB', validFrom: at(fb), validTo: lb === null ? null : at(fb + lb) });
        const clash = overlappingRate([a], b) !== null;
        expect(overlappingRate([b], a) !== null).toBe(clash);
        // Whole seconds: a shared instant exists iff a shared second-start exists in the scanned range.
        let shared = false;
        for (let s = 0; s <= 200 && !shared; s += 1) shared = isValidAt(a, at(s)) && isValidAt(b, at(s));
        expect(clash).toBe(shared);
      }),
    );
  });
});

describe('jurisdictionOf', () => {
  it('is the country, or country-region in upper case', () => {
    expect(jurisdictionOf({ country: 'DE', region: null })).toBe('DE');
    expect(jurisdictionOf({ country: 'CA', region: 'bc' })).toBe('CA-BC');
  });
});
