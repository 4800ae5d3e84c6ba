import fc from 'fast-check';
import { billingAccountOf, billingGroup, type AccountNode, type GroupMember } from '../../../domain/invoicing/billing-group';
import { arbAccountForest } from '../../support/invoicing-generators';

/**
 * Master billing over generated forests (up to five levels, random
 * bill_to_parent, repeated names): every account is billed on exactly one
 * invoice — its billing account's —, and each group lists its accounts depth
 * first with consistent paths and depths, in an order that does not depend
 * on how the accounts were loaded.
 */
const arbForest = arbAccountForest({ maxAccounts: 20, maxLevels: 5, rootsMayBillToParent: true });

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const mapOf = (forest: readonly AccountNode[]) => new Map(forest.map((a) => [a.id, a]));

/** Ancestors of `id`, nearest first. */
function ancestors(accounts: ReadonlyMap<string, AccountNode>, id: string): string[] {
  const out: string[] = [];
  for (let p = accounts.get(id)!.parentId; p !== null; p = accounts.get(p)!.parentId) out.push(p);
  return out;
}

function billingAccounts(accounts: ReadonlyMap<string, AccountNode>): string[] {
  return [...accounts.keys()].filter((id) => billingAccountOf(accounts, id) === id);
}

describe('billingAccountOf', () => {
  it('is the account itself or the nearest ancestor reached through bill_to_parent links, which itself pays', () => {
    fc.assert(
      fc.property(arbForest, (forest) => {
        const accounts = mapOf(forest);
        for (const a of forest) {
          const billing = billingAccountOf(accounts, a.id);
          const chain = [a.id, ...ancestors(accounts, a.id)];
          const at = chain.indexOf(billing);
          expect(at).toBeGreaterThanOrEqual(0);
          // Every account below the billing account on the way up bills to its parent…
          for (const id of chain.slice(0, at)) expect(accounts.get(id)!.billToParent).toBe(true);
          // …and the billing account does not (or has no parent to bill to).
          const b = accounts.get(billing)!;
          expect(b.parentId === null || !b.billToParent).toBe(true);
        }
      }),
    );
  });

  it('refuses an unknown account', () => {
    expect(() => billingAccountOf(new Map(), 'nope')).toThrow(RangeError);
    expect(() => billingGroup(new Map(), 'nope')).toThrow(RangeError);
  });
});

describe('billingGroup', () => {
  it('the groups of the billing accounts partition the accounts: each one is in its billing account’s group, once', () => {
    fc.assert(
      fc.property(arbForest, (forest) => {
        const accounts = mapOf(forest);
        const seen = new Map<string, string>();
        for (const b of billingAccounts(accounts)) {
          for (const m of billingGroup(accounts, b)) {
            expect(seen.has(m.id)).toBe(false);
            seen.set(m.id, b);
          }
        }
        expect(seen.size).toBe(forest.length);
        for (const a of forest) expect(seen.get(a.id)).toBe(billingAccountOf(accounts, a.id));
      }),
    );
  });

  it('lists the billing account first, then its billed descendants depth first, siblings by name then id', () => {
    fc.assert(
      fc.property(arbForest, (forest) => {
        const accounts = mapOf(forest);
        for (const b of billingAccounts(accounts)) {
          const group = billingGroup(accounts, b);
          expect(group[0]).toEqual({ id: b, name: accounts.get(b)!.name, path: [accounts.get(b)!.name], depth: 0 });
          const position = new Map(group.map((m, i) => [m.id, i]));
          group.slice(1).forEach((m, i) => {
            const node = accounts.get(m.id)!;
            const parent = group[position.get(node.parentId!)!]!;
            expect(position.get(parent.id)!).toBeLessThan(i + 1);
            expect(m.depth).toBe(parent.depth + 1);
            expect(m.path).toEqual([...parent.path, node.name]);
            expect(m.name).toBe(node.name);
          });
          for (const m of group) {
            expect(m.depth).toBe(m.path.length - 1);
            expect(m.depth).toBeLessThanOrEqual(4);
            assertSubtreeContiguous(accounts, group, m);
            assertSiblingsOrdered(accounts, group, m);
          }
        }
      }),
    );
  });

  it('does not depend on the order the accounts were loaded in', () => {
    const arbShuffled = arbForest.chain((forest) => fc.tuple(fc.constant(forest), fc.shuffledSubarray(forest, { minLength: forest.length, maxLength: forest.length })));
    fc.assert(
      fc.property(arbShuffled, ([forest, shuffled]) => {
        const a = mapOf(forest);
        const b = mapOf(shuffled);
        for (const id of billingAccounts(a)) expect(billingGroup(b, id)).toEqual(billingGroup(a, id));
        for (const x of forest) expect(billingAccountOf(b, x.id)).toBe(billingAccountOf(a, x.id));
      }),
    );
  });
});

/** Pre-order: the members below `m` come right after it, with nothing else in between. */
function assertSubtreeContiguous(accounts: ReadonlyMap<string, AccountNode>, group: readonly GroupMember[], m: GroupMember): void {
  const start = group.indexOf(m);
  const below = group.filter((x) => ancestors(accounts, x.id).includes(m.id));
  expect(group.slice(start + 1, start + 1 + below.length).map((x) => x.id).sort()).toEqual(below.map((x) => x.id).sort());
}

function assertSiblingsOrdered(accounts: ReadonlyMap<string, AccountNode>, group: readonly GroupMember[], m: GroupMember): void {
  const children = group.filter((x) => accounts.get(x.id)!.parentId === m.id && x.depth === m.depth + 1);
  const sorted = [...children].sort((x, y) => byCodeUnits(x.name, y.name) || byCodeUnits(x.id, y.id));
  expect(children.map((x) => x.id)).toEqual(sorted.map((x) => x.id));
}
