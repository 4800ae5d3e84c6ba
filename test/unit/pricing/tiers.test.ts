import { Decimal } from '../../../domain/money/decimal';
import { graduatedConfig } from '../../../domain/pricing/models/graduated';
import { stairstepConfig } from '../../../domain/pricing/models/stairstep';
import { volumeConfig } from '../../../domain/pricing/models/volume';
import { describeTiers, landedTier, tierLabel, withBounds } from '../../../domain/pricing/tiers';

/** Issues as a catalogue lists them: "tiers[2].up_to: must be greater than tiers[1].up_to (100)". */
function problems(schema: { safeParse(value: unknown): { error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown): string[] {
  const path = (parts: PropertyKey[]) =>
    parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  return (schema.safeParse(value).error?.issues ?? []).map((issue) => `${path(issue.path)}: ${issue.message}`);
}
const graduated = (tiers: unknown) => problems(graduatedConfig, { model: 'graduated', tiers });

describe('tier validation', () => {
  it('accepts rising bounds with only the last tier open', () => {
    expect(graduated([{ up_to: '100', unit_price: '0.10' }, { up_to: '500', unit_price: '0.08', flat_fee: '5' }, { up_to: null, unit_price: '0' }])).toEqual([]);
    expect(graduated([{ up_to: null, unit_price: '0.10' }])).toEqual([]);
  });

  it.each([
    ['unordered bounds', [{ up_to: '100', unit_price: '1' }, { up_to: '50', unit_price: '1' }, { up_to: null, unit_price: '1' }], ['tiers[1].up_to: must be greater than tiers[0].up_to (100)']],
    ['a duplicate up_to', [{ up_to: '100', unit_price: '1' }, { up_to: '100', unit_price: '1' }, { up_to: null, unit_price: '1' }], ['tiers[1].up_to: must be greater than tiers[0].up_to (100)']],
    ['an open tier that is not last', [{ up_to: null, unit_price: '1' }, { up_to: '100', unit_price: '1' }, { up_to: null, unit_price: '1' }], ['tiers[0].up_to: only the last tier may be open (null)']],
    ['no open last tier', [{ up_to: '100', unit_price: '1' }, { up_to: '200', unit_price: '1' }], ['tiers[1].up_to: the last tier must be open (null) so every quantity has a price']],
    ['a negative price and fee', [{ up_to: '100', unit_price: '-0.10', flat_fee: '-5' }, { up_to: null, unit_price: '1' }], ['tiers[0].unit_price: must not be negative', 'tiers[0].flat_fee: must not be negative']],
    ['a zero bound', [{ up_to: '0', unit_price: '1' }, { up_to: null, unit_price: '1' }], ['tiers[0].up_to: must be greater than zero']],
    ['a negative bound', [{ up_to: '-10', unit_price: '1' }, { up_to: null, unit_price: '1' }], ['tiers[0].up_to: must not be negative']],
    ['no tiers at all', [], ['tiers: must have at least one tier']],
    ['an unknown field', [{ up_to: null, unit_price: '1', price: '2' }], ['tiers[0]: Unrecognized key: "price"']],
  ])('reports %s with its path', (_what, tiers, expected) => {
    expect(graduated(tiers)).toEqual(expected);
  });

  it.each([
    ['1e3', 'exponent notation'],
    ['12,50', 'a decimal comma'],
    ['abc', 'text'],
    [' 100', 'a leading space'],
    ['0x10', 'hex'],
  ])('refuses %p (%s) as a bound or a price', (text) => {
    expect(graduated([{ up_to: text, unit_price: text }, { up_to: null, unit_price: '1' }])).toEqual([
      'tiers[0].up_to: must be a decimal number written as a string, e.g. "12.50"',
      'tiers[0].unit_price: must be a decimal number written as a string, e.g. "12.50"',
    ]);
  });

  it('refuses numbers: catalogue numbers are decimal strings', () => {
    expect(graduated([{ up_to: 100, unit_price: 0.1 }, { up_to: null, unit_price: '1' }])).toEqual([
      'tiers[0].up_to: Invalid input: expected string, received number',
      'tiers[0].unit_price: Invalid input: expected string, received number',
    ]);
  });

  it('reports every problem at once, checking order around the tiers that failed', () => {
    const tiers = [
      { up_to: '100', unit_price: '0.10' },
      { up_to: 'lots', unit_price: '-1' }, // bad bound: left out of the order check
      { up_to: '100', unit_price: '0.05' }, // compared with tiers[0]
      { up_to: null, unit_price: '0.04' }, // open but not last
      { up_to: 50, unit_price: '0.03' }, // wrong type
      { up_to: '40', unit_price: '0.02', flat_fee: 'x' }, // last but closed, and below tiers[2]
    ];
    expect(graduated(tiers)).toEqual([
      'tiers[1].up_to: must be a decimal number written as a string, e.g. "12.50"',
      'tiers[1].unit_price: must not be negative',
      'tiers[4].up_to: Invalid input: expected string, received number',
      'tiers[5].flat_fee: must be a decimal number written as a string, e.g. "12.50"',
      'tiers[2].up_to: must be greater than tiers[0].up_to (100)',
      'tiers[3].up_to: only the last tier may be open (null)',
      'tiers[5].up_to: the last tier must be open (null) so every quantity has a price',
      'tiers[5].up_to: must be greater than tiers[2].up_to (100)',
    ]);
  });

  it('applies the same rules to volume and stairstep tiers', () => {
    const unordered = [{ up_to: '25', price: '900' }, { up_to: '10', price: '-500' }, { up_to: null, price: '1500' }];
    expect(problems(stairstepConfig, { model: 'stairstep', tiers: unordered })).toEqual([
      'tiers[1].price: must not be negative',
      'tiers[1].up_to: must be greater than tiers[0].up_to (25)',
    ]);
    expect(problems(volumeConfig, { model: 'volume', tiers: [{ up_to: '10', unit_price: '1' }] })).toEqual([
      'tiers[0].up_to: the last tier must be open (null) so every quantity has a price',
    ]);
    expect(problems(stairstepConfig, { model: 'stairstep', tiers: [{ up_to: null, unit_price: '1' }] })).toEqual([
      'tiers[0].price: Invalid input: expected string, received undefined',
      'tiers[0]: Unrecognized key: "unit_price"',
    ]);
  });
});

describe('tier intervals', () => {
  const { tiers } = graduatedConfig.parse({
    model: 'graduated',
    tiers: [{ up_to: '100', unit_price: '1' }, { up_to: '500', unit_price: '1' }, { up_to: null, unit_price: '1' }],
  });

  it('run from the previous up_to (exclusive) to their own (inclusive)', () => {
    expect(withBounds(tiers).map(({ ref }) => [ref.index, ref.from.toFixed(), ref.to?.toFixed() ?? null])).toEqual([
      [0, '0', '100'],
      [1, '100', '500'],
      [2, '500', null],
    ]);
  });

  it.each([
    ['0.000000000001', 0],
    ['100', 0],
    ['100.000000000001', 1],
    ['500', 1],
    ['500.000000000001', 2],
    ['999999999999999', 2],
  ])('put %s in tier index %i', (q, index) => {
    expect(landedTier(describeTiers(tiers, 'GB', (t) => t.unit_price), new Decimal(q)).ref.index).toBe(index);
  });

  it('land zero on the first tier, for the models to price (volume and stairstep decide what zero costs)', () => {
    expect(landedTier(describeTiers(tiers, 'GB', (t) => t.unit_price), new Decimal(0)).ref.index).toBe(0);
  });

  it('are described once per config: the same objects come back', () => {
    const first = describeTiers(tiers, 'GB', (t) => t.unit_price);
    expect(describeTiers(tiers, 'GB', (t) => t.unit_price)).toBe(first);
    expect(first[1]!.priced).toBe('Tier 2: 101–500 GB at 1.00');
    // Another unit label is another description.
    expect(describeTiers(tiers, 'TB', (t) => t.unit_price)[1]!.priced).toBe('Tier 2: 101–500 TB at 1.00');
  });

  it('are labelled for an invoice', () => {
    const d = (v: string) => new Decimal(v);
    expect(tierLabel({ index: 0, from: d('0'), to: d('100') }, 'GB')).toBe('Tier 1: 1–100 GB');
    expect(tierLabel({ index: 1, from: d('100'), to: d('500') }, 'GB')).toBe('Tier 2: 101–500 GB');
    expect(tierLabel({ index: 1, from: d('1'), to: d('2') }, undefined)).toBe('Tier 2: 2');
    expect(tierLabel({ index: 2, from: d('500'), to: null }, 'GB')).toBe('Tier 3: over 500 GB');
    expect(tierLabel({ index: 0, from: d('0'), to: d('0.5') }, 'TB')).toBe('Tier 1: up to 0.5 TB');
    expect(tierLabel({ index: 1, from: d('0.5'), to: d('2') }, 'TB')).toBe('Tier 2: over 0.5 up to 2 TB');
  });
});
