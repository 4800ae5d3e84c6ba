import { firstPeriod } from '../../domain/periods/billing-cycle';

/**
 * When the benchmark's subscriptions start so that all of them renew at
 * one chosen instant: monthly anniversary billing in UTC, backdated by
 * exactly one month, so the first period [start, due) is already mostly
 * over at creation and ends at `due`. The domain's own period arithmetic
 * confirms the choice. A due instant on a day the previous month lacks
 * (March 29-31, May 31, ...) is no month's anniversary: such a day cannot
 * host the benchmark and the caller says so.
 */
export function startForRenewalAt(due: Date): Date | null {
  const y = due.getUTCFullYear();
  const m = due.getUTCMonth();
  const daysInPreviousMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (due.getUTCDate() > daysInPreviousMonth) return null;
  const start = new Date(
    Date.UTC(y, m - 1, due.getUTCDate(), due.getUTCHours(), due.getUTCMinutes(), due.getUTCSeconds(), due.getUTCMilliseconds()),
  );
  const period = firstPeriod({ interval: 'month', timeZone: 'UTC', anchor: { kind: 'anniversary', at: start } }, start);
  return period.end.getTime() === due.getTime() ? start : null;
}
