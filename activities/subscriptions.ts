import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { Subscription } from '../db/entities/subscriptions/subscription';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { ChargeLine } from '../domain/subscriptions/charge-lines';
import type { Period, Step, SubscriptionSetup } from '../domain/subscriptions/lifecycle';
import { planItem } from '../domain/subscriptions/subscription-terms';
import { canonicalJson } from '../lib/canonical-json';
import { uuidv7 } from '../lib/ids';
import type { Logger } from '../lib/logger';
import { emitDomainEvent } from '../services/domain-events';
import { usageLinesAtClose } from '../services/metering/usage-close';
import { subscriptionRepresentation } from '../services/subscriptions/subscription-representation';

/**
 * The subscription workflow's I/O. Times come from the workflow (the step's
 * `at`), never from this process's clock, so a retried or replayed activity
 * writes the same rows and a time-skipping test controls every timestamp.
 */

/** Attempts after which a missing subscription row means the API rolled back: about a minute with the workflow's retry policy (0.2 s doubling to 10 s). */
const ORPHAN_AFTER_ATTEMPTS = 12;

export function createSubscriptionActivities(deps: { dataSource: DataSource; logger: Logger }) {
  const { dataSource, logger } = deps;
  return {
    /**
     * The API starts the workflow inside its transaction, so the row may not
     * be visible for a moment; after a minute of retries its absence means
     * that transaction rolled back and the workflow has nothing to bill.
     */
    async confirmSubscription(input: { tenantId: string; subscriptionId: string }): Promise<boolean> {
      const found = await inTenantTransaction(dataSource, input.tenantId, (tx) =>
        tx.existsBy(Subscription, { tenantId: input.tenantId, id: input.subscriptionId }),
      );
      if (found) return true;
      if (Context.current().info.attempt >= ORPHAN_AFTER_ATTEMPTS) {
        logger.warn(input, 'subscription row never appeared; its workflow stops');
        return false;
      }
      throw ApplicationFailure.retryable(`subscription ${input.subscriptionId} is not visible yet`, 'subscription_not_visible');
    },

    /**
     * Stores one workflow step in one transaction: the transition row (its
     * revision makes the step idempotent), the charge lines (each keyed),
     * the database copy of the state and the step's domain events, which the
     * outbox delivers to the provider's provisioning systems.
     */
    async recordSubscriptionStep(input: { setup: SubscriptionSetup; step: Step }): Promise<{ recorded: boolean }> {
      const { setup, step } = input;
      const rt = step.runtime;
      return inTenantTransaction(dataSource, setup.tenantId, async (tx) => {
        const hash = stepHash(step);
        const inserted: unknown[] = await tx.query(
          `INSERT INTO subscription_transitions (tenant_id, id, subscription_id, revision, from_status, to_status, events, occurred_at, step_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, subscription_id, revision) DO NOTHING RETURNING id`,
          [setup.tenantId, uuidv7(Date.parse(step.at)), setup.subscriptionId, rt.revision, step.from, rt.status, step.events.map((e) => e.type), step.at, hash],
        );
        if (inserted.length === 0) {
          // Already recorded: a retry after a crash, or a replay. It must be the same step; a different one
          // means the workflow's decisions diverged from what was billed, which must stop, loudly.
          const [recorded] = (await tx.query(
            `SELECT step_hash FROM subscription_transitions WHERE tenant_id = $1 AND subscription_id = $2 AND revision = $3`,
            [setup.tenantId, setup.subscriptionId, rt.revision],
          )) as Array<{ step_hash: string }>;
          if (recorded?.step_hash !== hash) {
            throw ApplicationFailure.nonRetryable(
              `step ${rt.revision} of subscription ${setup.subscriptionId} differs from the step recorded with that revision`,
              'subscription_step_diverged',
            );
          }
          return { recorded: false };
        }
        await insertLines(tx, setup, rt.revision, step.lines, step.at);
        const row = await tx.findOneByOrFail(Subscription, { tenantId: setup.tenantId, id: setup.subscriptionId });
        const plan = planItem(rt.terms);
        Object.assign(row, {
          status: rt.status,
          revision: rt.revision,
          terms: rt.terms,
          planId: plan.planId,
          planVersion: plan.version,
          quantity: plan.quantity,
          couponId: rt.terms.coupon?.couponId ?? null,
          activatedAt: rt.activatedAt ? new Date(rt.activatedAt) : null,
          trialEnd: rt.trialEnd ? new Date(rt.trialEnd) : null,
          currentPeriodStart: rt.period ? new Date(rt.period.start) : null,
          currentPeriodEnd: rt.period ? new Date(rt.period.end) : null,
          cancelAtPeriodEnd: rt.cancelAtPeriodEnd,
          canceledAt: rt.canceledAt ? new Date(rt.canceledAt) : null,
          endedAt: rt.endedAt ? new Date(rt.endedAt) : null,
          pausedAt: rt.pausedAt ? new Date(rt.pausedAt) : null,
          pendingChanges: rt.pending,
          updatedAt: new Date(step.at),
        });
        await tx.save(row);
        const representation = subscriptionRepresentation(row);
        const ctx = { tenantId: setup.tenantId, actor: { type: 'system' as const, id: 'subscription-workflow', label: 'subscription workflow' }, requestId: null, now: new Date(step.at) };
        for (const event of step.events) {
          await emitDomainEvent(tx, ctx, {
            type: event.type,
            resourceType: 'subscription',
            resourceId: setup.subscriptionId,
            payload: { ...representation, event_details: event.details },
          });
        }
        return { recorded: true };
      });
    },

    /**
     * Usage charges for a closing period (or the part of it before a cancel
     * or pause), rated in arrears from the events stored so far, plus
     * adjustments for earlier periods that received late events
     * (services/metering/usage-close.ts). Reads events, writes only
     * usage_ratings; the lines are recorded with the step that closes the
     * period, under keys that make a retry harmless.
     */
    async rateUsageForPeriod(input: { tenantId: string; subscriptionId: string; period: Period }): Promise<ChargeLine[]> {
      const closing = { start: new Date(input.period.start), end: new Date(input.period.end) };
      return inTenantTransaction(dataSource, input.tenantId, (tx) => usageLinesAtClose(tx, input.tenantId, input.subscriptionId, closing));
    },

    async hasPaymentMethod(input: { tenantId: string; accountId: string }): Promise<boolean> {
      return inTenantTransaction(dataSource, input.tenantId, async (tx) => {
        const rows: unknown[] = await tx.query(
          `SELECT 1 FROM payment_methods WHERE tenant_id = $1 AND account_id = $2 AND status = 'active' LIMIT 1`,
          [input.tenantId, input.accountId],
        );
        return rows.length > 0;
      });
    },
  };
}

