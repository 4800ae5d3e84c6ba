import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BatchFailure } from '../../activities/invoicing';

/** What clients and workflows share about bill runs and the billing scheduler: ids, inputs, signal and queries (no workflow code, so clients import it freely). */
export const BILLING_SCHEDULER_WORKFLOW_ID = 'rackrate-billing-scheduler';

export interface BillingSchedulerStatus {
  ticks: number;
  lastRunAt: string | null;
  nextWakeAt: string | null;
  lastRuns: BillRunSummary[];
  /** The last 20 bill runs that failed to start or finish, newest last. */
  lastErrors: Array<{ tenantId: string; asOf: string; message: string }>;
}

export const billingWake = defineSignal('wake');
export const billingSchedulerStatus = defineQuery<BillingSchedulerStatus>('status');

export interface BillRunInput {
  tenantId: string;
  /** The run's instant: bill dates and grace ends at or before it are due. */
  asOf: string;
  pageSize?: number;
  batchSize?: number;
  parallelBatches?: number;
}

export interface BillRunSummary {
  tenantId: string;
  asOf: string;
  drafted: number;
  nothingToBill: number;
  finalized: number;
  skipped: number;
  failed: BatchFailure[];
  phase: 'drafting' | 'finalising' | 'done';
}

export const billRunProgress = defineQuery<BillRunSummary>('progress');

export function billRunWorkflowId(tenantId: string, asOf: string): string {
  return `bill-run:${tenantId}:${asOf}`;
}
