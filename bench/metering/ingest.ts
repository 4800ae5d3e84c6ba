import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';


/**
 * The two ways the ingestion benchmark writes the same events: through the
 * real API (POST /v1/events/batch, a few requests in flight) and, as the
 * baseline, a raw COPY into usage_events over a superuser connection
 * (PostgreSQL refuses COPY FROM into a table with row-level security for
 * any role that does not bypass it; see bench/README.md).
 */
export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Requests that did not answer 200 (status and the start of the body). */
  failures: Array<{ batch: number; status: number; body: string }>;
  /** A few rejected events' errors, to say what went wrong. */
  rejectedSamples: unknown[];
  /** Response time of each batch request, ms, in completion order. */
  latenciesMs: number[];
  seconds: number;
}

interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: Array<{ status: string; errors?: unknown }>;
}

/** Sends every body to /v1/events/batch, `concurrency` requests in flight, in order of the bodies. */
export async function sendBatches(
  apiUrl: string,
  apiKey: string,
  bodies: readonly Buffer[],
  concurrency: number,
  onBatch: (done: number, outcome: BatchOutcome) => void = () => undefined,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { accepted: 0, duplicates: 0, rejected: 0, failures: [], rejectedSamples: [], latenciesMs: [], seconds: 0 };
  let nextBatch = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    for (let batch = nextBatch++; batch < bodies.length; batch = nextBatch++) {
      const sentAt = performance.now();
      const response = await fetch(`${apiUrl}/v1/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: bodies[batch]!,
      });
      const text = await response.text();
      outcome.latenciesMs.push(performance.now() - sentAt);
      if (response.status !== 200) {
        outcome.failures.push({ batch, status: response.status, body: text.slice(0, 500) });
      } else {
        const body = JSON.parse(text) as BatchResponse;
        outcome.accepted += body.accepted;
        outcome.duplicates += body.duplicates;
        outcome.rejected += body.rejected;
        if (body.rejected > 0 && outcome.rejectedSamples.length < 5) {
          outcome.rejectedSamples.push(...body.results.filter((r) => r.status === 'rejected').slice(0, 5 - outcome.rejectedSamples.length));
        }
      }
      onBatch(++done, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  outcome.seconds = (performance.now() - started) / 1000;
  return outcome;
}

/**
 * One `COPY <target> FROM STDIN` of every chunk per target, one after the other on `client`, a
 * superuser connection opened before the clock starts (usage_events routes rows to its partitions).
 */
export async function copyRows(client: ClientBase, targets: ReadonlyArray<{ target: string; chunks: readonly Buffer[] }>): Promise<Array<{ seconds: number; rows: number }>> {
  const results: Array<{ seconds: number; rows: number }> = [];
  for (const { target, chunks } of targets) {
    const started = performance.now();
    const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
    await pipeline(Readable.from(chunks), stream);
    results.push({ seconds: (performance.now() - started) / 1000, rows: stream.rowCount });
  }
  return results;
}
