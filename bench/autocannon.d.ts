/**
 * The part of autocannon 9 the benchmarks use. The package ships no typings;
 * field names and meanings follow its README ("Results", "Customizing sent
 * requests").
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** The request as autocannon builds it; setupRequest may replace any field. */
    interface RequestParams {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    interface RequestSpec extends RequestParams {
      /** Called before every request; return the request to send. */
      setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams;
    }

    /** Top-level requests take their path from `url`; a `path` here would be ignored. */
    interface Options extends Omit<RequestParams, 'path'> {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Per-request timeout in seconds. */
      timeout?: number;
      requests?: RequestSpec[];
    }

    /** hdr-histogram-percentiles-obj: latencies in ms, request counts per 1 s sample. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Result {
      /** Seconds. */
      duration: number;
      /** Socket errors, timeouts included. */
      errors: number;
      timeouts: number;
      /** Responses with a status outside 200-299. */
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      /** Per-second samples of completed requests; total counts every response. */
      requests: Histogram & { sent: number };
      /** Latency of 2xx responses only, in whole milliseconds. */
      latency: Histogram;
    }

    interface Instance extends EventEmitter {
      stop(): void;
      /** Every response; responseTimeMs is measured with hrtime, unrounded. */
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
      ): this;
    }
  }

  function autocannon(
    options: autocannon.Options,
    done: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;

  export = autocannon;
}
