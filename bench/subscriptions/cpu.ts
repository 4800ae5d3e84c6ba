import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the processes that share the host during the subscription
 * benchmark, read from Linux /proc (null elsewhere): a process with all its
 * descendants (PostgreSQL's backends are children of the postmaster), and
 * the whole host. Clock ticks are 100 per second on every Linux the bench
 * runs on (USER_HZ; `getconf CLK_TCK`).
 */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime of the process itself, all threads, in ticks. */
  ticks: number;
  /** cutime + cstime: children that already exited and were waited for. */
  reapedTicks: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces; fields after it are plain.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number) => Number(fields[i - 3]);
  return { pid, ppid: num(4), ticks: num(14) + num(15), reapedTicks: num(16) + num(17) };
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** CPU seconds used so far by `pid` and every live descendant (plus reaped children of the root); null off Linux or when it is gone. */
export function processTreeCpuSeconds(pid: number | null): number | null {
  if (pid === null || process.platform !== 'linux') return null;
  const root = readStat(pid);
  if (!root) return null;
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = root.ticks + root.reapedTicks;
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const s = queue.pop()!;
    ticks += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/** Busy and total CPU seconds of the whole host (all cores) since boot, from /proc/stat; null off Linux. */
export function hostCpuSeconds(): { busy: number; total: number } | null {
  if (process.platform !== 'linux') return null;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user); steal is the hypervisor's, not ours.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
  const busy = user + nice + system + irq + softirq;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait + steal) / TICKS_PER_SECOND };
}

/** Own CPU seconds of this process (all threads). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
