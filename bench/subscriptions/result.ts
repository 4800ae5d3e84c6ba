import { perOperation, type CpuPerOperation, type CpuSpent } from './measure';
import type { SubscriptionOptions } from './options';
import type { WorkerSettings } from './protocol';
import type { RenewalChecks } from './checks';
import { PLAN_PRICE } from './seed';

/** The `subscriptions` part of the bench report; bench/README.md explains each field. */
export interface SubscriptionBenchResult {
  name: string;
  subscriptions: number;
  /** Creations (and no-op starts, and no-op result waits) in flight at once. */
  concurrency: number;
  /** The Temporal CLI's version line; PostgreSQL's server_version (embedded). */
  servers: { temporal: string; postgres: string };
  workers: { billing: WorkerSettings; noop: WorkerSettings };
  design: {
    billing: string;
    plan_price: string;
    start_at: string;
    renewal_due_at: string;
    /** From the end of the warm-up to the renewal instant (BENCH_SUBSCRIPTIONS_LEAD_SECONDS, or 1.3 × the larger prediction + 15 s). */
    lead_seconds: number;
    /** Creation plus activation time predicted by the warm-up's pace, and by its CPU spread over the host's cores. */
    lead_predictions: { by_pace_seconds: number; by_cpu_seconds: number | null };
    warmup_subscriptions: number;
    /** Warm-up subscriptions activated per second over its second half. */
    warmup_per_second: number;
    /** True when creation or activation was still running at the renewal instant: the renewal figure is then not clean. */
    creation_overran_renewal_instant: boolean;
    /** Subscriptions activated after the instant, which renewed at once, before the measured window. */
    renewed_during_activation: number;
  };
  seeding: { seconds: number; accounts: number };
  renewal: {
    rackrate: CpuSpent & {
      renewals_per_second: number;
      renewals: number;
      /** From the renewal instant to the database showing the last renewal. */
      seconds: number;
      first_renewed_after_seconds: number;
      half_renewed_after_seconds: number;
      p90_renewed_after_seconds: number;
      cpu_ms_per_renewal: CpuPerOperation;
    };
    baseline: CpuSpent & {
      workflows_per_second: number;
      workflows: number;
      /** From the first start to the last result. */
      seconds: number;
      starts_done_after_seconds: number;
      cpu_ms_per_workflow: CpuPerOperation;
    };
    /** Renewals/s over no-op workflows/s. */
    throughput_ratio: number;
    /** Worker CPU per renewal over worker CPU per no-op workflow. */
    worker_cpu_ratio: number | null;
    /** Temporal server CPU per renewal over the same per no-op workflow. */
    temporal_cpu_ratio: number | null;
  };
  creation: CpuSpent & {
    subscriptions_per_second: number;
    subscriptions: number;
    seconds: number;
    /** Until every subscription's workflow had stored its first period (revision 1); the CPU figures cover this span. */
    all_activated_after_seconds: number;
    cpu_ms_per_subscription: CpuPerOperation;
  };
  checks: RenewalChecks;
}

export interface LeadTime {
  seconds: number;
  /** Warm-up activations per second, second half. */
  pace: number;
  byPaceSeconds: number;
  byCpuSeconds: number | null;
}

interface Timed {
  seconds: number;
  cpu: CpuSpent;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : round(a / b, 1));

export function buildSubscriptionResult(input: {
  options: SubscriptionOptions;
  seedingSeconds: number;
  lead: LeadTime;
  leadSeconds: number;
  startAt: Date;
  due: Date;
  overlapped: boolean;
  renewedEarly: number;
  noop: Timed & { startSeconds: number };
  creation: Timed & { activatedSeconds: number };
  renewal: Timed & { firstSeconds: number; halfSeconds: number; p90Seconds: number };
  checks: RenewalChecks;
  workers: { billing: WorkerSettings; noop: WorkerSettings };
  temporalVersion: string;
  postgresVersion: string;
}): SubscriptionBenchResult {
  const { options, noop, creation, renewal } = input;
  const n = options.count;
  const renewalsPerSecond = round(n / renewal.seconds);
  const noopPerSecond = round(n / noop.seconds);
  const renewalCpu = perOperation(renewal.cpu, n);
  const noopCpu = perOperation(noop.cpu, n);
  return {
    name: `${n} subscriptions, one renewal each (Temporal dev server)`,
    subscriptions: n,
    concurrency: options.concurrency,
    servers: { temporal: input.temporalVersion, postgres: input.postgresVersion },
    workers: input.workers,
    design: {
      billing: 'monthly, anniversary, UTC; start_at one month before the renewal instant',
      plan_price: PLAN_PRICE,
      start_at: input.startAt.toISOString(),
      renewal_due_at: input.due.toISOString(),
      lead_seconds: input.leadSeconds,
      lead_predictions: { by_pace_seconds: input.lead.byPaceSeconds, by_cpu_seconds: input.lead.byCpuSeconds },
      warmup_subscriptions: options.warmup,
      warmup_per_second: round(input.lead.pace),
      creation_overran_renewal_instant: input.overlapped,
      renewed_during_activation: input.renewedEarly,
    },
    seeding: { seconds: input.seedingSeconds, accounts: options.warmup + n },
    renewal: {
      rackrate: {
        renewals_per_second: renewalsPerSecond,
        renewals: n,
        seconds: renewal.seconds,
        first_renewed_after_seconds: renewal.firstSeconds,
        half_renewed_after_seconds: renewal.halfSeconds,
        p90_renewed_after_seconds: renewal.p90Seconds,
        cpu_ms_per_renewal: renewalCpu,
        ...renewal.cpu,
      },
      baseline: {
        workflows_per_second: noopPerSecond,
        workflows: n,
        seconds: noop.seconds,
        starts_done_after_seconds: noop.startSeconds,
        cpu_ms_per_workflow: noopCpu,
        ...noop.cpu,
      },
      throughput_ratio: round(renewalsPerSecond / noopPerSecond, 3),
      worker_cpu_ratio: ratio(renewalCpu.worker, noopCpu.worker),
      temporal_cpu_ratio: ratio(renewalCpu.temporal, noopCpu.temporal),
    },
    creation: {
      subscriptions_per_second: round(n / creation.seconds),
      subscriptions: n,
      seconds: creation.seconds,
      all_activated_after_seconds: creation.activatedSeconds,
      cpu_ms_per_subscription: perOperation(creation.cpu, n),
      ...creation.cpu,
    },
    checks: input.checks,
  };
}
