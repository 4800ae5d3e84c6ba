import { continueAsNew, defineQuery, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../activities/housekeeping';

/**
 * Periodic clean-up across all tenants: expired idempotency keys, usage
 * partitions ahead and usage past its retention.
 * One instance runs per deployment, with the fixed id below; the billing
 * worker starts it if it is not running. It sleeps between cycles on the
 * workflow clock and continues as new every `cyclesPerRun` cycles so its
 * history stays small however long it lives.
 */
export const HOUSEKEEPING_WORKFLOW_ID = 'rackrate-housekeeping';

export interface HousekeepingInput {
  intervalHours?: number;
  cyclesPerRun?: number;
  /** Carried across continue-as-new; callers leave it out. */
  cyclesBefore?: number;
}

export interface HousekeepingStatus {
  cyclesThisRun: number;
  cyclesTotal: number;
  lastCycleAt: string | null;
  lastDeleted: number;
}

export const housekeepingStatus = defineQuery<HousekeepingStatus>('status');

const { pruneExpiredIdempotencyKeys, maintainUsageStorage } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function housekeepingWorkflow(input: HousekeepingInput = {}): Promise<void> {
  const intervalHours = input.intervalHours ?? 24;
  const cyclesPerRun = input.cyclesPerRun ?? 30;
  const status: HousekeepingStatus = {
    cyclesThisRun: 0,
    cyclesTotal: input.cyclesBefore ?? 0,
    lastCycleAt: null,
    lastDeleted: 0,
  };
  setHandler(housekeepingStatus, () => status);

  while (status.cyclesThisRun < cyclesPerRun) {
    await sleep(`${intervalHours} hours`);
    // new Date() in a workflow is the workflow clock: deterministic on replay.
    const now = new Date().toISOString();
    const pruned = await pruneExpiredIdempotencyKeys({ before: now });
    // Since patch usage-storage: usage partitions and retention (docs/metering.md).
    if (patched('usage-storage')) await maintainUsageStorage({ now });
    status.cyclesThisRun += 1;
    status.cyclesTotal += 1;
    status.lastCycleAt = now;
    status.lastDeleted = pruned.tenantKeysDeleted + pruned.platformKeysDeleted;
  }
  await continueAsNew<typeof housekeepingWorkflow>({ intervalHours, cyclesPerRun, cyclesBefore: status.cyclesTotal });
}
