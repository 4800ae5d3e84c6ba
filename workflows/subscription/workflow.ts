import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { SubscriptionActivities } from '../../activities/subscriptions';
import {
  applyChangeNow, applyScheduledChange, cancelNow, dueScheduledChange, endTrial, initialRuntime, pause, renew, requestRefusal,
  resume, scheduleCancel, scheduleChange, setStatus, startBilling, trialWarningAt, warnTrialEnding,
  type Step, type SubscriptionRuntime,
} from '../../domain/subscriptions/lifecycle';
import type { ChargeLine } from '../../domain/subscriptions/charge-lines';
import type { SubscriptionRequest } from '../../domain/subscriptions/requests';
import { isTerminal, type SubscriptionStatus } from '../../domain/subscriptions/status';
import { planItem } from '../../domain/subscriptions/subscription-terms';
import { PLAN, STATUS } from '../../lib/temporal/search-attributes';
import {
  subscriptionRequest, subscriptionState,
  type RequestOutcome, type SubscriptionStateView, type SubscriptionWorkflowInput,
} from './definitions';

/**
 * One customer subscription, for its whole life. The workflow only decides
 * what happens next and when (domain/subscriptions/lifecycle computes each
 * step); one activity stores each step (charges, transition, domain events,
 * the database copy of the state) in one transaction, keyed so that a retry
 * or a replay stores nothing twice. Requests from the API arrive as
 * updates and run one at a time; timers bring trial notices, trial ends,
 * scheduled changes and period boundaries. After each renewal the workflow
 * continues as new, so its history stays one period long.
 */
