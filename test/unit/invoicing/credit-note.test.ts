import fc from 'fast-check';
import { type CreditableLine, type CreditInvoice, type CreditLineRequest, creditTax, creditUse, leftToCredit, planCredit } from '../../../domain/invoicing/credit-note';
import { Decimal, ZERO, sum } from '../../../domain/money/decimal';
import { minorUnitsOf, roundMoney } from '../../../domain/money/money';

const d = (v: string | number) => new Decimal(v);

function line(key: string, amount: string, tax: string, credited: [string, string] = ['0', '0']): CreditableLine {
  return { key, description: key, amount: d(amount), taxAmount: d(tax), creditedAmount: d(credited[0]), creditedTax: d(credited[1]) };
}

function invoice(lines: CreditableLine[], currency = 'USD', creditedTotal = '0'): CreditInvoice {
  return { currency, lines, creditedTotal: d(creditedTotal), total: sum(lines.map((l) => l.amount.plus(l.taxAmount))) };
}

/** Applies an accepted plan to the invoice as the service does. */
function apply(inv: CreditInvoice, requested: CreditLineRequest[] | undefined) {
  const plan = planCredit(inv, requested);
  if (!plan.ok) return { inv, plan };
  const byKey = new Map(plan.lines.map((l) => [l.lineKey, l]));
  const lines = inv.lines.map((l) => {
    const c = byKey.get(l.key);
    return c ? { ...l, creditedAmount: l.creditedAmount.plus(c.amount), creditedTax: l.creditedTax.plus(c.taxAmount) } : l;
  });
  return { inv: { ...inv, lines, creditedTotal: inv.creditedTotal.plus(plan.total) }, plan };
}

const figures = (plan: ReturnType<typeof planCredit>) =>
  plan.ok ? { lines: plan.lines.map((l) => [l.lineKey, l.amount.toFixed(), l.taxAmount.toFixed()]), total: plan.total.toFixed() } : plan.problems;

describe('planCredit', () => {
  it('credits the whole invoice when no lines are named', () => {
    const plan = planCredit(invoice([line('a', '100.00', '20.00'), line('b', '50.00', '0')]), undefined);
    expect(figures(plan)).toEqual({ lines: [['a', '100', '20'], ['b', '50', '0']], total: '170' });
  });

  it('carries the proportional tax of a partial line, and exactly the rest of it with the rest of the line', () => {
    const first = apply(invoice([line('a', '100.00', '21.00')]), [{ lineKey: 'a', amount: d('33.33') }]);
    expect(figures(first.plan)).toEqual({ lines: [['a', '33.33', '7']], total: '40.33' }); // 6.9993 → 7.00
    const rest = apply(first.inv, [{ lineKey: 'a' }]);
    expect(figures(rest.plan)).toEqual({ lines: [['a', '66.67', '14']], total: '80.67' });
  });

  it('never credits more tax than the line has, however small the parts (per-part rounding would give 0.04 of 0.03)', () => {
    let inv = invoice([line('a', '1.00', '0.03')]);
    const taxes: string[] = [];
    for (const amount of ['0.17', '0.17', '0.17', '0.17', '0.32']) {
      const step = apply(inv, [{ lineKey: 'a', amount: d(amount) }]);
      if (!step.plan.ok) throw new Error('refused');
      taxes.push(step.plan.taxTotal.toFixed(2));
      inv = step.inv;
    }
    expect(taxes).toEqual(['0.01', '0.00', '0.01', '0.00', '0.01']);
    expect(inv.lines[0]!.creditedTax.toFixed(2)).toBe('0.03');
  });

  it('spreads what is left over the charges when discounts make them add up to more than the invoice', () => {
    const inv = invoice([line('a', '100.00', '18.00'), line('b', '50.00', '9.00'), line('discount', '-60.00', '-10.80')]);
    expect(inv.total.toFixed(2)).toBe('106.20');
    const plan = planCredit(inv, undefined);
    expect(figures(plan)).toEqual({ lines: [['a', '60', '10.8'], ['b', '30', '5.4']], total: '106.2' });
    // A charge line alone may be credited only up to what the invoice has left.
    expect(figures(planCredit(inv, [{ lineKey: 'a' }]))).toEqual([
      { kind: 'exceeds', field: 'lines', code: 'exceeds_invoice', message: 'the credit (118.00 with tax) is more than the 106.20 of the invoice left to credit' },
    ]);
    expect(figures(planCredit(inv, [{ lineKey: 'a', amount: d('80') }]))).toEqual({ lines: [['a', '80', '14.4']], total: '94.4' });
  });

  it('names every bad line at once, bad input before amounts over the limit', () => {
    const inv = invoice([line('a', '100.00', '20.00', ['40.00', '8.00']), line('discount', '-10.00', '0'), line('b', '5.00', '0', ['5.00', '0'])]);
    const plan = planCredit(inv, [
      { lineKey: 'a', amount: d('60.01') },
      { lineKey: 'discount' },
      { lineKey: 'nope' },
      { lineKey: 'a' },
      { lineKey: 'b', amount: d('1.005') },
    ]);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.problems.map((p) => [p.kind, p.field, p.code])).toEqual([
      ['exceeds', 'lines[0].amount', 'exceeds_line'],
      ['invalid', 'lines[1].line_key', 'not_creditable'],
      ['invalid', 'lines[2].line_key', 'unknown'],
      ['invalid', 'lines[3].line_key', 'duplicate'],
      ['invalid', 'lines[4].amount', 'too_precise'],
    ]);
    expect(figures(planCredit(inv, [{ lineKey: 'b' }]))).toEqual([expect.objectContaining({ field: 'lines[0].line_key', code: 'fully_credited' })]);
  });

  it('refuses a whole-invoice credit once everything is credited', () => {
    const inv = invoice([line('a', '10.00', '2.00', ['10.00', '2.00'])], 'USD', '12.00');
    expect(figures(planCredit(inv, undefined))).toEqual([expect.objectContaining({ kind: 'exceeds', field: 'lines', code: 'fully_credited' })]);
  });

  it('rounds to the currency: JPY has no minor digits', () => {
    expect(figures(planCredit(invoice([line('a', '1000', '100')], 'JPY'), [{ lineKey: 'a', amount: d('333') }]))).toEqual({ lines: [['a', '333', '33']], total: '366' });
    expect(figures(planCredit(invoice([line('a', '1000', '100')], 'JPY'), [{ lineKey: 'a', amount: d('333.5') }]))).toEqual([
      expect.objectContaining({ field: 'lines[0].amount', code: 'too_precise' }),
    ]);
  });
});

