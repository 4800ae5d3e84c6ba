import { ParentClosePolicy, WorkflowIdReusePolicy, condition, continueAsNew, executeChild, proxyActivities, setHandler } from '@temporalio/workflow';
import type { InvoicingActivities } from '../../activities/invoicing';
import { billRunWorkflow } from './bill-run';
import { billingSchedulerStatus, billingWake, billRunWorkflowId, type BillingSchedulerStatus } from './definitions';

/**
 * The billing clock of a deployment: wakes at the next instant any tenant
 * has billing work (a bill date, a grace period ending) — at least once a
 * day — and runs a bill run per tenant as a child workflow, so each run is
 * visible in the Temporal UI with its progress. A signal wakes it early
 * (the API sends one when a draft's grace period is shortened). One
 * instance per deployment with a fixed id, started by the billing worker;
 * continues as new every `ticksPerRun` ticks.
 *
 * Why not a Temporal Schedule: bill dates are per account and per time zone
 * (not a cron), and the time-skipping test server, on which the invoicing
 * timelines are tested, does not run schedules.
 */
export interface BillingSchedulerInput {
  ticksPerRun?: number;
  maxSleepHours?: number;
  ticksBefore?: number;
}


const acts = proxyActivities<InvoicingActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function billingSchedulerWorkflow(input: BillingSchedulerInput = {}): Promise<void> {
  const ticksPerRun = input.ticksPerRun ?? 100;
  const maxSleepMs = (input.maxSleepHours ?? 24) * 3_600_000;
  const status: BillingSchedulerStatus = { ticks: input.ticksBefore ?? 0, lastRunAt: null, nextWakeAt: null, lastRuns: [], lastErrors: [] };
  let woken = false;
  setHandler(billingWake, () => {
    woken = true;
  });
  setHandler(billingSchedulerStatus, () => status);

  for (let tick = 0; tick < ticksPerRun; tick++) {
    // The workflow clock: deterministic on replay, skipped in time-skipping tests.
    const asOf = new Date().toISOString();
    const tenants = await acts.listBillingTenants();
    status.lastRuns = [];
    for (const tenantId of tenants) {
      try {
        const summary = await executeChild(billRunWorkflow, {
          workflowId: billRunWorkflowId(tenantId, asOf),
          args: [{ tenantId, asOf }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        });
        status.lastRuns.push(summary);
      } catch (error) {
        // One tenant's failed run (or a run for this instant that already completed) must not stop the others' billing;
        // the next tick bills whatever is still due.
        status.lastErrors.push({ tenantId, asOf, message: error instanceof Error ? error.message : String(error) });
        status.lastErrors.splice(0, Math.max(status.lastErrors.length - 20, 0));
      }
    }
    status.ticks += 1;
    status.lastRunAt = asOf;
    const next = await acts.nextBillingWake({ tenantIds: tenants, asOf });
    const nowMs = Date.now();
    const wakeMs = Math.min(next ? Date.parse(next) : nowMs + maxSleepMs, nowMs + maxSleepMs);
    status.nextWakeAt = new Date(wakeMs).toISOString();
    woken = false;
    await condition(() => woken, Math.max(wakeMs - nowMs, 1000));
  }
  await continueAsNew<typeof billingSchedulerWorkflow>({ ticksPerRun: input.ticksPerRun, maxSleepHours: input.maxSleepHours, ticksBefore: status.ticks });
}
