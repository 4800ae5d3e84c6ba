import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { SubscriptionRequest } from '../../domain/subscriptions/requests';
import { RackrateError, type ErrorCode, ERROR_CATALOG } from '../../lib/errors';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import { ACCOUNT, PLAN, STATUS, SUBSCRIPTION, TENANT } from '../../lib/temporal/search-attributes';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import {
  subscriptionRequest, subscriptionState, subscriptionWorkflowId,
  type RequestOutcome, type SubscriptionStateView, type SubscriptionWorkflowInput,
} from '../../workflows/subscription/definitions';

/**
 * The API's side of subscription workflows: start one (a second start with
 * the same id is refused by Temporal), send it a request as an update and
 * wait for the outcome, or query its live state. Temporal failures become
 * catalogue errors here, in one place.
 */
export const UPDATE_WAIT_MS = 20_000;

function unavailable(error: unknown): RackrateError {
  if (error instanceof RackrateError) return error;
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return new RackrateError('service_unavailable', `Temporal is not reachable: ${error instanceof Error ? error.message : String(error)}${cause}`, {
    headers: { 'Retry-After': '5' },
  });
}

function isErrorCode(type: string | undefined): type is ErrorCode {
  return type !== undefined && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, type);
}

/** A retried API request (same Idempotency-Key) becomes the same update, which Temporal runs once. */
export function updateIdFor(tenantId: string, idempotencyKey: string | null, fallback: string): string {
  if (idempotencyKey === null) return `request:${fallback}`;
  return `idempotency:${createHash('sha256').update(`${tenantId}\0${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

export async function startSubscriptionWorkflow(temporal: TemporalClientProvider, input: SubscriptionWorkflowInput): Promise<void> {
  const { setup } = input;
  const plan = input.terms.items.find((i) => i.kind === 'plan')?.code ?? '';
  const searchAttributes = new TypedSearchAttributes([
    { key: TENANT, value: setup.tenantId },
    { key: ACCOUNT, value: setup.accountId },
    { key: SUBSCRIPTION, value: setup.subscriptionId },
    { key: PLAN, value: plan },
    { key: STATUS, value: 'pending_provisioning' },
  ]);
  try {
    const client = await temporal.client();
    await client.workflow.start('subscriptionWorkflow', {
      taskQueue: TASK_QUEUES.billing,
      workflowId: subscriptionWorkflowId(setup.tenantId, setup.subscriptionId),
      args: [input],
      typedSearchAttributes: searchAttributes,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new RackrateError('subscription_state_conflict', `A workflow for subscription ${setup.subscriptionId} already exists.`);
    }
    throw unavailable(error);
  }
}

export async function sendSubscriptionRequest(
  temporal: TemporalClientProvider,
  tenantId: string,
  subscriptionId: string,
  request: SubscriptionRequest,
  updateId: string,
): Promise<RequestOutcome> {
  let client;
  try {
    client = await temporal.client();
  } catch (error) {
    throw unavailable(error);
  }
  const handle = client.workflow.getHandle(subscriptionWorkflowId(tenantId, subscriptionId));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RackrateError('subscription_busy', `The workflow of subscription ${subscriptionId} did not answer within ${UPDATE_WAIT_MS / 1000} s.`, { headers: { 'Retry-After': '5' } })),
      UPDATE_WAIT_MS,
    );
  });
  try {
    return await Promise.race([handle.executeUpdate(subscriptionRequest, { args: [request], updateId }), timeout]);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const type = error.cause.type ?? undefined;
      throw new RackrateError(isErrorCode(type) ? type : 'subscription_state_conflict', error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      throw new RackrateError('subscription_state_conflict', `Subscription ${subscriptionId} has finished; it cannot change any more.`);
    }
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw new RackrateError('subscription_busy', error.message, { headers: { 'Retry-After': '5' } });
    throw unavailable(error);
  } finally {
    clearTimeout(timer);
  }
}

export async function querySubscriptionState(temporal: TemporalClientProvider, tenantId: string, subscriptionId: string): Promise<SubscriptionStateView | null> {
  try {
    const client = await temporal.client();
    return await client.workflow.getHandle(subscriptionWorkflowId(tenantId, subscriptionId)).query(subscriptionState);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw unavailable(error);
  }
}
