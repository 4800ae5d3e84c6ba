import { ratingCases } from './cases';
import { measureThroughput, type Throughput } from './measure';

export interface RatingResult {
  name: string;
  unit: string;
  rackrate: Throughput;
  baseline: Throughput;
  /** Rackrate operations/s over baseline operations/s. */
  throughput_ratio: number;
  goal_per_second: number | null;
  meets_goal: boolean | null;
}

/** Runs every rating case in this process (one core), baseline then Rackrate. */
export function runRatingBenchmarks(seconds: number, warmupSeconds: number, log: (line: string) => void): RatingResult[] {
  return ratingCases().map((c) => {
    log(`rating: ${c.name} — baseline then rackrate, ${seconds} s each`);
    const baseline = measureThroughput(c.baseline, c.batch, seconds, warmupSeconds);
    const rackrate = measureThroughput(c.rackrate, c.batch, seconds, warmupSeconds);
    if (!(baseline.sink > 0 && rackrate.sink > 0)) throw new Error(`rating case ${c.name} did no work`);
    const result: RatingResult = {
      name: c.name,
      unit: c.unit,
      rackrate: rackrate.throughput,
      baseline: baseline.throughput,
      throughput_ratio: Math.round((rackrate.throughput.operations_per_second / baseline.throughput.operations_per_second) * 1000) / 1000,
      goal_per_second: c.goal,
      meets_goal: c.goal === null ? null : rackrate.throughput.operations_per_second >= c.goal,
    };
    log(`  ${result.rackrate.operations_per_second} ${c.unit}/s (baseline ${result.baseline.operations_per_second}/s)${c.goal ? `, goal ${c.goal}/s` : ''}`);
    return result;
  });
}
