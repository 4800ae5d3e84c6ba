import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../../lib/net/free-port';
import { startChild } from '../../lib/process/child-process';
import { findTemporalCli } from '../../lib/tool-binaries';

/**
 * A Temporal dev server for the benchmark alone: the `temporal` CLI that
 * findTemporalCli() finds (TEMPORAL_CLI, PATH, the test-tools cache), headless,
 * in-memory SQLite, on a free port, its log in the benchmark's temp
 * directory. Without a CLI, the SDK's own download (createLocal), whose
 * process id we do not learn, so its CPU time is not reported.
 */
export interface BenchTemporal {
  address: string;
  /** The server process, for its CPU time; null when the SDK started it. */
  pid: number | null;
  /** e.g. "temporal version 1.4.0 (Server 1.29.1, UI 2.42.1)". */
  version: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

async function waitUntilServing(address: string, exitedEarly: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exitedEarly()) throw new Error(`the Temporal dev server exited during startup; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer within ${STARTUP_TIMEOUT_MS / 1000} s: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function startBenchTemporal(dataDir: string): Promise<BenchTemporal> {
  const cli = findTemporalCli();
  if (cli === undefined) {
    const env = await TestWorkflowEnvironment.createLocal({ server: { ip: '127.0.0.1', log: { format: 'json', level: 'error' } } });
    return { address: env.address, pid: null, version: 'dev server downloaded by the Temporal SDK', stop: () => env.teardown() };
  }
  const version = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'temporal.log');
  const child = startChild(
    'temporal',
    cli,
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-format', 'json', '--log-level', 'error'],
    { env: process.env, logFile },
  );
  try {
    await waitUntilServing(address, () => child.process.exitCode !== null || child.process.signalCode !== null, logFile);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { address, pid: child.process.pid ?? null, version, stop: () => child.stop() };
}
