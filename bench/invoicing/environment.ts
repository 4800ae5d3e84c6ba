import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../../lib/temporal/search-attribute-registration';
import type { MeteringDatabase } from '../metering/database';
import type { ProcessPids } from '../subscriptions/measure';
import { startBenchTemporal, type BenchTemporal } from '../subscriptions/temporal-server';
import { startWorkerProcess, type WorkerProcess } from '../subscriptions/worker-process';
import { startInvoicingDatabase } from './database';

/**
 * What both invoicing runs (the benchmark and the kill test) stand on: a
 * temp directory, embedded PostgreSQL with pg_stat_statements, a Temporal
 * dev server of their own (bench/subscriptions/temporal-server.ts: the CLI
 * findTemporalCli() finds), a client, and billing worker processes started
 * on demand (bench/subscriptions/worker.ts: the production billing queue
 * definitions, a pool of 5, the SDK's default limits). Cleanups run in
 * reverse order, once, whatever happened.
 */
export interface InvoicingEnvironment {
  db: MeteringDatabase;
  temporal: BenchTemporal;
  client: Client;
  pids: ProcessPids;
  startWorker(): Promise<WorkerProcess>;
}

export interface EnvironmentHandle {
  start(log: (line: string) => void): Promise<InvoicingEnvironment>;
  /** Safe at any time and more than once. */
  stop(): Promise<void>;
}

export function invoicingEnvironment(label: string, log: (line: string) => void): EnvironmentHandle {
  // Its own temp directory: PostgreSQL run as root needs every directory above its cluster to be traversable.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `rackrate-bench-${label}-`));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const onStop = (cleanup: () => Promise<void>) => cleanups.push(cleanup);
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`${label}: cleanup failed: ${String(error)}`));
      })()),
    async start() {
      const db = await startInvoicingDatabase(dataDir, onStop);
      const temporal = await startBenchTemporal(dataDir);
      onStop(() => temporal.stop());
      const connection = await Connection.connect({ address: temporal.address });
      onStop(() => connection.close());
      await ensureSearchAttributes(connection, 'default');
      const client = new Client({ connection, namespace: 'default' });
      return {
        db,
        temporal,
        client,
        pids: { temporal: temporal.pid, postgres: () => db.postmasterPid() },
        async startWorker() {
          const worker = startWorkerProcess('billing', { temporalAddress: temporal.address, databaseUrl: db.appUrl });
          onStop(() => worker.stop());
          await worker.ready;
          return worker;
        },
      };
    },
  };
}
