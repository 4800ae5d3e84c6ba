import fc from 'fast-check';
import { billingGroup, type GroupMember } from '../../../domain/invoicing/billing-group';
import type { InvoiceLine } from '../../../domain/invoicing/invoice-document';
import {
  buildInvoiceGroups, completeInvoice, minimumTrueUps, taxableLines, trueUpKey,
  type BillableItem, type InvoiceGenerationInput, type MinimumCommitment,
} from '../../../domain/invoicing/invoice-generator';
import { Decimal } from '../../../domain/money/decimal';
import { minorUnitsOf } from '../../../domain/money/money';
import { calculateTax } from '../../../domain/tax/tax-calculation';
import type { TaxRate } from '../../../domain/tax/tax-rate';
import {
  INVOICE_CURRENCIES, arbAccountForest, arbBillableItems, arbMinimums, arbTaxContext, arbTaxTable, minorOf, written, type TaxContext,
} from '../../support/invoicing-generators';

/**
 * Invariants of the pure invoice generator over generated billing groups,
 * items (charges, credits, discounts, usage, one-offs), minimum commitments,
 * rate tables (the real tax calculation) and credit balances, in USD, EUR,
 * JPY, BHD and KWD. Figures are compared in integer minor units, so "to the
 * minor unit" means exactly.
 */
interface Case {
  currency: string;
  members: GroupMember[];
  outsiders: string[];
  items: BillableItem[];
  minimums: MinimumCommitment[];
  rates: TaxRate[];
  tax: TaxContext;
  balance: string;
}

const arbCase: fc.Arbitrary<Case> = fc
  .record({ currency: fc.constantFrom(...INVOICE_CURRENCIES), forest: arbAccountForest({ maxAccounts: 8, maxLevels: 5 }) })
  .chain(({ currency, forest }) => {
    const accounts = new Map(forest.map((a) => [a.id, a]));
    // The first account is a root, hence a billing account.
    const members = billingGroup(accounts, forest[0]!.id);
    const ids = members.map((m) => m.id);
    return fc.record({
      currency: fc.constant(currency),
      members: fc.constant(members),
      outsiders: fc.constant(forest.map((a) => a.id).filter((id) => !ids.includes(id))),
      items: arbBillableItems(currency, ids),
      minimums: arbMinimums(currency, ids),
      rates: arbTaxTable,
      tax: arbTaxContext,
      balance: fc.oneof(fc.integer({ min: 0, max: 6_000_000 }), fc.constant(0), fc.integer({ min: -500, max: -1 })).map((m) => written(m, currency)),
    });
  });

function generate(c: Pick<Case, 'currency' | 'members' | 'items' | 'minimums' | 'rates' | 'tax' | 'balance'>) {
  const groups = buildInvoiceGroups({ currency: c.currency, members: c.members, items: c.items, minimums: c.minimums });
  const tax = calculateTax(c.rates, { currency: c.currency, at: c.tax.at, place: c.tax.place, exemption: c.tax.exemption, customerTaxIds: [], lines: taxableLines(groups) });
  return { groups, tax, invoice: completeInvoice(groups, tax, c.currency, new Decimal(c.balance)) };
}

const linesOf = (groups: ReadonlyArray<{ lines: InvoiceLine[] }>) => groups.flatMap((g) => g.lines);
const sumMinor = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);
const maxMinor = (a: bigint, b: bigint) => (a > b ? a : b);
const minMinor = (a: bigint, b: bigint) => (a < b ? a : b);

