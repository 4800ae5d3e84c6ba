import { diffCatalog, type CurrentItem, type DesiredItem } from '../../../domain/catalog/catalog-diff';
import { CATALOG_SECTIONS, catalogDocument, compactItem, type CatalogSection, type FileItem } from '../../../domain/catalog/catalog-file';
import { formatCatalogText, parseCatalogText } from '../../../domain/catalog/catalog-text';
import { jsonErrorOffset } from '../../../lib/json-error-offset';

/** The pure parts of catalogue as code: diff rules, file writing, text parsing. */
const empty = <T>(make: () => T) => Object.fromEntries(CATALOG_SECTIONS.map((s) => [s, make()])) as Record<CatalogSection, T>;

function diffOne(section: CatalogSection, desired: FileItem | null, current: (CurrentItem & { file: FileItem }) | null) {
  const want = empty<DesiredItem[]>(() => []);
  const have = empty<Map<string, CurrentItem>>(() => new Map());
  if (desired) want[section] = [{ index: 0, file: desired }];
  if (current) have[section] = new Map([[String(current.file.code).toLowerCase(), current]]);
  return diffCatalog(want, have);
}

const metric = { code: 'kwh', name: 'Energy', description: null, event_name: 'pdu.energy', aggregation: { type: 'sum', property: 'kwh' }, filters: [], group_by: [], unit_label: null, status: 'active' };
const plan = { code: 'colo', kind: 'plan', name: 'Colo', description: null, metadata: {}, status: 'active', definition: { billing_interval: 'month', currencies: ['USD'] } };
const promo = { code: 'COLO2027', coupon: 'half', max_redemptions: null, expires_at: null, first_time_only: false, active: true };

describe('diffCatalog', () => {
  it.each([
    ['a new item is created', 'billable_metrics', metric, null, 'create', []],
    ['an equal item is unchanged, whatever its key order', 'billable_metrics', { ...metric, aggregation: { property: 'kwh', type: 'sum' } }, metric, 'unchanged', []],
    ['a renamed item is updated', 'billable_metrics', { ...metric, name: 'kWh', unit_label: 'kWh' }, metric, 'update', ['name', 'unit_label']],
    ['a changed definition publishes the next version', 'plans', { ...plan, name: 'Colo 2', definition: { ...plan.definition, trial_days: 14 } }, plan, 'publish_version', ['name', 'definition']],
    ['archiving is an update of status', 'plans', { ...plan, status: 'archived' }, plan, 'update', ['status']],
    ['deactivating a promotion code is an update of active', 'promotion_codes', { ...promo, active: false }, promo, 'update', ['active']],
  ] as const)('%s', (_, section, desired, current, action, fields) => {
    const { changes, problems } = diffOne(section, desired, current ? { id: 'id-1', currentVersion: 4, file: current } : null);
    expect(problems).toEqual([]);
    expect(changes).toEqual([expect.objectContaining({ action, fields })]);
    if (action === 'publish_version') expect(changes[0]).toMatchObject({ from_version: 4, to_version: 5 });
  });

  it.each([
    ['an immutable field', 'billable_metrics', { ...metric, aggregation: { type: 'max', property: 'kwh' } }, metric, 'aggregation immutable_field'],
    ["a plan's kind", 'plans', { ...plan, kind: 'addon' }, plan, 'kind immutable_field'],
    ["a promotion code's spelling (matched ignoring case)", 'promotion_codes', { ...promo, code: 'colo2027' }, promo, 'code immutable_field'],
    ['an archived item', 'plans', { ...plan, status: 'archived', name: 'New' }, { ...plan, status: 'archived' }, 'name archived_item'],
    ['an archived item back to active', 'plans', plan, { ...plan, status: 'archived' }, 'status cannot_reactivate'],
  ] as const)('refuses to change %s', (_, section, desired, current, found) => {
    const { problems } = diffOne(section, desired, { id: 'id-1', file: current });
    expect(problems.map((p) => `${String(p.path[2])} ${p.code}`)).toEqual([found]);
    expect(problems[0]!.path.slice(0, 2)).toEqual([section, 0]);
  });

  it('reports active items missing from the file as not_in_file, archived ones not at all', () => {
    const have = empty<Map<string, CurrentItem>>(() => new Map());
    have.plans = new Map([
      ['colo', { id: '1', file: plan }],
      ['old', { id: '2', file: { ...plan, code: 'old', status: 'archived' } }],
      ['xc', { id: '3', file: { ...plan, code: 'xc', kind: 'addon' } }],
    ]);
    const want = empty<DesiredItem[]>(() => []);
    want.plans = [{ index: 0, file: { ...plan, code: 'new-addon', kind: 'addon' } }, { index: 1, file: { ...plan, code: 'zz-plan' } }];
    const { changes } = diffCatalog(want, have);
    // Plans before add-ons, then by code; not_in_file last.
    expect(changes.map((c) => `${c.action} ${c.type} ${c.code}`)).toEqual([
      'create plan zz-plan', 'create addon new-addon', 'not_in_file plan colo', 'not_in_file addon xc',
    ]);
  });
});

describe('catalogue files', () => {
  it('leave out unset, empty and default values, keep field order and sort by code', () => {
    expect(compactItem('promotion_codes', { active: true, first_time_only: false, max_redemptions: null, coupon: 'half', code: 'B', expires_at: null })).toEqual({ code: 'B', coupon: 'half' });
    expect(Object.keys(compactItem('plans', { definition: {}, status: 'archived', name: 'x', code: 'c', kind: 'plan', metadata: { a: 'b' } }))).toEqual(['code', 'kind', 'name', 'metadata', 'status']);
    const doc = catalogDocument({ ...empty<FileItem[]>(() => []), products: [{ code: 'b', name: 'B' }, { code: 'B', name: 'upper' }, { code: 'a', name: 'A' }] });
    expect(doc.products.map((p) => p.code)).toEqual(['B', 'a', 'b']);
  });

  it('write YAML that every YAML reader takes as strings, and read it back equal', () => {
    const doc = catalogDocument({ ...empty<FileItem[]>(() => []), products: [{ code: 'on', name: 'yes', gl_code: '4010', tax_code: '08:00', unit_label: '1e3' }] });
    const text = formatCatalogText('yaml', doc);
    expect(text).toContain('gl_code: "4010"');
    expect(text).toContain('tax_code: "08:00"');
    expect(text).toContain('code: "on"');
    expect(parseCatalogText('yaml', text)).toEqual({ ok: true, document: doc });
    expect(formatCatalogText('yaml', doc)).toBe(text);
  });

  it.each([
    ['yaml', 'a: 1\nb: [1, 2\nc: 3\n', 3, 1],
    ['yaml', 'a: 1\na: 2\n', 2, 1],
    ['json', '{\n  "a": 1,\n}', 3, 1],
    ['json', '{"a": 1,\n "b": [}', 2, 8],
  ] as const)('report %s syntax errors with line and column', (format, text, line, column) => {
    const parsed = parseCatalogText(format, text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatchObject({ line, column });
  });

  it('refuse to expand an alias bomb', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 8; prev = `l${i}`, i += 1) text += `l${i}: &l${i} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    const parsed = parseCatalogText('yaml', text);
    expect(parsed).toEqual({ ok: false, problems: [expect.objectContaining({ message: expect.stringMatching(/alias/) })] });
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": tru}', 6],
    ['[1, 2] x', 7],
    ['{"a": "b\\q"}', 9],
    ['{"a":-}', 5],
    ['{"a" 1}', 5],
    ['[1,]', 3],
    ['"\u0001"', 1],
    ['', 0],
  ])('%j goes wrong at %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
