import fc from 'fast-check';
import { Decimal, sum } from '../../../domain/money/decimal';
import { hourlyCappedConfig, rateHourlyCapped, startedHours } from '../../../domain/pricing/models/hourly-capped';

// A bare-metal server at 0.25 per hour, never more than 150.00 a month (600 hours).
const config = hourlyCappedConfig.parse({ model: 'hourly_capped', hourly_price: '0.25', monthly_cap: '150.00', unit_label: 'bare-metal server' });
const runtime = (seconds: number) => ({ kind: 'runtime' as const, seconds });

describe('hourly_capped: worked examples', () => {
  it.each([
    // seconds, started hours, amount, cap reached
    [0, 0, '0', false], // nothing provisioned
    [1, 1, '0.25', false], // one second starts an hour: 1 × 0.25
    [3600, 1, '0.25', false], // exactly one hour
    [3601, 2, '0.5', false], // one second into the second hour: 2 × 0.25
    [599 * 3600 + 1, 600, '150', false], // 600 × 0.25 = 150.00, exactly the cap: billed hourly
    [600 * 3600 + 1, 601, '150', true], // 601 × 0.25 = 150.25 > 150.00: capped
    [30 * 24 * 3600, 720, '150', true], // a whole 30-day month: 720 × 0.25 = 180.00, capped at 150.00
    [31 * 24 * 3600, 744, '150', true], // a 31-day month: 744 × 0.25 = 186.00, capped
  ])('%i s → %i started hours → %s (capped: %s)', (seconds, hours, amount, capped) => {
    const rating = rateHourlyCapped(config, runtime(seconds));
    expect(rating.amount.toFixed()).toBe(amount);
    expect(rating.quantity?.toNumber()).toBe(hours);
    expect(rating.details?.cap_reached).toBe(capped);
    expect(rating.details?.started_hours).toBe(hours);
  });

  it('shows hours and rate below the cap', () => {
    const rating = rateHourlyCapped(config, runtime(3601));
    expect(rating.lines).toHaveLength(1);
    expect(rating.lines[0]?.description).toBe('bare-metal server: 2 started hours × 0.25 per hour');
    expect(rating.lines[0]?.unitPrice?.toFixed()).toBe('0.25');
    expect(rating.unitPrice?.toFixed()).toBe('0.25');
  });

  it('says plainly when the monthly cap was reached', () => {
    const rating = rateHourlyCapped(config, runtime(30 * 24 * 3600));
    expect(rating.lines.map((l) => [l.description, l.quantity?.toFixed(), l.unitPrice?.toFixed(), l.amount.toFixed()])).toEqual([
      ['bare-metal server: monthly cap reached, 720 started hours × 0.25 per hour = 180, billed at the monthly cap 150', '1', '150', '150'],
    ]);
    expect(rating.unitPrice).toBeNull();
    expect(rating.details).toEqual({ seconds: 2_592_000, started_hours: 720, hourly_amount: '180', cap_reached: true });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses %p seconds', (seconds) => {
    expect(() => rateHourlyCapped(config, runtime(seconds))).toThrow(/whole, non-negative number of seconds/);
  });

  it('reports negative prices and bad types with their paths, all at once', () => {
    const result = hourlyCappedConfig.safeParse({ model: 'hourly_capped', hourly_price: '-0.25', monthly_cap: 150, extra: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual(['hourly_price', 'monthly_cap', 'unrecognized_keys']);
  });
});

describe('hourly_capped: properties', () => {
  const seconds = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const price = fc.bigInt({ min: 0n, max: 10n ** 8n }).map((tenThousandths) => new Decimal(tenThousandths.toString()).dividedBy(10_000));
  const capped = fc.tuple(price, price).map(([hourly, cap]) =>
    hourlyCappedConfig.parse({ model: 'hourly_capped', hourly_price: hourly.toFixed(), monthly_cap: cap.toFixed() }),
  );

  it('counts started hours as ceil(seconds / 3600), checked against BigInt arithmetic (property)', () => {
    fc.assert(
      fc.property(seconds, (s) => expect(BigInt(startedHours(s))).toBe((BigInt(s) + 3599n) / 3600n)),
      { numRuns: 2000 },
    );
    // Around the largest safe integer, one second either side of an hour boundary.
    const k = Math.floor(Number.MAX_SAFE_INTEGER / 3600);
    expect([startedHours(3600 * k - 1), startedHours(3600 * k), startedHours(3600 * k + 1)]).toEqual([k, k, k + 1]);
  });

  it('never exceeds the cap, never falls as runtime grows, and the lines sum to the total (property)', () => {
    fc.assert(
      fc.property(capped, seconds, seconds, (cfg, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lower = rateHourlyCapped(cfg, runtime(low));
        const higher = rateHourlyCapped(cfg, runtime(high));
        expect(higher.amount.lessThanOrEqualTo(cfg.monthly_cap)).toBe(true);
        expect(lower.amount.lessThanOrEqualTo(higher.amount)).toBe(true);
        expect(sum(higher.lines.map((l) => l.amount)).equals(higher.amount)).toBe(true);
        // min(cap, price × hours), computed independently.
        const hourly = cfg.hourly_price.times(((BigInt(high) + 3599n) / 3600n).toString());
        expect(higher.amount.equals(Decimal.min(hourly, cfg.monthly_cap))).toBe(true);
        for (const l of higher.lines) expect(l.quantity?.times(l.unitPrice ?? 0).equals(l.amount)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
