import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATA_DIR_ENV, type BenchTargets, type ParentMessage, type ServerMessage } from './protocol';
import { awaitStopOrKill } from './child-exit';

/**
 * The load generator's handle on bench/server.ts running in a child process.
 * The child writes nothing worth keeping to stdout, but its stdout goes to
 * our stderr anyway so stray output can never corrupt the JSON report.
 */
export interface ServerProcess {
  /** Resolves once the servers listen and the fixture is seeded; rejects if startup fails. */
  ready: Promise<BenchTargets>;
  /** Stops the child (and with it PostgreSQL); safe to call at any time, also during startup. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

function waitForReady(child: ChildProcess): Promise<BenchTargets> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 3 minutes')), STARTUP_TIMEOUT_MS);
    child.on('message', (message: ServerMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message.targets);
      else reject(new Error(`bench server failed to start:\n${message.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited during startup (code ${code}, signal ${signal})`));
    });
  });
}

/**
 * Last resort when the child died without stopping PostgreSQL: signal the
 * postmaster named in the cluster's pid file (fast shutdown) and wait for it.
 */
async function stopOrphanedPostgres(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      process.kill(pid, 0);
    }
  } catch {
    // ESRCH: the postmaster is gone.
  }
}

/** Forks the server process; await `ready` before aiming load at it. */
export function startServerProcess(dataDir: string): ServerProcess {
  const child = fork(path.join(__dirname, 'server.js'), [], {
    env: { ...process.env, [DATA_DIR_ENV]: dataDir },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const ready = waitForReady(child);
  // Startup failures surface through `ready`; this keeps an unawaited rejection from crashing us first.
  ready.catch(() => undefined);
  return {
    ready,
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
      await awaitStopOrKill(child, STOP_TIMEOUT_MS);
      await stopOrphanedPostgres(dataDir);
    },
  };
}