const activities = proxyActivities<SubscriptionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** The API starts the workflow inside its transaction: the row appears moments later, so check soon and often. */
const { confirmSubscription } = proxyActivities<SubscriptionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionStatus> {
  const { setup } = input;
  let rt: SubscriptionRuntime = input.runtime ?? initialRuntime(input.terms);
  let renewedThisRun = false;
  let busy = false;
  let wake = false;
  const now = () => new Date(Date.now()).toISOString();

  async function commit(step: Step): Promise<void> {
    await activities.recordSubscriptionStep({ setup, step });
    const before = rt;
    rt = step.runtime;
    const plan = planItem(rt.terms).code;
    if (before.status !== rt.status || planItem(before.terms).code !== plan) {
      upsertSearchAttributes([{ key: STATUS, value: rt.status }, { key: PLAN, value: plan }]);
    }
  }

  /** Requests and timers take turns: one step at a time, in order. */
  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
      wake = true;
    }
  }

  /** Takes every step whose time has come, oldest first. */
  async function catchUp(): Promise<void> {
    for (;;) {
      const at = now();
      if (rt.status === 'trialing' && rt.trialEnd) {
        const warnAt = trialWarningAt(setup, rt);
        if (warnAt && warnAt <= at && warnAt < rt.trialEnd) {
          await commit(warnTrialEnding(setup, rt, warnAt));
          continue;
        }
        if (rt.trialEnd <= at) {
          const paymentMethod =
            setup.trialEndBehavior === 'convert' || (await activities.hasPaymentMethod({ tenantId: setup.tenantId, accountId: setup.accountId }));
          await commit(endTrial(setup, rt, paymentMethod));
          continue;
        }
        return;
      }
      if (rt.status === 'paused') {
        if (rt.resumeAt && rt.resumeAt <= at) {
          await commit(resume(setup, rt, rt.resumeAt, resumeOptions()));
          continue;
        }
        return;
      }
      if (rt.period && !isTerminal(rt.status)) {
        const scheduled = dueScheduledChange(rt, at);
        if (scheduled && scheduled.effective.type === 'at' && scheduled.effective.at < rt.period.end) {
          await commit(applyScheduledChange(setup, rt, scheduled));
          continue;
        }
        if (rt.period.end <= at) {
          const usage = await activities.rateUsageForPeriod({ tenantId: setup.tenantId, subscriptionId: setup.subscriptionId, period: rt.period });
          await commit(renew(setup, rt, usage));
          // One renewal per run: the main loop continues as new after it.
          renewedThisRun = true;
          return;
        }
      }
      return;
    }
  }

  /**
   * Since patch usage-at-stop: a cancel or pause in the middle of a period
   * bills the usage up to that moment (before, it was never rated).
   */
  async function usageBeforeStop(request: SubscriptionRequest, at: string): Promise<ChargeLine[]> {
    const stops = (request.type === 'cancel' && (request.effective === 'now' || rt.status === 'pending_provisioning')) || request.type === 'pause';
    if (!stops || !rt.period || !patched('usage-at-stop')) return [];
    const period = { start: rt.period.start, end: at < rt.period.end ? at : rt.period.end };
    if (period.end <= period.start) return [];
    return activities.rateUsageForPeriod({ tenantId: setup.tenantId, subscriptionId: setup.subscriptionId, period });
  }

  function stepFor(request: SubscriptionRequest, at: string, usage: ChargeLine[]): Step {
    switch (request.type) {
      case 'activate':
        return startBilling(setup, rt, request.activatedAt);
      case 'change':
        return request.effective.type === 'now'
          ? applyChangeNow(setup, rt, request.change, request.requestId, request.description, at)
          : scheduleChange(rt, { id: request.requestId, change: request.change, effective: request.effective, description: request.description, requestedAt: at }, at);
      case 'cancel':
        return request.effective === 'now' || rt.status === 'pending_provisioning'
          ? cancelNow(setup, rt, request.requestId, request.proration, request.reason, at, usage)
          : scheduleCancel(rt, request.reason, at);
      case 'pause':
        return pause(setup, rt, request.requestId, request.resumeAt, at, usage);
      case 'resume':
        return resume(setup, rt, at, resumeOptions());
      case 'suspend':
        return setStatus(rt, 'suspended', 'subscription.suspended', { reason: request.reason }, at);
      case 'reinstate':
        return setStatus(rt, 'active', 'subscription.reinstated', {}, at);
      case 'payment_failed':
        return setStatus(rt, 'past_due', 'subscription.past_due', {}, at);
      case 'payment_succeeded':
        return setStatus(rt, 'active', rt.status === 'suspended' ? 'subscription.reinstated' : 'subscription.payment_recovered', {}, at);
    }
  }

  /** Since patch dated-change-after-pause: changes that fell due while paused apply at the resume, not back in the pause. */
  function resumeOptions() {
    return { applyDueChanges: patched('dated-change-after-pause') };
  }

  function refuse(reason: string): never {
    throw ApplicationFailure.create({ type: 'subscription_state_conflict', message: reason, nonRetryable: true });
  }

  setHandler(subscriptionState, (): SubscriptionStateView => ({
    status: rt.status,
    revision: rt.revision,
    currentPeriod: rt.period,
    nextRenewalAt: rt.status === 'trialing' ? rt.trialEnd : rt.period && !rt.cancelAtPeriodEnd ? rt.period.end : null,
    trialEnd: rt.trialEnd,
    cancelAtPeriodEnd: rt.cancelAtPeriodEnd,
    pendingChanges: rt.pending,
    resumeAt: rt.resumeAt,
    terms: rt.terms,
    periodsBilled: rt.periodsBilled,
  }));

  setHandler(
    subscriptionRequest,
    (request) =>
      exclusive(async (): Promise<RequestOutcome> => {
        await catchUp();
        // Checked again here: another request may have changed the state since validation.
        const refusal = requestRefusal(setup, rt, request, now());
        if (refusal) refuse(refusal);
        const at = now();
        const step = stepFor(request, at, await usageBeforeStop(request, at));
        await commit(step);
        const scheduled = request.type === 'change' && request.effective.type !== 'now' ? rt.pending.find((c) => c.id === request.requestId) ?? null : null;
        return { status: rt.status, revision: rt.revision, lines: step.lines, scheduled };
      }),
    {
      validator: (request) => {
        const refusal = requestRefusal(setup, rt, request, now());
        if (refusal) refuse(refusal);
      },
    },
  );

  if (!input.runtime) {
    const exists = await confirmSubscription({ tenantId: setup.tenantId, subscriptionId: setup.subscriptionId });
    // The API's transaction rolled back after starting us: nothing to bill.
    if (!exists) return 'canceled';
    if (!setup.requiresProvisioning) await exclusive(() => commit(startBilling(setup, rt, setup.startAt)));
  }

  while (!isTerminal(rt.status)) {
    await exclusive(catchUp);
    if (isTerminal(rt.status)) break;
    if (renewedThisRun) {
      await condition(() => !busy && allHandlersFinished());
      await continueAsNew<typeof subscriptionWorkflow>({ setup, terms: rt.terms, runtime: rt });
    }
    const wakeAt = nextWakeAt(rt);
    wake = false;
    if (wakeAt === null) await condition(() => wake);
    else {
      const ms = Date.parse(wakeAt) - Date.now();
      if (ms > 0) await condition(() => wake, ms);
    }
  }
  await condition(() => !busy && allHandlersFinished());
  return rt.status;

  function nextWakeAt(state: SubscriptionRuntime): string | null {
    const times: string[] = [];
    if (state.status === 'trialing' && state.trialEnd) {
      const warnAt = trialWarningAt(setup, state);
      if (warnAt) times.push(warnAt);
      times.push(state.trialEnd);
    }
    if (state.status === 'paused' && state.resumeAt) times.push(state.resumeAt);
    if (state.period && !isTerminal(state.status) && state.status !== 'paused') {
      times.push(state.period.end);
      for (const c of state.pending) if (c.effective.type === 'at') times.push(c.effective.at);
    }
    return times.length === 0 ? null : times.sort()[0]!;
  }
}