describe('creditUse', () => {
  it('reduces what is owed first, then refunds at most the money paid, the rest to the balance', () => {
    const use = (total: string, remaining: string, refundable: string, outcome: 'refund' | 'credit_balance') => {
      const u = creditUse({ total: d(total), amountRemaining: d(remaining), refundable: d(refundable), outcome });
      return [u.appliedToInvoice.toFixed(), u.refundAmount.toFixed(), u.creditBalanceAmount.toFixed()];
    };
    expect(use('100', '40', '60', 'refund')).toEqual(['40', '60', '0']);
    expect(use('100', '40', '60', 'credit_balance')).toEqual(['40', '0', '60']);
    expect(use('30', '40', '60', 'refund')).toEqual(['30', '0', '0']);
    // Paid 70 in money and 30 from the credit balance: only the 70 goes back as money.
    expect(use('100', '0', '70', 'refund')).toEqual(['0', '70', '30']);
  });
});

// ---- properties ----

const CURRENCIES = ['USD', 'JPY', 'BHD'];
const minor = (currency: string) => d(1).dividedBy(d(10).pow(minorUnitsOf(currency)));
const RATES = ['0', '5', '7.5', '19', '20', '21'];

const invoiceArb = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    charges: fc.array(fc.record({ units: fc.integer({ min: 1, max: 2_000_000 }), rate: fc.constantFrom(...RATES) }), { minLength: 1, maxLength: 6 }),
    discounts: fc.array(fc.record({ units: fc.integer({ min: 1, max: 500_000 }), rate: fc.constantFrom(...RATES) }), { maxLength: 2 }),
  })
  .map(({ currency, charges, discounts }) => {
    const lineOf = (key: string, units: number, rate: string, sign: 1 | -1) => {
      const amount = minor(currency).times(units * sign);
      return line(key, amount.toFixed(), roundMoney(amount.times(rate).dividedBy(100), currency).toFixed());
    };
    const lines = [...charges.map((c, i) => lineOf(`c${i}`, c.units, c.rate, 1)), ...discounts.map((c, i) => lineOf(`d${i}`, c.units, c.rate, -1))];
    return invoice(lines, currency);
  })
  .filter((inv) => inv.total.greaterThan(0));

/** A request: the whole invoice, or some lines each whole or a fraction (in millionths, > 1 asks for too much). */
const requestArb = fc.option(
  fc.array(fc.record({ index: fc.nat(7), part: fc.option(fc.integer({ min: 1, max: 1_200_000 }), { nil: undefined }) }), { minLength: 1, maxLength: 4 }),
  { nil: undefined },
);

function toRequest(inv: CreditInvoice, req: Array<{ index: number; part: number | undefined }> | undefined): CreditLineRequest[] | undefined {
  if (req === undefined) return undefined;
  return req.map(({ index, part }) => {
    const l = inv.lines[index % inv.lines.length]!;
    if (part === undefined) return { lineKey: l.key };
    const amount = roundMoney(l.amount.times(part).dividedBy(1_000_000), inv.currency);
    return { lineKey: l.key, amount: amount.greaterThan(0) ? amount : minor(inv.currency) };
  });
}

