import autocannon from 'autocannon';

/** What one load run sends: the URL (path included) and autocannon's request options. */
export type LoadTarget = Pick<autocannon.Options, 'url' | 'method' | 'headers' | 'body' | 'requests'>;

/** One measured run, as it appears in the JSON report. */
export interface Measurement {
  /** Mean of autocannon's per-second samples of completed responses. */
  requests_per_second: number;
  /** Latency percentiles of 2xx responses, exact (nearest rank) over every response. */
  p50_ms: number;
  p99_ms: number;
  /** Non-2xx responses plus socket errors and timeouts. */
  errors: number;
  /** Responses received plus socket errors: every request that finished one way or the other. */
  requests: number;
  /** Present only when errors > 0, to tell what went wrong. */
  status_codes?: Record<string, number>;
}

export interface LoadRun {
  result: autocannon.Result;
  /** Response times of 2xx responses in ms, unsorted. */
  latenciesMs: number[];
}

export const CONNECTIONS = 32;
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * Runs autocannon against one target for a number of seconds. Latencies are
 * collected from its response events because its own histogram rounds to
 * whole milliseconds, too coarse for a baseline answering in 1-3 ms.
 */
export function runLoad(target: LoadTarget, durationSeconds: number): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { ...target, connections: CONNECTIONS, duration: durationSeconds, timeout: REQUEST_TIMEOUT_SECONDS },
      (error, result) => (error ? reject(error) : resolve({ result, latenciesMs })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    });
  });
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Nearest-rank percentile of ascending values; 0 when there are none. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function toMeasurement({ result, latenciesMs }: LoadRun): Measurement {
  const sorted = Float64Array.from(latenciesMs).sort();
  const errors = result.non2xx + result.errors;
  const measurement: Measurement = {
    requests_per_second: round(result.requests.average, 1),
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    errors,
    requests: result.requests.total + result.errors,
  };
  if (errors > 0) {
    measurement.status_codes = Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
    );
    if (result.errors > 0) measurement.status_codes.socket_error = result.errors;
  }
  return measurement;
}
