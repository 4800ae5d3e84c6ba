import { Decimal } from '../../../domain/money/decimal';
import type { SeriesInput } from '../../../domain/pricing/inputs';
import { peakConfig, ratePeak } from '../../../domain/pricing/models/peak';

const series = (values: Array<string | number>): SeriesInput => ({ kind: 'series', values: values.map((v) => new Decimal(v)) });
/** A 30-day month of 15-minute average kW (2,880 slots), flat at 3.4 kW with one 6.2 kW peak at slot 1,234. */
const month = (): SeriesInput => series(Array.from({ length: 2880 }, (_, i) => (i === 1234 ? '6.2' : i === 2000 ? '5.9' : '3.4')));
const issues = (fields: Record<string, unknown>) => peakConfig.safeParse({ model: 'peak', ...fields }).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('peak model', () => {
  it('bills the highest 15-minute demand of the month and says when it happened', () => {
    const rating = ratePeak(peakConfig.parse({ model: 'peak', unit_price: '20.00' }), month());
    expect(rating.lines.map((l) => [l.description, l.amount.toFixed(2)])).toEqual([['Peak 6.2 kW at 20.00', '124.00']]); // 6.2 × 20
    expect(rating.details).toEqual({ peak: '6.2', peak_index: 1234, values: 2880, committed: null });
  });

  it('bills a commitment always and the peak above it at the unit price', () => {
    const cfg = peakConfig.parse({ model: 'peak', unit_price: '25.00', committed: '5', commit_price: '18.00' });
    const above = ratePeak(cfg, month());
    expect(above.lines.map((l) => [l.description, l.amount.toFixed(2)])).toEqual([
      ['Committed 5 kW at 18.00', '90.00'], // 5 × 18
      ['Peak 6.2 kW: 1.2 kW above commit at 25.00', '30.00'], // (6.2 − 5) × 25
    ]);
    expect(above.amount.toFixed(2)).toBe('120.00');
    const below = ratePeak(cfg, series(['4.1', '4.8', '3.0']));
    expect(below.lines[1]?.description).toBe('Peak 4.8 kW: 0 kW above commit at 25.00');
    expect(below.amount.toFixed(2)).toBe('90.00');
  });

  it('reports the first slot when the peak repeats, and uses the unit label', () => {
    const rating = ratePeak(peakConfig.parse({ model: 'peak', unit_price: '1', unit_label: 'kVA' }), series(['2', '7', '3', '7']));
    expect(rating.details?.peak_index).toBe(1);
    expect(rating.lines[0]?.description).toBe('Peak 7 kVA at 1.00');
  });

  it('refuses an empty period and negative demand', () => {
    const cfg = peakConfig.parse({ model: 'peak', unit_price: '1' });
    expect(() => ratePeak(cfg, series([]))).toThrow(/at least one value/);
    expect(() => ratePeak(cfg, series(['1', '-0.5']))).toThrow(/-0.5 at index 1 is negative/);
  });

  it('validates the config with paths', () => {
    expect(issues({ unit_price: '-1' })).toEqual([['unit_price', 'must not be negative']]);
    expect(issues({ unit_price: '1', committed: '5' })).toEqual([['commit_price', 'is required when committed is set']]);
    expect(issues({ unit_price: '1', commit_price: '5' })).toEqual([['committed', 'is required when commit_price is set']]);
    // Both the field error and the cross-field rule are listed.
    expect(issues({ unit_price: 'x', committed: '5' }).map(([path]) => path)).toEqual(['unit_price', 'commit_price']);
  });
});