describe('invoice totals', () => {
  it('total = sum of lines + tax − discounts, by the documented formulas, exactly to the minor unit', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { invoice, tax } = generate(c);
        const m = (v: string) => minorOf(v, c.currency);
        const lines = linesOf(invoice.groups);
        const t = invoice.totals;
        const charges = sumMinor(lines.filter((l) => l.kind !== 'discount').map((l) => m(l.amount)));
        const discounts = sumMinor(lines.filter((l) => l.kind === 'discount').map((l) => m(l.amount)));
        const lineTaxes = lines.flatMap((l) => l.taxes);
        expect(m(t.subtotal)).toBe(charges);
        expect(m(t.discount_total)).toBe(-discounts);
        expect(m(t.tax_total)).toBe(sumMinor(lineTaxes.filter((x) => !x.inclusive).map((x) => m(x.amount))));
        expect(m(t.tax_included)).toBe(sumMinor(lineTaxes.filter((x) => x.inclusive).map((x) => m(x.amount))));
        expect(m(t.tax_total)).toBe(sumMinor(tax.summary.filter((s) => !s.inclusive).map((s) => m(s.amount))));
        expect(m(t.total)).toBe(m(t.subtotal) - m(t.discount_total) + m(t.tax_total));
        expect(m(t.total)).toBe(sumMinor(lines.map((l) => m(l.amount))) + m(t.tax_total));
        const digits = minorUnitsOf(c.currency);
        const shape = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
        for (const figure of Object.values(t)) {
          expect(figure).toMatch(shape);
          expect(figure).not.toMatch(/^-0(\.0+)?$/);
        }
      }),
    );
  });

  it('the credit balance pays at most the positive total and at most the balance; amount due is the rest', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const t = generate(c).invoice.totals;
        const m = (v: string) => minorOf(v, c.currency);
        const total = m(t.total);
        const balance = maxMinor(m(c.balance), 0n);
        const applied = m(t.credit_applied);
        expect(applied).toBe(minMinor(maxMinor(total, 0n), balance));
        expect(applied).toBeGreaterThanOrEqual(0n);
        expect(m(t.amount_due)).toBe(maxMinor(total - applied, 0n));
        // Lines + tax − discounts − credit applied: what the customer owes on a positive invoice.
        if (total >= 0n) expect(m(t.amount_due) + applied).toBe(total);
        expect(m(t.amount_remaining)).toBe(m(t.amount_due));
        expect(m(t.amount_paid)).toBe(0n);
        expect(m(t.credited_total)).toBe(0n);
      }),
    );
  });
});

describe('invoice lines and groups', () => {
  it('every item and owed true-up appears exactly once, keeping its amount, account and facts', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { invoice, tax } = generate(c);
        const lines = linesOf(invoice.groups);
        const expected = [...c.items, ...minimumTrueUps(c.minimums, c.currency)];
        expect(lines.map((l) => l.key).sort()).toEqual(expected.map((i) => i.key).sort());
        const byKey = new Map(lines.map((l) => [l.key, l]));
        for (const item of expected) {
          const line = byKey.get(item.key)!;
          expect(line).toEqual({
            key: item.key, kind: item.kind, description: item.description, product_code: item.productCode, product_name: item.productName,
            tax_code: item.taxCode, period_start: item.periodStart, period_end: item.periodEnd, quantity: item.quantity, unit_price: item.unitPrice,
            amount: item.amount, subscription_id: item.subscriptionId, account_id: item.accountId, breakdown: item.breakdown,
            percentile: item.percentile, taxes: tax.lines.get(item.key),
          });
        }
      }),
    );
  });

  it('groups follow the billing group’s order, hold only their account’s lines, and their subtotals add up to the lines', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { groups, invoice } = generate(c);
        const m = (v: string) => minorOf(v, c.currency);
        const order = c.members.map((x) => x.id);
        const withLines = c.members.filter((x) => c.items.some((i) => i.accountId === x.id) || c.minimums.some((mm) => mm.accountId === x.id && m(mm.minimum) > m(mm.billed)));
        expect(groups.map((g) => g.account_id)).toEqual(withLines.map((x) => x.id));
        for (const g of invoice.groups) {
          const member = c.members[order.indexOf(g.account_id)]!;
          expect([g.account_name, g.path, g.depth]).toEqual([member.name, member.path, member.depth]);
          expect(g.lines.length).toBeGreaterThan(0);
          expect(g.lines.every((l) => l.account_id === g.account_id)).toBe(true);
          expect(m(g.subtotal)).toBe(sumMinor(g.lines.map((l) => m(l.amount))));
          // Within a group, earlier service periods first.
          const starts = g.lines.map((l) => l.period_start ?? '');
          expect(starts).toEqual([...starts].sort());
        }
        expect(sumMinor(invoice.groups.map((g) => m(g.subtotal)))).toBe(sumMinor(linesOf(invoice.groups).map((l) => m(l.amount))));
        expect(taxableLines(groups).map((l) => l.key)).toEqual(linesOf(groups).map((l) => l.key));
      }),
    );
  });

  it('is deterministic: shuffled items and minimums give the identical invoice', () => {
    const arbShuffled = arbCase.chain((c) =>
      fc.record({
        c: fc.constant(c),
        items: fc.shuffledSubarray(c.items, { minLength: c.items.length, maxLength: c.items.length }),
        minimums: fc.shuffledSubarray(c.minimums, { minLength: c.minimums.length, maxLength: c.minimums.length }),
      }),
    );
    fc.assert(
      fc.property(arbShuffled, ({ c, items, minimums }) => {
        const a = generate(c);
        const b = generate({ ...c, items, minimums });
        expect(b.invoice).toEqual(a.invoice);
        expect(JSON.stringify(b.invoice)).toBe(JSON.stringify(a.invoice));
      }),
    );
  });
});

