/**
 * Messages between the subscription benchmark (bench/subscriptions/run-
 * subscriptions.ts, in the load-generating process) and a worker it forks
 * (bench/subscriptions/worker.ts), over the fork IPC channel.
 */

/** `billing`: the real billing worker (workers/queue-definitions). `noop`: the baseline bundle on its own queue. */
export type WorkerKind = 'billing' | 'noop';

export const NOOP_TASK_QUEUE = 'rackrate-bench-noop';

/** The effective limits of the worker, as the SDK compiled them (defaults unless the bench set them). */
export interface WorkerSettings {
  task_queue: string;
  max_concurrent_workflow_task_executions: number | null;
  max_concurrent_activity_task_executions: number | null;
  max_concurrent_workflow_task_polls: number | null;
  max_concurrent_activity_task_polls: number | null;
  max_cached_workflows: number;
  workflow_thread_pool_size: number;
  reuse_v8_context: boolean;
  /** PostgreSQL connections of the worker's pool; null for the no-op worker, which has no database. */
  database_pool_size: number | null;
}

export type WorkerMessage =
  | { type: 'ready'; settings: WorkerSettings }
  | { type: 'failed'; error: string }
  | { type: 'cpu'; seconds: number };

export type ControlMessage = { type: 'cpu' } | { type: 'stop' };

export const WORKER_ENV = {
  kind: 'BENCH_WORKER_KIND',
  temporalAddress: 'BENCH_TEMPORAL_ADDRESS',
  databaseUrl: 'BENCH_DATABASE_URL',
} as const;
