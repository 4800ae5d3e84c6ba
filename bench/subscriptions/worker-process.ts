import { fork } from 'node:child_process';
import path from 'node:path';
import { WORKER_ENV, type ControlMessage, type WorkerKind, type WorkerMessage, type WorkerSettings } from './protocol';
import { awaitStopOrKill } from '../child-exit';

/**
 * The benchmark's handle on a worker process (bench/subscriptions/worker.ts).
 * Its stdout goes to our stderr so its log lines never reach the JSON report.
 */
export interface WorkerProcess {
  kind: WorkerKind;
  pid: number | null;
  /** Resolves once the worker polls its queue; rejects if it fails to start. */
  ready: Promise<WorkerSettings>;
  /** CPU seconds the worker has used so far (all its threads). */
  cpuSeconds(): Promise<number>;
  /** Stops the worker; safe to call at any time and more than once. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export function startWorkerProcess(kind: WorkerKind, env: { temporalAddress: string; databaseUrl?: string }): WorkerProcess {
  const child = fork(path.join(__dirname, 'worker.js'), [], {
    env: {
      ...process.env,
      [WORKER_ENV.kind]: kind,
      [WORKER_ENV.temporalAddress]: env.temporalAddress,
      ...(env.databaseUrl === undefined ? {} : { [WORKER_ENV.databaseUrl]: env.databaseUrl }),
    },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const cpuWaiters: Array<(seconds: number) => void> = [];
  const ready = new Promise<WorkerSettings>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${kind} worker did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'cpu') {
        cpuWaiters.shift()?.(message.seconds);
        return;
      }
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message.settings);
      else reject(new Error(`the ${kind} worker failed to start:\n${message.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} worker exited (code ${code}, signal ${signal})`));
    });
  });
  ready.catch(() => undefined);
  return {
    kind,
    pid: child.pid ?? null,
    ready,
    cpuSeconds() {
      return new Promise((resolve, reject) => {
        if (!child.connected) {
          reject(new Error(`the ${kind} worker is gone`));
          return;
        }
        cpuWaiters.push(resolve);
        child.send({ type: 'cpu' } satisfies ControlMessage);
      });
    },
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies ControlMessage);
      await awaitStopOrKill(child, STOP_TIMEOUT_MS);
    },
  };
}
