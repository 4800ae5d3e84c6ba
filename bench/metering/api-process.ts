import { fork } from 'node:child_process';
import path from 'node:path';
import { awaitStopOrKill } from '../child-exit';
import { DATABASE_URL_ENV, type ApiControlMessage, type ApiServerMessage } from './protocol';

/**
 * The metering benchmark's handle on the API process (api-server.ts). Its
 * stdout goes to our stderr so nothing it prints can reach the JSON report.
 */
export interface ApiProcess {
  pid: number | null;
  /** Resolves with the API's base URL once it listens; rejects if startup fails. */
  ready: Promise<{ url: string; poolSize: number }>;
  /** CPU seconds the API process has used so far (all its threads). */
  cpuSeconds(): Promise<number>;
  /** Stops the API; safe at any time and more than once. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export function startApiProcess(databaseUrl: string): ApiProcess {
  const child = fork(path.join(__dirname, 'api-server.js'), [], {
    env: { ...process.env, [DATABASE_URL_ENV]: databaseUrl },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const cpuWaiters: Array<(seconds: number) => void> = [];
  const ready = new Promise<{ url: string; poolSize: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the metering API did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    child.on('message', (message: ApiServerMessage) => {
      if (message.type === 'cpu') {
        cpuWaiters.shift()?.(message.seconds);
        return;
      }
      clearTimeout(timer);
      if (message.type === 'ready') resolve({ url: message.url, poolSize: message.poolSize });
      else reject(new Error(`the metering API failed to start:\n${message.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the metering API exited (code ${code}, signal ${signal})`));
    });
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid ?? null,
    ready,
    cpuSeconds() {
      return new Promise((resolve, reject) => {
        if (!child.connected) {
          reject(new Error('the metering API process is gone'));
          return;
        }
        cpuWaiters.push(resolve);
        child.send({ type: 'cpu' } satisfies ApiControlMessage);
      });
    },
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies ApiControlMessage);
      await awaitStopOrKill(child, STOP_TIMEOUT_MS);
    },
  };
}
