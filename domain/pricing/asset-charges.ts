import { Decimal } from '../money/decimal';
import { line, ratingOf, type BreakdownLine, type Rating } from './rating';

/**
 * An asset's charges for one billing period [start, end): its one-time
 * charge (NRC) if it was activated in the period, and its monthly charge
 * (MRC) for the part of the period it was active, prorated by the second:
 * MRC × active seconds / period seconds. The proration convention for
 * subscriptions (by the second or by the day, a tenant setting) arrives with
 * the subscription lifecycle; this is the by-the-second case.
 */
export interface AssetBilling {
  nrc: Decimal;
  mrc: Decimal;
  activatedAt: Date | null;
  disconnectedAt: Date | null;
}

export interface Period {
  start: Date;
  end: Date;
}

function describeDays(ms: number): string {
  const days = new Decimal(ms).dividedBy(86_400_000);
  return days.isInteger() ? `${days.toFixed()} days` : `${days.toDecimalPlaces(2).toFixed()} days`;
}

export function rateAssetForPeriod(asset: AssetBilling, period: Period): Rating {
  const periodMs = period.end.getTime() - period.start.getTime();
  if (periodMs <= 0) throw new RangeError('a billing period must end after it starts');
  const lines: BreakdownLine[] = [];
  if (asset.activatedAt === null) return ratingOf(lines, { quantity: null, unitPrice: null });

  const activated = asset.activatedAt.getTime();
  if (activated >= period.start.getTime() && activated < period.end.getTime()) {
    lines.push(line('One-time charge (NRC)', new Decimal(1), asset.nrc, asset.nrc));
  }
  const from = Math.max(activated, period.start.getTime());
  const to = Math.min(asset.disconnectedAt?.getTime() ?? Number.POSITIVE_INFINITY, period.end.getTime());
  if (to > from) {
    const activeMs = to - from;
    const fraction = new Decimal(activeMs).dividedBy(periodMs);
    const description =
      activeMs === periodMs ? 'Monthly charge (MRC)' : `Monthly charge (MRC), active ${describeDays(activeMs)} of ${describeDays(periodMs)}`;
    // Multiply before dividing: 300 × 10 days / 30 days is exactly 100, 300 × (1/3) is not.
    lines.push(line(description, fraction, asset.mrc, asset.mrc.times(activeMs).dividedBy(periodMs)));
  }
  return ratingOf(lines, { quantity: null, unitPrice: asset.mrc });
}
