import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measurement } from './load';
import type { RatingResult } from './rating/run-rating';

/** The JSON document `npm run bench` prints; bench/README.md explains each field. */
export interface BenchReport {
  machine: {
    cpus: number;
    cpu_model: string;
    node: string;
    postgres: string;
    /** 1-minute load average before and after the run: a busy host shows here. */
    load_average_before: number;
    load_average_after: number;
  };
  duration_seconds: number;
  warmup_seconds: number;
  connections: number;
  errors: {
    total: number;
    /** A measurement with a larger share of failed requests fails the run (exit code 1). */
    threshold: number;
    exceeded: boolean;
    details: string[];
  };
  results: BenchResult[];
  /** Pure rating throughput on one core (bench/rating), each beside a plain-number or full-sort baseline. */
  rating: RatingResult[];
}

export interface BenchResult {
  name: string;
  rackrate: Measurement;
  baseline: Measurement;
  /** Rackrate requests/s over baseline requests/s: 1 would mean no overhead. */
  throughput_ratio: number | null;
  /** Rackrate p99 over baseline p99: how many times slower the tail is. */
  p99_ratio: number | null;
}

export const ERROR_THRESHOLD = 0.001;

const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(3)) : null);
const round2 = (value: number) => Number(value.toFixed(2));

export function compare(name: string, rackrate: Measurement, baseline: Measurement): BenchResult {
  return {
    name,
    rackrate,
    baseline,
    throughput_ratio: ratio(rackrate.requests_per_second, baseline.requests_per_second),
    p99_ratio: ratio(rackrate.p99_ms, baseline.p99_ms),
  };
}

function summariseErrors(results: BenchResult[]): BenchReport['errors'] {
  const details: string[] = [];
  let total = 0;
  let exceeded = false;
  for (const result of results) {
    for (const [target, m] of [['rackrate', result.rackrate], ['baseline', result.baseline]] as const) {
      if (m.errors === 0) continue;
      total += m.errors;
      const share = m.requests > 0 ? m.errors / m.requests : 1;
      exceeded ||= share > ERROR_THRESHOLD;
      details.push(
        `${result.name} ${target}: ${m.errors} of ${m.requests} requests failed (${(share * 100).toFixed(3)}%): ` +
          JSON.stringify(m.status_codes ?? {}),
      );
    }
  }
  return { total, threshold: ERROR_THRESHOLD, exceeded, details };
}

export function buildReport(input: {
  postgresVersion: string | null;
  loadAverageBefore: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  results: BenchResult[];
  rating: RatingResult[];
}): BenchReport {
  return {
    machine: {
      cpus: os.availableParallelism(),
      cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      postgres: input.postgresVersion === null ? 'not started' : `embedded ${input.postgresVersion}`,
      load_average_before: round2(input.loadAverageBefore),
      load_average_after: round2(os.loadavg()[0] ?? 0),
    },
    duration_seconds: input.durationSeconds,
    warmup_seconds: input.warmupSeconds,
    connections: input.connections,
    errors: summariseErrors(input.results),
    results: input.results,
    rating: input.rating,
  };
}

/** Writes bench/results/latest.json (ignored by git) beside the sources. */
export function writeLatest(report: BenchReport, benchDir: string): string {
  const dir = path.join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
