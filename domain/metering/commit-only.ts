import { roundMoney } from '../money/money';
import type { RatedCharge } from '../pricing/charge';
import type { PercentileConfig } from '../pricing/models/percentile';
import { ZERO } from '../money/decimal';
import { line, priceText, qty, ratingOf } from '../pricing/rating';

/**
 * A burstable charge whose period has no usable samples (the port was not
 * polled yet, or the agent was down): the commit is owed whatever the usage,
 * so it is billed, and the burst is not guessed. The reason is printed; when
 * the samples arrive late, the period is rated again and the difference is
 * billed as an adjustment (docs/metering.md, "Late events"), so nothing is
 * lost. Refusing instead would leave the subscription unable to close its
 * period.
 */
export function commitOnlyCharge(config: PercentileConfig, reason: string, currency: string): RatedCharge {
  const rating = ratingOf(
    [
      line(`Committed ${qty(config.commit_mbps)} Mbps at ${priceText(config.commit_price)}`, config.commit_mbps, config.commit_price, config.commit_mbps.times(config.commit_price)),
      line(`Burst not computed: ${reason}`, null, null, ZERO),
    ],
    { quantity: config.commit_mbps, unitPrice: null, details: { method: config.method, direction: config.direction, samples_known: 0, burst_computed: false, reason } },
  );
  return { rating, rawAmount: rating.amount, amount: roundMoney(rating.amount, currency) };
}
