/**
 * Runs `work` (one call rates `batch` items) on this core for `seconds` after
 * a warm-up and returns operations per second. Results feed a sink the
 * caller checks, so the JIT cannot drop the work as dead code.
 */
export interface Throughput {
  operations_per_second: number;
  operations: number;
  seconds: number;
}

export function measureThroughput(work: () => number, batch: number, seconds: number, warmupSeconds: number): { throughput: Throughput; sink: number } {
  let sink = 0;
  const run = (limitMs: number) => {
    const started = performance.now();
    let operations = 0;
    while (performance.now() - started < limitMs) {
      sink += work();
      operations += batch;
    }
    return { operations, elapsedMs: performance.now() - started };
  };
  run(warmupSeconds * 1000);
  const { operations, elapsedMs } = run(seconds * 1000);
  const elapsed = elapsedMs / 1000;
  return { throughput: { operations_per_second: Math.round(operations / elapsed), operations, seconds: Math.round(elapsed * 100) / 100 }, sink };
}
