import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { graduatedConfig, rateGraduated } from '../../../domain/pricing/models/graduated';
import { ratePackage, packageConfig } from '../../../domain/pricing/models/package';
import { allowanceConfig, applyAllowance } from '../../../domain/pricing/modifiers/allowance';
import { applyChargeMinimum, chargeMinimumConfig } from '../../../domain/pricing/modifiers/charge-minimum';
import { applyPrepaidCredit, prepaidCreditConfig } from '../../../domain/pricing/modifiers/prepaid-credit';
import { subscriptionMinimumConfig, subscriptionMinimumTrueUp } from '../../../domain/pricing/modifiers/subscription-minimum';
import { ratingOf } from '../../../domain/pricing/rating';

const d = (v: string) => new Decimal(v);
const quantity = (v: string | Decimal) => ({ kind: 'quantity' as const, quantity: new Decimal(v) });
const money = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((n) => new Decimal(n.toString()).dividedBy(100));
const issues = (result: { error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('allowance', () => {
  const transit = allowanceConfig.parse({ included_quantity: '1000', unit_label: 'GB' });

  it.each([
    // used, included, left for the model
    ['0', '0', '0'],
    ['600', '600', '0'],
    ['1000', '1000', '0'],
    ['1000.000000000001', '1000', '0.000000000001'],
    ['1250', '1000', '250'],
  ])('%s GB used: %s included, %s rated', (used, included, left) => {
    const applied = applyAllowance(transit, quantity(used));
    expect(applied.included.toFixed()).toBe(included);
    expect(applied.input).toEqual({ kind: 'quantity', quantity: d(left) });
    expect(applied.line).toEqual({ description: `Included: ${included} of 1000 GB`, quantity: d(included), unitPrice: d('0'), amount: d('0') });
  });

  it('composes with a model: the included line first, the amount still the sum of the lines', () => {
    // 1 TB packages at 50.00 with 0.5 TB included: 2.3 TB used → 1.8 TB → 2 packages = 100.00
    const packages = packageConfig.parse({ model: 'package', package_size: '1', package_price: '50', unit_label: 'TB' });
    const allowance = applyAllowance(allowanceConfig.parse({ included_quantity: '0.5', unit_label: 'TB' }), quantity('2.3'));
    const rated = ratePackage(packages, allowance.input);
    const rating = ratingOf([allowance.line, ...rated.lines], { quantity: d('2.3'), unitPrice: null });
    expect(rating.amount.toFixed()).toBe('100');
    expect(rating.lines.map((l) => l.description)).toEqual(['Included: 0.5 of 0.5 TB', '2 × package of 1 TB at 50 (1.8 TB used)']);
  });

  it('refuses a negative quantity and a bad config', () => {
    expect(() => applyAllowance(transit, quantity('-1'))).toThrow(RangeError);
    expect(issues(allowanceConfig.safeParse({ included_quantity: '-5' }))).toEqual(['included_quantity: must not be negative']);
  });

  it('included + rated = used, and included never exceeds the allowance (property)', () => {
    fc.assert(
      fc.property(money, money, (used, allowance) => {
        const applied = applyAllowance(allowanceConfig.parse({ included_quantity: allowance.toFixed() }), quantity(used));
        expect(applied.included.plus(applied.input.quantity).equals(used)).toBe(true);
        expect(applied.included.lessThanOrEqualTo(allowance)).toBe(true);
        expect(applied.input.quantity.isNegative()).toBe(false);
        expect(applied.line.amount.isZero()).toBe(true);
      }),
    );
  });
});

describe('charge minimum', () => {
  // Transit committed at 500.00 a month, rated at 0.05 a GB.
  const transit = graduatedConfig.parse({ model: 'graduated', tiers: [{ up_to: null, unit_price: '0.05' }] });
  const minimum = chargeMinimumConfig.parse({ minimum: '500.00' });

  it.each([
    // 0 GB: 0.00 + 500.00 true-up
    ['0', '500', '500'],
    // 6,400 GB × 0.05 = 320.00: + 180.00
    ['6400', '500', '180'],
    // 9,999.99 × 0.05 = 499.9995: + 0.0005
    ['9999.99', '500', '0.0005'],
    // 10,000 × 0.05 = 500.00 exactly: no true-up
    ['10000', '500', null],
    // 13,000 × 0.05 = 650.00
    ['13000', '650', null],
  ])('%s GB is billed %s (true-up %p)', (gb, total, trueUp) => {
    const rating = applyChargeMinimum(minimum, rateGraduated(transit, quantity(gb)));
    expect(rating.amount.toFixed()).toBe(total);
    const last = rating.lines.at(-1);
    if (trueUp === null) expect(rating.lines).toHaveLength(1);
    else expect(last).toEqual({ description: 'Minimum commitment true-up (minimum 500.00)', quantity: null, unitPrice: null, amount: d(trueUp) });
  });

  it('keeps the rating’s quantity, unit price and details', () => {
    const packages = ratePackage(packageConfig.parse({ model: 'package', package_size: '1', package_price: '50' }), quantity('2.5'));
    const rating = applyChargeMinimum(minimum, packages);
    expect(rating).toMatchObject({ quantity: d('2.5'), unitPrice: null, details: { packages: '3' }, amount: d('500') });
  });

  it('is max(amount, minimum) with lines summing to it (property)', () => {
    fc.assert(
      fc.property(money, money, (amount, floor) => {
        const base = ratingOf([{ description: 'usage', quantity: null, unitPrice: null, amount }], { quantity: null, unitPrice: null });
        const rating = applyChargeMinimum(chargeMinimumConfig.parse({ minimum: floor.toFixed() }), base);
        expect(rating.amount.equals(amount.greaterThan(floor) ? amount : floor)).toBe(true);
        expect(sum(rating.lines.map((l) => l.amount)).equals(rating.amount)).toBe(true);
      }),
    );
  });
});

describe('subscription minimum', () => {
  const commit = subscriptionMinimumConfig.parse({ minimum: '5000.00' });

  it('adds the shortfall across all charges: 5000.00 − (3000.00 + 1000.00 + 200.00) = 800.00', () => {
    expect(subscriptionMinimumTrueUp(commit, [d('3000'), d('1000'), d('200')])).toEqual({
      description: 'Subscription minimum commitment true-up (minimum 5000.00, charges 4200.00)',
      quantity: null,
      unitPrice: null,
      amount: d('800'),
    });
  });

  it.each([
    [[], '5000'],
    [['-100', '4000'], '1100'],
    [['5000'], null],
    [['4999.99', '0.01'], null],
    [['5100'], null],
  ])('charges %p give a true-up of %p', (amounts, trueUp) => {
    const line = subscriptionMinimumTrueUp(commit, amounts.map(d));
    expect(line?.amount.toFixed() ?? null).toBe(trueUp);
  });

  it('brings the total to at least the minimum (property)', () => {
    fc.assert(
      fc.property(fc.array(money, { maxLength: 10 }), money, (amounts, floor) => {
        const line = subscriptionMinimumTrueUp(subscriptionMinimumConfig.parse({ minimum: floor.toFixed() }), amounts);
        const total = sum(amounts).plus(line?.amount ?? 0);
        expect(total.equals(sum(amounts).greaterThan(floor) ? sum(amounts) : floor)).toBe(true);
        expect(line === null || line.amount.greaterThan(0)).toBe(true);
      }),
    );
  });
});

describe('prepaid credit', () => {
  const remoteHands = prepaidCreditConfig.parse({ label: 'remote-hands bundle' });

  it.each([
    // amount, balance → applied, remaining
    ['240.00', '1000.00', '240', '760'],
    ['900.00', '760.00', '760', '0'],
    ['760.00', '760.00', '760', '0'],
    ['100.00', '0', '0', '0'],
    ['0', '500', '0', '500'],
    ['-50.00', '500', '0', '500'],
  ])('%s against a balance of %s applies %s, leaving %s', (amount, balance, applied, remaining) => {
    const drawdown = applyPrepaidCredit(remoteHands, d(amount), d(balance));
    expect(drawdown.applied.toFixed()).toBe(applied);
    expect(drawdown.remaining.toFixed()).toBe(remaining);
    if (applied === '0') expect(drawdown.line).toBeNull();
    else expect(drawdown.line).toEqual({ description: 'Prepaid credit applied (remote-hands bundle)', quantity: null, unitPrice: null, amount: d(applied).negated() });
  });

  it('says "Prepaid credit applied" without a label, and refuses a negative balance', () => {
    expect(applyPrepaidCredit({}, d('10'), d('20')).line?.description).toBe('Prepaid credit applied');
    expect(() => applyPrepaidCredit({}, d('10'), d('-1'))).toThrow(RangeError);
  });

  it('applied ≤ amount, applied ≤ balance, remaining = balance − applied, never negative (property)', () => {
    const signedMoney = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((n) => new Decimal(n.toString()).dividedBy(100));
    fc.assert(
      fc.property(signedMoney, money, (amount, balance) => {
        const { applied, remaining, line } = applyPrepaidCredit({}, amount, balance);
        expect(applied.isNegative()).toBe(false);
        expect(applied.lessThanOrEqualTo(balance)).toBe(true);
        expect(applied.lessThanOrEqualTo(amount.isNegative() ? 0 : amount)).toBe(true);
        expect(remaining.equals(balance.minus(applied))).toBe(true);
        expect(amount.minus(applied).isNegative()).toBe(amount.isNegative());
        expect((line?.amount ?? new Decimal(0)).equals(applied.negated())).toBe(true);
        // Greedy: either the amount is covered or the balance is used up.
        expect(applied.equals(amount) || remaining.isZero() || amount.lessThanOrEqualTo(0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
