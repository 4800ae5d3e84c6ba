import { metricErrors, type MetricRule } from './event-metric-checks';
import type { EventFieldError, NormalizedEvent } from './event-rules';

/**
 * Who an event belongs to, given what the tenant's data says about the names
 * it uses (loaded once per batch by services/metering/ingest-lookups.ts):
 * - a named subscription decides (and must belong to the named customer,
 *   when one is named too);
 * - a customer alone is attributed to its one live subscription whose plan
 *   or add-on has a usage charge on a metric of the event's code; with none
 *   the event is kept unattributed (shown in usage, billed to nobody); with
 *   several it is refused, asking which;
 * - the code must be the event name of an active billable metric, and the
 *   event must carry what those metrics aggregate.
 */
export interface SubscriptionRef {
  id: string;
  accountId: string;
}

export interface TenantFacts {
  /** Active accounts by external id. */
  accountByExternalId: ReadonlyMap<string, string>;
  /** Accounts named by id that exist. */
  accountIds: ReadonlySet<string>;
  subscriptionByExternalId: ReadonlyMap<string, SubscriptionRef>;
  subscriptionById: ReadonlyMap<string, SubscriptionRef>;
  /** Rules of the active metrics, by event name. */
  rulesByCode: ReadonlyMap<string, readonly MetricRule[]>;
  /** Live subscriptions with a usage charge on the code: by account, then by event code. */
  chargedSubscriptions: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

export interface Attribution {
  accountId: string;
  subscriptionId: string | null;
  rules: readonly MetricRule[];
}

export type AttributionResult = { ok: true; attribution: Attribution } | { ok: false; errors: EventFieldError[] };

const NONE: readonly string[] = [];

export function attribute(event: NormalizedEvent, facts: TenantFacts): AttributionResult {
  const errors: EventFieldError[] = [];
  let accountId: string | null = null;
  if (event.customer !== null) {
    accountId = facts.accountByExternalId.get(event.customer) ?? null;
    if (accountId === null) errors.push({ field: 'customer', code: 'unknown_customer', message: 'no active account has this external_id' });
  } else if (event.accountId !== null) {
    accountId = facts.accountIds.has(event.accountId) ? event.accountId : null;
    if (accountId === null) errors.push({ field: 'account_id', code: 'unknown_account', message: 'no account has this id' });
  }

  let subscription: SubscriptionRef | null = null;
  const subscriptionField = event.subscription !== null ? 'subscription' : 'subscription_id';
  if (event.subscription !== null || event.subscriptionId !== null) {
    subscription =
      (event.subscription !== null
        ? facts.subscriptionByExternalId.get(event.subscription)
        : facts.subscriptionById.get(event.subscriptionId!)) ?? null;
    if (subscription === null) {
      errors.push({ field: subscriptionField, code: 'unknown_subscription', message: 'no subscription has this ' + (event.subscription !== null ? 'external_id' : 'id') });
    } else if (accountId !== null && subscription.accountId !== accountId) {
      errors.push({ field: subscriptionField, code: 'account_mismatch', message: 'belongs to another account than the customer named' });
    }
  }

  const rules = facts.rulesByCode.get(event.code);
  if (rules === undefined) {
    errors.push({ field: 'code', code: 'unknown_event_code', message: 'is not the event name of any active billable metric' });
  } else {
    for (const error of metricErrors(event, rules)) errors.push(error);
  }
  if (errors.length > 0 || rules === undefined) return { ok: false, errors };

  if (subscription !== null) return { ok: true, attribution: { accountId: subscription.accountId, subscriptionId: subscription.id, rules } };
  // No subscription named, so a customer was (the shape check requires one of them).
  const charged = facts.chargedSubscriptions.get(accountId!)?.get(event.code) ?? NONE;
  if (charged.length > 1) {
    return {
      ok: false,
      errors: [{
        field: 'subscription',
        code: 'ambiguous_subscription',
        message: `is required: the customer has ${charged.length} live subscriptions charging for this event code; name one with subscription or subscription_id`,
      }],
    };
  }
  return { ok: true, attribution: { accountId: accountId!, subscriptionId: charged[0] ?? null, rules } };
}
