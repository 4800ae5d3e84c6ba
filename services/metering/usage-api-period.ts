import { periodContaining, type Period } from '../../domain/periods/billing-cycle';
import type { Account } from '../../db/entities/account';

/**
 * An account's usage month: the calendar month in its time zone holding
 * `now`. The usage API's default range for an account, and the
 * announcement period of account-level thresholds.
 */
export function accountMonth(account: Pick<Account, 'timezone'>, now: Date): Period {
  return periodContaining({ interval: 'month', timeZone: account.timezone, anchor: { kind: 'calendar', day: 1 } }, now);
}