describe('refusals', () => {
  const input = (c: Case, items: BillableItem[], minimums = c.minimums): InvoiceGenerationInput => ({ currency: c.currency, members: c.members, items, minimums });

  it('a line key seen twice is refused, whether two items or two commitments of one subscription period share it', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), fc.nat(), (c, i, j) => {
        fc.pre(c.items.length > 0);
        const original = c.items[i % c.items.length]!;
        const twin = { ...c.items[j % c.items.length]!, key: original.key };
        expect(() => buildInvoiceGroups(input(c, [...c.items, twin]))).toThrow(/appears twice/);
        const owed = c.minimums.find((mm) => minorOf(mm.minimum, c.currency) > minorOf(mm.billed, c.currency));
        if (owed) expect(() => buildInvoiceGroups(input(c, c.items, [...c.minimums, { ...owed }]))).toThrow(/appears twice/);
        if (owed) {
          const clash = { ...original, key: trueUpKey(owed.subscriptionId, owed.periodStart) };
          expect(() => buildInvoiceGroups(input(c, [...c.items, clash]))).toThrow(/appears twice/);
        }
      }),
    );
  });

  it('an item of an account outside the billing group is refused', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), fc.uuid(), (c, i, stranger) => {
        fc.pre(c.items.length > 0);
        const outside = [...c.outsiders, stranger][i % (c.outsiders.length + 1)]!;
        const items = c.items.map((item, k) => (k === i % c.items.length ? { ...item, accountId: outside } : item));
        expect(() => buildInvoiceGroups(input(c, items))).toThrow(/not billed on this invoice/);
      }),
    );
  });

  it('an amount not rounded to the currency is refused', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), fc.integer({ min: 1, max: 9 }), (c, i, digit) => {
        fc.pre(c.items.length > 0);
        const k = i % c.items.length;
        const amount = new Decimal(c.items[k]!.amount).plus(new Decimal(digit).dividedBy(new Decimal(10).pow(minorUnitsOf(c.currency) + 1))).toFixed();
        const items = c.items.map((item, n) => (n === k ? { ...item, amount } : item));
        expect(() => buildInvoiceGroups(input(c, items))).toThrow(/not rounded/);
      }),
    );
  });
});

describe('minimum commitment true-ups', () => {
  it('true-up = minimum − billed when positive, none otherwise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INVOICE_CURRENCIES).chain((cur) => fc.tuple(fc.constant(cur), arbMinimums(cur, ['0190a000-0000-7000-8000-0000000000ac'], 8))), ([currency, minimums]) => {
        const lines = minimumTrueUps(minimums, currency);
        const m = (v: string) => minorOf(v, currency);
        const owed = minimums.filter((x) => m(x.minimum) > m(x.billed));
        expect(lines.map((l) => l.key)).toEqual(owed.map((x) => trueUpKey(x.subscriptionId, x.periodStart)));
        lines.forEach((line, i) => {
          const x = owed[i]!;
          expect(line.kind).toBe('minimum_true_up');
          expect(m(line.amount)).toBe(m(x.minimum) - m(x.billed));
          expect(line.amount).toBe(written(m(x.minimum) - m(x.billed), currency));
          expect([line.accountId, line.subscriptionId, line.periodStart, line.periodEnd]).toEqual([x.accountId, x.subscriptionId, x.periodStart, x.periodEnd]);
          // The breakdown explains the amount: minimum, less what the period billed.
          expect(line.breakdown.reduce((a, b) => a.plus(b.amount), new Decimal(0)).equals(line.amount)).toBe(true);
        });
      }),
    );
  });
});
