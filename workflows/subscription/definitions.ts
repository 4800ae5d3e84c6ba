import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChargeLine } from '../../domain/subscriptions/charge-lines';
import type { SubscriptionRuntime, SubscriptionSetup } from '../../domain/subscriptions/lifecycle';
import type { ScheduledChange, SubscriptionRequest } from '../../domain/subscriptions/requests';
import type { SubscriptionStatus } from '../../domain/subscriptions/status';
import type { SubscriptionTerms } from '../../domain/subscriptions/subscription-terms';

/**
 * The subscription workflow's public surface, shared by the workflow, the
 * API and tests: its id, input, the `request` update and the `state` query.
 */

/** One workflow per subscription; starting a second with the same id is refused by Temporal. */
export function subscriptionWorkflowId(tenantId: string, subscriptionId: string): string {
  return `subscription:${tenantId}:${subscriptionId}`;
}

export interface SubscriptionWorkflowInput {
  setup: SubscriptionSetup;
  terms: SubscriptionTerms;
  /** Carried across continue-as-new; absent on the first run. */
  runtime?: SubscriptionRuntime;
}

export interface RequestOutcome {
  status: SubscriptionStatus;
  revision: number;
  /** Charges recorded by this request (empty when it only scheduled something). */
  lines: ChargeLine[];
  scheduled: ScheduledChange | null;
}

/**
 * An update rather than a plain signal: its validator refuses a request the
 * state forbids before anything enters the history, and the caller learns
 * the outcome (new status, charges) synchronously.
 */
export const subscriptionRequest = defineUpdate<RequestOutcome, [SubscriptionRequest]>('request');

export interface SubscriptionStateView {
  status: SubscriptionStatus;
  revision: number;
  currentPeriod: { start: string; end: string } | null;
  nextRenewalAt: string | null;
  trialEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pendingChanges: ScheduledChange[];
  resumeAt: string | null;
  terms: SubscriptionTerms;
  periodsBilled: number;
}

export const subscriptionState = defineQuery<SubscriptionStateView>('state');
