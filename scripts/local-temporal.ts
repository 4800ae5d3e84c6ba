import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../lib/config';
import { startChild, type Child } from '../lib/process/child-process';
import { cachedTemporalCliPath, findOnPath, findTemporalCli } from '../lib/tool-binaries';

/**
 * The local Temporal dev server `npm start` runs when TEMPORAL_ADDRESS is
 * unset: the `temporal` CLI (TEMPORAL_CLI, PATH or cache), built with Go if
 * it is missing and Go is installed, else downloaded by the SDK. History is
 * kept in <dataDir>/temporal/temporal.db across restarts.
 */
export interface LocalTemporal {
  address: string;
  uiUrl: string;
  /** How the binary was found, for the start banner. */
  source: string;
  ready: Promise<void>;
  stop(): Promise<void>;
}

async function waitUntilServing(address: string, namespace: string, gaveUp: () => string | null): Promise<void> {
  for (;;) {
    const reason = gaveUp();
    if (reason !== null) throw new Error(reason);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function buildCli(logFile: string): Promise<string> {
  const script = path.join(__dirname, '..', '..', 'scripts', 'install-temporal-cli.sh');
  const log = openSync(logFile, 'a');
  return new Promise((resolve, reject) => {
    const build = spawn('bash', [script], { stdio: ['ignore', log, log] });
    build.once('exit', (code) =>
      code === 0 ? resolve(cachedTemporalCliPath()) : reject(new Error(`building the Temporal CLI failed; see ${logFile}`)),
    );
  });
}

function hasGo(): boolean {
  return findOnPath('go') !== undefined;
}

export function startLocalTemporal(config: Config, logsDir: string): LocalTemporal {
  const dbDir = path.join(config.dataDir, 'temporal');
  mkdirSync(dbDir, { recursive: true });
  const address = `127.0.0.1:${config.temporalPort}`;
  const uiUrl = `http://127.0.0.1:${config.temporalUiPort}`;
  const logFile = path.join(logsDir, 'temporal.log');
  let child: Child | undefined;
  let env: TestWorkflowEnvironment | undefined;
  let stopped = false;

  const found = findTemporalCli({ ...process.env, ...(config.temporalCli ? { TEMPORAL_CLI: config.temporalCli } : {}) });
  const source = found ? `temporal CLI at ${found}` : hasGo() ? 'temporal CLI built with go install (first start)' : 'temporal CLI downloaded by the Temporal SDK';

  const ready = (async () => {
    let cli = found;
    if (cli === undefined && hasGo()) cli = await buildCli(path.join(logsDir, 'temporal-build.log'));
    if (stopped) return;
    if (cli === undefined) {
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          ip: '127.0.0.1',
          port: config.temporalPort,
          uiPort: config.temporalUiPort,
          dbFilename: path.join(dbDir, 'temporal.db'),
          namespace: config.temporalNamespace,
          log: { format: 'json', level: 'warn' },
        },
      });
      return;
    }
    child = startChild(
      'temporal',
      cli,
      [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(config.temporalPort),
        '--ui-port', String(config.temporalUiPort),
        '--db-filename', path.join(dbDir, 'temporal.db'),
        '--namespace', config.temporalNamespace,
        '--log-format', 'json',
        '--log-level', 'warn',
      ],
      { env: process.env, logFile },
    );
    const running = child;
    await waitUntilServing(address, config.temporalNamespace, () =>
      running.process.exitCode !== null ? `the Temporal dev server exited; see ${logFile}` : null,
    );
  })();

  return {
    address,
    uiUrl,
    source,
    ready,
    async stop() {
      stopped = true;
      await child?.stop();
      await env?.teardown();
    },
  };
}
