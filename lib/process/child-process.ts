import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';

/**
 * A child process whose output goes to a log file and which can be stopped
 * politely (SIGTERM, then SIGKILL after a grace period). Children run in
 * their own process group so a terminal Ctrl-C reaches only the supervisor,
 * which then stops them in order. Their stdin is a pipe from the supervisor:
 * Rackrate's own processes exit when it closes (RACKRATE_SUPERVISED=1), so
 * none outlives a supervisor that was killed outright.
 */
export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Child {
  const log = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['pipe', log, log],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    name,
    process: child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For Rackrate's own processes: exit when the supervisor closes our stdin. */
export function exitWithSupervisor(stop: () => void): void {
  if (process.env.RACKRATE_SUPERVISED !== '1') return;
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
