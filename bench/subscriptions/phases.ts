import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { fixedTemporalClient } from '../../lib/temporal/connection';
import { createSubscriptionSchema } from '../../services/subscriptions/subscription-schemas';
import { createSubscription } from '../../services/subscriptions/subscriptions';
import type { noopWorkflow } from './noop-workflow';
import { NOOP_TASK_QUEUE } from './protocol';
import { changeContext, PLAN_CODE } from './seed';

/** The three things the benchmark does to the servers, each timed by its caller. */

/** Runs work(0 … count-1) on `concurrency` lanes, each taking the next index when it is free. */
export async function runLanes(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/**
 * Starts `count` no-op workflows from `concurrency` lanes and, on as many
 * other lanes, awaits their results in start order, so starting never
 * waits for completing. Resolves when the last has completed; returns when
 * the last start was accepted (ms, performance clock).
 */
export async function noopBurst(client: Client, runId: string, count: number, concurrency: number): Promise<{ startsDoneAtMs: number }> {
  const handles: Array<Promise<WorkflowHandle>> = [];
  const resolvers: Array<(handle: WorkflowHandle) => void> = [];
  const failers: Array<(error: unknown) => void> = [];
  for (let i = 0; i < count; i++) {
    handles.push(new Promise((resolve, reject) => {
      resolvers.push(resolve);
      failers.push(reject);
    }));
    // Collected below; a start failure must not surface as an unhandled rejection first.
    handles[i]!.catch(() => undefined);
  }
  let startsDoneAtMs = 0;
  const starting = runLanes(count, concurrency, async (i) => {
    try {
      resolvers[i]!(await client.workflow.start<typeof noopWorkflow>('noopWorkflow', { taskQueue: NOOP_TASK_QUEUE, workflowId: `noop-${runId}-${i}` }));
    } catch (error) {
      failers[i]!(error);
      throw error;
    }
  }).then(() => {
    startsDoneAtMs = performance.now();
  });
  const completing = runLanes(count, concurrency, async (i) => {
    await (await handles[i]!).result();
  });
  await Promise.all([starting, completing]);
  return { startsDoneAtMs };
}

/**
 * Creates subscriptions through the service the API calls (validation,
 * pricing, row, audit entry, workflow start in one tenant transaction), one
 * account each, anniversary billing from `startAt` (now when null).
 */
export async function createSubscriptions(
  dataSource: DataSource,
  client: Client,
  tenantId: string,
  accountIds: readonly string[],
  startAt: Date | null,
  concurrency: number,
): Promise<void> {
  const temporal = fixedTemporalClient(client);
  await runLanes(accountIds.length, concurrency, async (i) => {
    const input = createSubscriptionSchema.parse({
      account_id: accountIds[i],
      plan: PLAN_CODE,
      billing_anchor: 'anniversary',
      ...(startAt === null ? {} : { start_at: startAt.toISOString() }),
    });
    await inTenantTransaction(dataSource, tenantId, (tx) => createSubscription(tx, changeContext(tenantId), temporal, input));
  });
}

export interface Milestones {
  /** ms (performance clock) when the count was first seen at 1, ceil(half), 90% and all of `target`. */
  first: number;
  half: number;
  p90: number;
  all: number;
}

/**
 * Polls the database until `target` subscriptions of the tenant have reached
 * `revision` (the workflow's copy is written in the same transaction as
 * the step's charges and events, so the row is the step's commit). Fails
 * when nothing moves for `stallMs`.
 */
export async function waitForRevision(
  dataSource: DataSource,
  tenantId: string,
  revision: number,
  target: number,
  options: { pollMs: number; stallMs: number; log: (line: string) => void; label: string },
): Promise<Milestones> {
  const reached: Partial<Milestones> = {};
  let last = -1;
  let lastChangeMs = performance.now();
  let lastLogMs = performance.now();
  for (;;) {
    const rows: Array<{ n: string }> = await inTenantTransaction(dataSource, tenantId, (tx) =>
      tx.query(`SELECT count(*) AS n FROM subscriptions WHERE tenant_id = $1 AND revision >= $2`, [tenantId, revision]),
    );
    const now = performance.now();
    const count = Number(rows[0]?.n ?? 0);
    if (count >= 1) reached.first ??= now;
    if (count >= Math.ceil(target / 2)) reached.half ??= now;
    if (count * 10 >= target * 9) reached.p90 ??= now;
    if (count >= target) return { first: reached.first!, half: reached.half!, p90: reached.p90!, all: now };
    if (count !== last) {
      last = count;
      lastChangeMs = now;
    } else if (now - lastChangeMs > options.stallMs) {
      throw new Error(`${options.label}: stuck at ${count} of ${target} subscriptions at revision ${revision} for ${options.stallMs / 1000} s`);
    }
    if (now - lastLogMs > 10_000) {
      options.log(`  ${options.label}: ${count} of ${target}`);
      lastLogMs = now;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
