import fc from 'fast-check';
import { Decimal } from '../../../domain/money/decimal';
import { rateAssetForPeriod } from '../../../domain/pricing/asset-charges';

const d = (v: string) => new Decimal(v);
const november = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') };
const asset = (activatedAt: string | null, disconnectedAt: string | null = null) => ({
  nrc: d('500'),
  mrc: d('300'),
  activatedAt: activatedAt ? new Date(activatedAt) : null,
  disconnectedAt: disconnectedAt ? new Date(disconnectedAt) : null,
});

describe('rateAssetForPeriod (a cross-connect: NRC 500, MRC 300)', () => {
  it('bills nothing before activation', () => {
    expect(rateAssetForPeriod(asset(null), november).amount.toFixed()).toBe('0');
  });

  it('bills the NRC and a prorated MRC in the month of activation', () => {
    // Active from Nov 21 00:00: 10 of 30 days → 300 × 1/3 = 100; plus NRC 500.
    const rating = rateAssetForPeriod(asset('2026-11-21T00:00:00Z'), november);
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed()])).toEqual([
      ['One-time charge (NRC)', '500'],
      ['Monthly charge (MRC), active 10 days of 30 days', '100'],
    ]);
    expect(rating.amount.toFixed()).toBe('600');
  });

  it('bills the whole MRC for a full month and no NRC after the activation month', () => {
    const rating = rateAssetForPeriod(asset('2026-10-15T12:00:00Z'), november);
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed()])).toEqual([['Monthly charge (MRC)', '300']]);
  });

  it('stops at disconnection', () => {
    // Active until Nov 16 00:00: 15 of 30 days → 150.
    const rating = rateAssetForPeriod(asset('2026-01-01T00:00:00Z', '2026-11-16T00:00:00Z'), november);
    expect(rating.amount.toFixed()).toBe('150');
    expect(rateAssetForPeriod(asset('2026-01-01T00:00:00Z', '2026-10-31T00:00:00Z'), november).lines).toEqual([]);
  });

  it('never bills more than NRC + MRC in a period, and the breakdown sums to the amount (property)', () => {
    const start = november.start.getTime();
    const end = november.end.getTime();
    fc.assert(
      fc.property(fc.integer({ min: start - 40 * 86_400_000, max: end + 86_400_000 }), fc.integer({ min: 0, max: 60 * 86_400_000 }), (activated, duration) => {
        const rating = rateAssetForPeriod(
          { nrc: d('500'), mrc: d('300'), activatedAt: new Date(activated), disconnectedAt: new Date(activated + duration) },
          november,
        );
        expect(rating.amount.lessThanOrEqualTo(800)).toBe(true);
        expect(rating.amount.isNegative()).toBe(false);
        expect(rating.lines.reduce((a, l) => a.plus(l.amount), d('0')).equals(rating.amount)).toBe(true);
      }),
    );
  });
});