describe('credit notes (properties)', () => {
  it('never credit more than the invoice, a line, or its tax; every note is positive and in whole minor units', () => {
    fc.assert(
      fc.property(invoiceArb, fc.array(requestArb, { minLength: 1, maxLength: 8 }), (start, requests) => {
        let inv = start;
        for (const req of requests) {
          const { inv: next, plan } = apply(inv, toRequest(inv, req));
          if (plan.ok) {
            expect(plan.total.greaterThan(0)).toBe(true);
            for (const l of plan.lines) {
              expect(l.amount.lessThan(0) || l.taxAmount.lessThan(0)).toBe(false);
              expect(roundMoney(l.amount, inv.currency).equals(l.amount) && roundMoney(l.taxAmount, inv.currency).equals(l.taxAmount)).toBe(true);
            }
            expect(plan.total.equals(plan.subtotal.plus(plan.taxTotal))).toBe(true);
          }
          inv = next;
          expect(inv.creditedTotal.lessThanOrEqualTo(inv.total)).toBe(true);
          for (const l of inv.lines) {
            expect(l.creditedAmount.lessThanOrEqualTo(max0(l.amount))).toBe(true);
            expect(l.creditedTax.lessThanOrEqualTo(max0(l.taxAmount))).toBe(true);
          }
        }
        // A final whole-invoice credit takes exactly what is left (or there was nothing left).
        const left = leftToCredit(inv);
        const { inv: done, plan } = apply(inv, undefined);
        if (plan.ok) expect(plan.total.lessThanOrEqualTo(left)).toBe(true);
        const chargesDone = done.lines.every((l) => !l.amount.greaterThan(0) || (l.creditedAmount.equals(l.amount) && l.creditedTax.equals(l.taxAmount)));
        expect(leftToCredit(done).isZero() || chargesDone).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('a line credited in parts credits exactly its amount and its tax', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        // Small lines too, where rounding each part on its own would overshoot the tax.
        fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5_000_000 })),
        fc.constantFrom(...RATES),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 10 }),
        (currency, units, rate, weights) => {
          const amount = minor(currency).times(units);
          const tax = roundMoney(amount.times(rate).dividedBy(100), currency);
          let inv = invoice([line('a', amount.toFixed(), tax.toFixed())], currency);
          // Cut the line at cumulative weights; parts of zero minor units are skipped.
          const total = sum(weights.map((w) => d(w)));
          let before = ZERO;
          let running = ZERO;
          for (const w of weights) {
            running = running.plus(w);
            const cut = roundMoney(amount.times(running).dividedBy(total), currency);
            const part = cut.minus(before);
            before = cut;
            if (part.isZero()) continue;
            const step = apply(inv, [{ lineKey: 'a', amount: part }]);
            expect(step.plan.ok && step.plan.taxTotal.greaterThanOrEqualTo(0)).toBe(true);
            inv = step.inv;
            expect(inv.lines[0]!.creditedTax.lessThanOrEqualTo(tax)).toBe(true);
          }
          expect([inv.lines[0]!.creditedAmount.toFixed(), inv.lines[0]!.creditedTax.toFixed()]).toEqual([amount.toFixed(), tax.toFixed()]);
          expect(inv.creditedTotal.equals(inv.total)).toBe(true);
          expect(creditTax(inv.lines[0]!, ZERO, currency).isZero()).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the use of a total adds up, owes nothing twice and refunds no more than was paid', () => {
    const amount = fc.integer({ min: 0, max: 1_000_000 }).map((n) => d(n).dividedBy(100));
    fc.assert(
      fc.property(amount.filter((t) => t.greaterThan(0)), amount, amount, fc.constantFrom('refund' as const, 'credit_balance' as const), (total, remaining, refundable, outcome) => {
        const u = creditUse({ total, amountRemaining: remaining, refundable, outcome });
        expect(u.appliedToInvoice.plus(u.refundAmount).plus(u.creditBalanceAmount).equals(total)).toBe(true);
        expect(u.appliedToInvoice.lessThanOrEqualTo(remaining) && u.refundAmount.lessThanOrEqualTo(refundable)).toBe(true);
        expect([u.appliedToInvoice, u.refundAmount, u.creditBalanceAmount].some((x) => x.lessThan(0))).toBe(false);
        if (outcome === 'credit_balance') expect(u.refundAmount.isZero()).toBe(true);
      }),
    );
  });
});

function max0(x: Decimal): Decimal {
  return x.lessThan(0) ? ZERO : x;
}
