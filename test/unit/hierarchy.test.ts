import { checkHierarchy, MAX_HIERARCHY_DEPTH, type HierarchyFacts } from '../../domain/accounts/hierarchy';

const base: HierarchyFacts = {
  accountId: 'self',
  currency: 'USD',
  billToParent: false,
  parent: null,
  subtreeHeight: 1,
  billToParentChildCurrencies: [],
};
const parent = (ancestorIds: string[] = [], over: Partial<NonNullable<HierarchyFacts['parent']>> = {}) => ({
  id: 'p',
  currency: 'USD',
  archived: false,
  ancestorIds,
  ...over,
});
const codes = (facts: Partial<HierarchyFacts>) => checkHierarchy({ ...base, ...facts }).map((v) => v.code);

describe('checkHierarchy', () => {
  it.each<[string, Partial<HierarchyFacts>, string[]]>([
    ['a root account', {}, []],
    ['a child of a root', { parent: parent() }, []],
    ['bill_to_parent with a same-currency parent', { parent: parent(), billToParent: true }, []],
    ['bill_to_parent without a parent', { billToParent: true }, ['bill_to_parent_without_parent']],
    ['bill_to_parent with another currency', { parent: parent([], { currency: 'EUR' }), billToParent: true }, ['parent_currency_mismatch']],
    ['another currency without bill_to_parent', { parent: parent([], { currency: 'EUR' }) }, []],
    ['itself as parent', { parent: parent([], { id: 'self' }) }, ['parent_is_self']],
    ['a descendant as parent', { parent: parent(['x', 'self', 'root']) }, ['hierarchy_cycle']],
    ['an archived parent', { parent: parent([], { archived: true }) }, ['parent_archived']],
    ['children billed in another currency', { billToParentChildCurrencies: ['USD', 'EUR', 'EUR'] }, ['children_currency_mismatch']],
  ])('%s', (_name, facts, expected) => {
    expect(codes(facts)).toEqual(expected);
  });

  it(`allows exactly ${MAX_HIERARCHY_DEPTH} levels, counting the moved subtree`, () => {
    // Parent at depth 4 (three ancestors): a leaf lands at depth 5.
    expect(codes({ parent: parent(['a', 'b', 'c']) })).toEqual([]);
    // Parent at depth 5: a leaf would be the sixth level.
    const tooDeep = checkHierarchy({ ...base, parent: parent(['a', 'b', 'c', 'd']) });
    expect(tooDeep).toEqual([{ code: 'hierarchy_too_deep', field: 'parent_id', depth: 6 }]);
    // A subtree of height 3 under a depth-2 parent reaches depth 5; under depth 3 it reaches 6.
    expect(codes({ parent: parent(['a']), subtreeHeight: 3 })).toEqual([]);
    expect(codes({ parent: parent(['a', 'b']), subtreeHeight: 3 })).toEqual(['hierarchy_too_deep']);
  });

  it('a new account (no id yet) cannot form a cycle', () => {
    expect(codes({ accountId: null, parent: parent(['self']) })).toEqual([]);
  });

  it('reports every violation at once', () => {
    expect(codes({ parent: parent([], { archived: true, currency: 'EUR' }), billToParent: true, billToParentChildCurrencies: ['JPY'] })).toEqual([
      'parent_archived',
      'parent_currency_mismatch',
      'children_currency_mismatch',
    ]);
  });
});
