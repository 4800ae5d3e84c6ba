import type { Client, WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { billRunWorkflowId, type BillRunInput, type BillRunSummary } from '../../workflows/invoicing/bill-run';

/**
 * Starts the production bill-run workflow through the Temporal client, as
 * the billing scheduler does for a tenant (same workflow, id and input),
 * and reads where its time went from its own history afterwards: the
 * drafting phase ends when the first `dueDrafts` activity is scheduled,
 * and each activity's span runs from scheduled to closed. Nothing in the
 * production path is instrumented.
 */
export function startBillRun(client: Client, tenantId: string, asOf: Date): Promise<WorkflowHandle> {
  const input: BillRunInput = { tenantId, asOf: asOf.toISOString() };
  return client.workflow.start('billRunWorkflow', { taskQueue: TASK_QUEUES.billing, workflowId: billRunWorkflowId(tenantId, input.asOf), args: [input] });
}

export interface ActivityStats {
  activities: number;
  /** Activities that needed more than one attempt (a retry after a failure or a timeout). */
  retried: number;
  /** Sum over activities of scheduled → closed, seconds: with batches in parallel, more than the wall time. */
  total_seconds: number;
  mean_seconds: number;
  max_seconds: number;
  /** Sum of scheduled → started of the last attempt: time waiting for a worker slot or a retry. */
  waiting_seconds: number;
}

export interface BillRunTimings {
  /** Workflow started → completed, from its history. */
  seconds: number;
  drafting_seconds: number;
  finalising_seconds: number;
  workflow_tasks: number;
  activities: Record<string, ActivityStats>;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const ms = (event: HistoryEvent) => tsToMs(event.eventTime);
const id = (value: unknown) => String(value);

export async function billRunTimings(handle: WorkflowHandle): Promise<BillRunTimings> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const start = ms(events[0]!);
  const end = ms(events[events.length - 1]!);
  const scheduled = new Map<string, { type: string; at: number }>();
  const started = new Map<string, { at: number; attempt: number }>();
  const spans = new Map<string, Array<{ seconds: number; waiting: number; attempt: number }>>();
  let finalisingFrom: number | null = null;
  let workflowTasks = 0;
  for (const event of events) {
    if (event.workflowTaskCompletedEventAttributes) workflowTasks += 1;
    const s = event.activityTaskScheduledEventAttributes;
    if (s) {
      const type = s.activityType?.name ?? 'unknown';
      scheduled.set(id(event.eventId), { type, at: ms(event) });
      if (type === 'dueDrafts' && finalisingFrom === null) finalisingFrom = ms(event);
    }
    const st = event.activityTaskStartedEventAttributes;
    if (st) started.set(id(st.scheduledEventId), { at: ms(event), attempt: st.attempt ?? 1 });
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (closed) {
      const from = scheduled.get(id(closed.scheduledEventId));
      if (!from) continue;
      const begun = started.get(id(closed.scheduledEventId));
      const list = spans.get(from.type) ?? [];
      list.push({ seconds: (ms(event) - from.at) / 1000, waiting: ((begun?.at ?? from.at) - from.at) / 1000, attempt: begun?.attempt ?? 1 });
      spans.set(from.type, list);
    }
  }
  const round = (value: number) => Number(value.toFixed(2));
  const activities: Record<string, ActivityStats> = {};
  for (const [type, list] of spans) {
    const total = list.reduce((sum, x) => sum + x.seconds, 0);
    activities[type] = {
      activities: list.length,
      retried: list.filter((x) => x.attempt > 1).length,
      total_seconds: round(total),
      mean_seconds: round(total / list.length),
      max_seconds: round(Math.max(...list.map((x) => x.seconds))),
      waiting_seconds: round(list.reduce((sum, x) => sum + x.waiting, 0)),
    };
  }
  const split = finalisingFrom ?? end;
  return {
    seconds: round((end - start) / 1000),
    drafting_seconds: round((split - start) / 1000),
    finalising_seconds: round((end - split) / 1000),
    workflow_tasks: workflowTasks,
    activities,
  };
}

export async function billRunResult(handle: WorkflowHandle): Promise<BillRunSummary> {
  return (await handle.result()) as BillRunSummary;
}
