import { hostCpuSeconds, ownCpuSeconds, processTreeCpuSeconds } from '../subscriptions/cpu';

/** Small helpers the metering measurements share: latency summaries and who used the CPU. */
export interface LatencySummary {
  count: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Nearest-rank percentiles of the samples (ms). */
export function summarise(samplesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, p50_ms: round(at(50)), p99_ms: round(at(99)), max_ms: round(at(100)), mean_ms: round(mean) };
}

export interface CpuSnapshot {
  atMs: number;
  api: number | null;
  postgres: number | null;
  bench: number;
  host: { busy: number; total: number } | null;
}

/** CPU seconds each process used over a window, and in cores (CPU seconds per wall second). */
export interface CpuUse {
  wall_seconds: number;
  /** The API process (ingestion only; null elsewhere). */
  api_cpu_seconds: number | null;
  /** The postmaster and every backend. */
  postgres_cpu_seconds: number | null;
  /** This process: the load generator, or the Rackrate code under test for the reads. */
  bench_cpu_seconds: number;
  host_busy_cores: number | null;
  /** Host CPU none of ours used: other work competing with the measurement. */
  other_processes_cpu_seconds: number | null;
}

export async function cpuSnapshot(postmasterPid: number | null, apiCpu: (() => Promise<number>) | null): Promise<CpuSnapshot> {
  return {
    atMs: performance.now(),
    api: apiCpu ? await apiCpu() : null,
    postgres: processTreeCpuSeconds(postmasterPid),
    bench: ownCpuSeconds(),
    host: hostCpuSeconds(),
  };
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const wall = (after.atMs - before.atMs) / 1000;
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : round(b - a));
  const api = delta(before.api, after.api);
  const postgres = delta(before.postgres, after.postgres);
  const bench = round(after.bench - before.bench);
  const hostBusy = before.host && after.host ? after.host.busy - before.host.busy : null;
  return {
    wall_seconds: round(wall),
    api_cpu_seconds: api,
    postgres_cpu_seconds: postgres,
    bench_cpu_seconds: bench,
    host_busy_cores: hostBusy === null ? null : round(hostBusy / wall),
    other_processes_cpu_seconds: hostBusy === null ? null : round(Math.max(0, hostBusy - (api ?? 0) - (postgres ?? 0) - bench)),
  };
}

/** CPU microseconds per operation of each process: steadier than rates when other work shares the host. */
export function cpuPerOperation(cpu: CpuUse, operations: number): { api: number | null; postgres: number | null; bench: number } {
  const us = (seconds: number | null) => (seconds === null ? null : round((seconds * 1e6) / operations, 1));
  return { api: us(cpu.api_cpu_seconds), postgres: us(cpu.postgres_cpu_seconds), bench: us(cpu.bench_cpu_seconds)! };
}

/** Runs `work` and returns its result with the wall seconds and CPU it took. */
export async function timed<T>(postmasterPid: () => number | null, work: () => Promise<T>, apiCpu: (() => Promise<number>) | null = null): Promise<{ value: T; seconds: number; cpu: CpuUse }> {
  const before = await cpuSnapshot(postmasterPid(), apiCpu);
  const started = performance.now();
  const value = await work();
  const seconds = round((performance.now() - started) / 1000, 3);
  const after = await cpuSnapshot(postmasterPid(), apiCpu);
  return { value, seconds, cpu: cpuUse(before, after) };
}
