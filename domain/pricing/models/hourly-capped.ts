import { z } from 'zod';
import { Decimal } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import type { RuntimeInput } from '../inputs';
import { line, ratingOf, type Rating } from '../rating';

/**
 * Bare metal by the hour, never more than the monthly price:
 * min(monthly_cap, hourly_price × started hours). Every started hour counts
 * (1 s bills 1 hour, 3601 s bill 2). The cap is the plan's monthly price and
 * is not prorated: a server provisioned for half a month pays hourly until
 * it reaches the full cap, as providers publish it.
 */
export const hourlyCappedConfig = z.strictObject({
  model: z.literal('hourly_capped'),
  hourly_price: nonNegativeDecimal,
  monthly_cap: nonNegativeDecimal,
  /** Word for what runs on the invoice line, e.g. "server". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type HourlyCappedConfig = z.output<typeof hourlyCappedConfig>;

const SECONDS_PER_HOUR = 3600;

/** ceil(seconds / 3600) without float division: exact for every safe integer. */
export function startedHours(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new Error(`hourly_capped: runtime must be a whole, non-negative number of seconds, got ${seconds}`);
  }
  const remainder = seconds % SECONDS_PER_HOUR;
  return (seconds - remainder) / SECONDS_PER_HOUR + (remainder > 0 ? 1 : 0);
}

export function rateHourlyCapped(config: HourlyCappedConfig, input: RuntimeInput): Rating {
  const hours = startedHours(input.seconds);
  const quantity = new Decimal(hours);
  const label = config.unit_label ?? 'server';
  const price = config.hourly_price.toFixed();
  const hourly = quantity.times(config.hourly_price);
  const hoursText = `${hours} started hour${hours === 1 ? '' : 's'}`;
  // The cap applies only when it lowers the bill; at exactly the cap the hourly line already says it all.
  const capped = hourly.greaterThan(config.monthly_cap);
  const details = { seconds: input.seconds, started_hours: hours, hourly_amount: hourly.toFixed(), cap_reached: capped };
  if (!capped) {
    return ratingOf([line(`${label}: ${hoursText} × ${price} per hour`, quantity, config.hourly_price, hourly)], {
      quantity,
      unitPrice: config.hourly_price,
      details,
    });
  }
  const cap = config.monthly_cap.toFixed();
  const description = `${label}: monthly cap reached, ${hoursText} × ${price} per hour = ${hourly.toFixed()}, billed at the monthly cap ${cap}`;
  // quantity × unit price must equal the amount on a line, so the capped line is one month at the cap.
  return ratingOf([line(description, new Decimal(1), config.monthly_cap, config.monthly_cap)], {
    quantity,
    unitPrice: null,
    details,
  });
}
