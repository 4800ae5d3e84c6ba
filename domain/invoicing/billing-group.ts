/**
 * Master billing: which account pays for which. An account with
 * `bill_to_parent` is billed on its parent's invoice, and so on up the tree,
 * so every account has exactly one billing account — the nearest ancestor
 * (or itself) that does not bill to its parent. The billing group of a
 * billing account is itself plus every descendant whose chain of
 * `bill_to_parent` reaches it. A child that bills alone starts its own group
 * (its own children billing to it roll into it, not into the grandparent).
 */
export interface AccountNode {
  id: string;
  name: string;
  parentId: string | null;
  billToParent: boolean;
}

export interface GroupMember {
  id: string;
  name: string;
  /** Names from the billing account down to this account. */
  path: string[];
  /** 0 for the billing account itself. */
  depth: number;
}

/** The account that pays for `accountId`'s charges. */
export function billingAccountOf(accounts: ReadonlyMap<string, AccountNode>, accountId: string): string {
  let current = accounts.get(accountId);
  if (!current) throw new RangeError(`unknown account ${accountId}`);
  // The hierarchy is at most five levels and acyclic (domain/accounts/hierarchy.ts); the bound only guards bad data.
  for (let hops = 0; current.billToParent && current.parentId && hops < 64; hops++) {
    const parent = accounts.get(current.parentId);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}

/**
 * The billing account and every account billed on its invoice, depth first,
 * siblings by name then id, so the invoice always lists them in the same order.
 */
export function billingGroup(accounts: ReadonlyMap<string, AccountNode>, billingAccountId: string): GroupMember[] {
  const root = accounts.get(billingAccountId);
  if (!root) throw new RangeError(`unknown account ${billingAccountId}`);
  const children = new Map<string, AccountNode[]>();
  for (const account of accounts.values()) {
    if (!account.parentId || !account.billToParent) continue;
    const list = children.get(account.parentId) ?? [];
    list.push(account);
    children.set(account.parentId, list);
  }
  const members: GroupMember[] = [];
  const visit = (node: AccountNode, path: string[], depth: number): void => {
    const here = [...path, node.name];
    members.push({ id: node.id, name: node.name, path: here, depth });
    const below = [...(children.get(node.id) ?? [])].sort((a, b) => (a.name === b.name ? cmp(a.id, b.id) : cmp(a.name, b.name)));
    for (const child of below) visit(child, here, depth + 1);
  };
  visit(root, [], 0);
  return members;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