/** What a step records, fingerprinted: the same step always hashes the same, on any worker. */
export function stepHash(step: Step): string {
  const rt = step.runtime;
  const essence = {
    revision: rt.revision, from: step.from, to: rt.status, at: step.at,
    lines: step.lines.map((l) => [l.key, l.amount, l.periodStart, l.periodEnd]),
    events: step.events.map((e) => e.type),
  };
  return createHash('sha256').update(canonicalJson(essence)).digest('hex');
}

async function insertLines(
  tx: import('typeorm').EntityManager,
  setup: SubscriptionSetup,
  revision: number,
  lines: readonly ChargeLine[],
  at: string,
): Promise<void> {
  for (const line of lines) {
    await tx.query(
      `INSERT INTO subscription_charges (tenant_id, id, line_key, subscription_id, account_id, billing_account_id, currency, kind,
         item_code, charge_key, product_code, description, period_start, period_end, quantity, amount, revision, created_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (tenant_id, line_key) DO NOTHING`,
      [
        setup.tenantId, uuidv7(Date.parse(at)), line.key, setup.subscriptionId, setup.accountId, setup.billingAccountId, setup.currency,
        line.kind, line.itemCode, line.chargeKey, line.product, line.description, line.periodStart, line.periodEnd, line.quantity,
        line.amount, revision, at, line.details ? JSON.stringify(line.details) : null,
      ],
    );
  }
}

export type SubscriptionActivities = ReturnType<typeof createSubscriptionActivities>;
