/**
 * Rules for the parent/child account tree used by master billing. Pure: the
 * caller loads the facts (the proposed parent's chain of ancestors, the
 * height of the account's own subtree, the currencies of children that bill
 * to it) and this decides.
 *
 * Depth: the root is level 1 and the tree may be MAX_HIERARCHY_DEPTH levels
 * deep (a holding company, regions, countries, sites, a customer is five).
 * Deeper trees make invoice roll-ups hard to read and walks costly.
 */
export const MAX_HIERARCHY_DEPTH = 5;

export interface ProposedParent {
  id: string;
  currency: string;
  archived: boolean;
  /** Ids from the parent's own parent up to the root, nearest first. */
  ancestorIds: readonly string[];
}

export interface HierarchyFacts {
  /** The account being changed; null when it is being created. */
  accountId: string | null;
  currency: string;
  billToParent: boolean;
  parent: ProposedParent | null;
  /** Levels in the account's own subtree including itself (1 for a leaf or a new account). */
  subtreeHeight: number;
  /** Currencies of the direct children that bill to this account. */
  billToParentChildCurrencies: readonly string[];
}

export type HierarchyViolation =
  | { code: 'parent_is_self'; field: 'parent_id' }
  | { code: 'hierarchy_cycle'; field: 'parent_id' }
  | { code: 'hierarchy_too_deep'; field: 'parent_id'; depth: number }
  | { code: 'parent_archived'; field: 'parent_id' }
  | { code: 'bill_to_parent_without_parent'; field: 'bill_to_parent' }
  | { code: 'parent_currency_mismatch'; field: 'currency'; parentCurrency: string }
  | { code: 'children_currency_mismatch'; field: 'currency'; childCurrencies: string[] };

/** Every violation at once, so a caller can fix them all in one go. */
export function checkHierarchy(facts: HierarchyFacts): HierarchyViolation[] {
  const violations: HierarchyViolation[] = [];
  const { parent } = facts;

  if (facts.billToParent && parent === null) {
    violations.push({ code: 'bill_to_parent_without_parent', field: 'bill_to_parent' });
  }

  if (parent !== null) {
    if (facts.accountId !== null && parent.id === facts.accountId) {
      violations.push({ code: 'parent_is_self', field: 'parent_id' });
    } else if (facts.accountId !== null && parent.ancestorIds.includes(facts.accountId)) {
      violations.push({ code: 'hierarchy_cycle', field: 'parent_id' });
    } else {
      const parentDepth = parent.ancestorIds.length + 1;
      const deepest = parentDepth + facts.subtreeHeight;
      if (deepest > MAX_HIERARCHY_DEPTH) {
        violations.push({ code: 'hierarchy_too_deep', field: 'parent_id', depth: deepest });
      }
    }
    if (parent.archived) violations.push({ code: 'parent_archived', field: 'parent_id' });
    // A child billed through its parent lands on the parent's invoice, which has one currency.
    if (facts.billToParent && parent.currency !== facts.currency) {
      violations.push({ code: 'parent_currency_mismatch', field: 'currency', parentCurrency: parent.currency });
    }
  }

  const mismatched = [...new Set(facts.billToParentChildCurrencies.filter((c) => c !== facts.currency))];
  if (mismatched.length > 0) {
    violations.push({ code: 'children_currency_mismatch', field: 'currency', childCurrencies: mismatched.sort() });
  }
  return violations;
}
