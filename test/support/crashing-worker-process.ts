import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/**
 * A billing worker in its own process, so a test can kill it the way a
 * machine dies (SIGKILL: no shutdown, no activity failure reported, open
 * database transactions dropped). The child (test/support/crashing-worker.ts)
 * runs the real workflows bundle and the real subscription activities; told
 * to, it kills itself at one chosen point of recording a step.
 *
 * The child is plain `node` running the TypeScript sources through
 * test/support/crashing-worker-ts-hook.ts (SWC, as jest does), not dist/:
 * building dist/ while others work would race them, and a private tsc build
 * per run costs tens of seconds. The workflow bundle is built once here and
 * handed to every child, so a restart costs about a second.
 */
export type CrashPoint =
  /** Inside the step's transaction, after every insert, before COMMIT: PostgreSQL rolls it all back. */
  | 'before-commit'
  /** After COMMIT, before the activity returns: the step is stored but Temporal never hears of it. */
  | 'after-commit';

export interface CrashingWorkerConfig {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  workflowBundlePath: string;
  /** Kill the process once, at `point`, when recording a step that emits `onEvent`; `marker` records it and keeps it to once. */
  crash?: { point: CrashPoint; onEvent: string; marker: string };
}

/** What the child wrote to the marker file just before killing itself. */
export interface CrashReport {
  point: CrashPoint;
  subscriptionId: string;
  revision: number;
  attempt: number;
  pid: number;
}

export const CONFIG_ENV = 'CRASHING_WORKER_CONFIG';

export interface WorkerProcess {
  pid: number;
  /** Resolves once the worker polls; rejects if the process ends first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the child wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** Graceful stop (SIGTERM: the worker drains), then SIGKILL if it takes too long. */
  stop(): Promise<void>;
}

/** Bundles the real workflows once and writes the bundle where children can load it. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
  const file = path.join(dir, 'workflow-bundle.js');
  await writeFile(file, code);
  return file;
}

export function startWorkerProcess(config: CrashingWorkerConfig): WorkerProcess {
  if (!process.features.typescript) {
    throw new Error(`the worker child process needs Node's type stripping (Node >= 22.18; the project pins Node 24), not ${process.version}`);
  }
  const child = spawn(process.execPath, ['--require', path.join(__dirname, 'crashing-worker-ts-hook.ts'), path.join(__dirname, 'crashing-worker.ts')], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: { type?: string }) => {
      if (message.type === 'ready') resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`worker process ended before it was ready (code ${code}, signal ${signal}):\n${output}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
