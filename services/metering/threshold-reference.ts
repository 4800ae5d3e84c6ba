import type { EntityManager } from 'typeorm';
import { combinedCommit, commitReferenceOf, type CommitReference } from '../../domain/metering/thresholds';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { usageChargesOn } from './usage-api-charges';

/**
 * "The commit" a units threshold measures against, read from the plan at
 * `at` (so a plan change moves it): for a subscription, the sum of its
 * usage charges' commits on the metric; for an account, the sum over the
 * account's live subscriptions. Refused (ok: false) when no charge on the
 * metric commits anything.
 */
export const LIVE_STATUSES = ['trialing', 'active', 'past_due', 'suspended', 'paused'] as const;

export async function liveSubscriptionsOf(tx: EntityManager, tenantId: string, accountId: string): Promise<Subscription[]> {
  return tx
    .createQueryBuilder(Subscription, 's')
    .where('s.tenant_id = :tenantId AND s.account_id = :accountId AND s.status IN (:...live)', { tenantId, accountId, live: LIVE_STATUSES })
    .orderBy('s.id')
    .getMany();
}

export async function commitReference(
  tx: EntityManager,
  tenantId: string,
  target: { accountId: string; subscription: Subscription | null; metricCode: string },
  at: Date,
): Promise<CommitReference> {
  const subscriptions = target.subscription ? [target.subscription] : await liveSubscriptionsOf(tx, tenantId, target.accountId);
  const references: CommitReference[] = [];
  for (const subscription of subscriptions) {
    for (const charge of await usageChargesOn(tx, subscription, target.metricCode, at)) references.push(commitReferenceOf(charge.price));
  }
  const combined = combinedCommit(references);
  if (combined.ok || references.length > 0) return combined;
  return {
    ok: false,
    reason: target.subscription
      ? `subscription ${target.subscription.id} has no usage charge on metric ${target.metricCode}`
      : `no live subscription of account ${target.accountId} has a usage charge on metric ${target.metricCode}`,
  };
}
