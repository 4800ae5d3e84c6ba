import { hostCpuSeconds, ownCpuSeconds, processTreeCpuSeconds } from './cpu';
import type { WorkerProcess } from './worker-process';

/**
 * Who spent the CPU during one measured window: the worker (its own report),
 * the Temporal dev server, PostgreSQL (postmaster and backends), this
 * load-generating process, and the host as a whole. On a 2-core host they
 * all compete, so the split says where a bottleneck sits.
 */
export interface CpuSnapshot {
  atMs: number;
  worker: number;
  temporal: number | null;
  postgres: number | null;
  loadGenerator: number;
  host: { busy: number; total: number } | null;
}

export interface ProcessPids {
  temporal: number | null;
  postgres: () => number | null;
}

export interface CpuSpent {
  /** CPU seconds of the worker process, every thread. */
  worker_cpu_seconds: number;
  /** Worker CPU seconds over wall seconds: 1 = one core busy all the time. */
  worker_busy_cores: number;
  temporal_cpu_seconds: number | null;
  postgres_cpu_seconds: number | null;
  load_generator_cpu_seconds: number;
  /** Busy CPU over wall time across the host, in cores (this host has `machine.cpus`). */
  host_busy_cores: number | null;
  /** Host CPU seconds that none of the above used: other work on the machine competing with the benchmark. */
  other_processes_cpu_seconds: number | null;
}

export async function snapshot(worker: WorkerProcess, pids: ProcessPids): Promise<CpuSnapshot> {
  return {
    atMs: performance.now(),
    worker: await worker.cpuSeconds(),
    temporal: processTreeCpuSeconds(pids.temporal),
    postgres: processTreeCpuSeconds(pids.postgres()),
    loadGenerator: ownCpuSeconds(),
    host: hostCpuSeconds(),
  };
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : round(b - a));

export function spent(before: CpuSnapshot, after: CpuSnapshot): CpuSpent {
  const wall = (after.atMs - before.atMs) / 1000;
  const hostBusy = before.host && after.host ? after.host.busy - before.host.busy : null;
  const ours = [after.worker - before.worker, after.loadGenerator - before.loadGenerator, delta(before.temporal, after.temporal), delta(before.postgres, after.postgres)];
  const others = hostBusy === null ? null : hostBusy - ours.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return {
    worker_cpu_seconds: round(after.worker - before.worker),
    worker_busy_cores: round((after.worker - before.worker) / wall),
    temporal_cpu_seconds: delta(before.temporal, after.temporal),
    postgres_cpu_seconds: delta(before.postgres, after.postgres),
    load_generator_cpu_seconds: round(after.loadGenerator - before.loadGenerator),
    host_busy_cores: hostBusy === null ? null : round(hostBusy / wall),
    other_processes_cpu_seconds: others === null ? null : round(Math.max(0, others)),
  };
}

/** CPU milliseconds per operation of each process we run. */
export interface CpuPerOperation {
  worker: number;
  temporal: number | null;
  postgres: number | null;
  load_generator: number;
}

export function perOperation(cpu: CpuSpent, operations: number): CpuPerOperation {
  const ms = (seconds: number | null) => (seconds === null ? null : Number(((seconds * 1000) / operations).toFixed(2)));
  return {
    worker: ms(cpu.worker_cpu_seconds)!,
    temporal: ms(cpu.temporal_cpu_seconds),
    postgres: ms(cpu.postgres_cpu_seconds),
    load_generator: ms(cpu.load_generator_cpu_seconds)!,
  };
}
