import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Waits up to `timeoutMs` for a child asked to stop, then kills it. */
export async function awaitStopOrKill(child: ChildProcess, timeoutMs: number): Promise<void> {
  const timedOut = await Promise.race([exited(child).then(() => false), sleep(timeoutMs, undefined, { ref: false }).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited(child);
  }
}
