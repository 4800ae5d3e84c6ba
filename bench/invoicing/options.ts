/**
 * The invoicing benchmark's knobs: command-line flags after the group name
 * (`npm run bench -- invoicing --accounts 300 --events 300000`), else
 * BENCH_INVOICING_* variables, else the sizes. `--kill` runs the
 * kill-the-worker test (kill-bill-run.ts) instead of the benchmark.
 */
export interface InvoicingOptions {
  /** Accounts in all; a third of them children billed to a parent. */
  accounts: number;
  /** Usage events in the billed month, attributed to the accounts' subscriptions. */
  events: number;
  /** Whether every subscription also has a 95th-percentile transit charge read from a month of 5-minute samples. */
  percentile: boolean;
  /** Run the kill-the-worker test instead of the benchmark. */
  kill: boolean;
  /** Kill test: SIGKILLs of the worker in all, spread over `killRuns` bill runs. */
  kills: number;
  killRuns: number;
}

export const BENCH_SIZES = { accounts: 10_000, events: 10_000_000 } as const;
export const KILL_SIZES = { accounts: 400, events: 200_000, kills: 60, runs: 6 } as const;

const FLAGS: Record<string, { env: string; kind: 'number' | 'boolean' }> = {
  '--accounts': { env: 'BENCH_INVOICING_ACCOUNTS', kind: 'number' },
  '--events': { env: 'BENCH_INVOICING_EVENTS', kind: 'number' },
  '--no-percentile': { env: 'BENCH_INVOICING_NO_PERCENTILE', kind: 'boolean' },
  '--kill': { env: 'BENCH_INVOICING_KILL', kind: 'boolean' },
  '--kills': { env: 'BENCH_INVOICING_KILLS', kind: 'number' },
  '--kill-runs': { env: 'BENCH_INVOICING_KILL_RUNS', kind: 'number' },
};

/** Flags to their values (booleans as "1"); positional words (group names) are skipped. */
function flagValues(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const flag = FLAGS[name];
    if (!flag) throw new Error(`unknown invoicing bench flag ${name}; known: ${Object.keys(FLAGS).join(', ')}`);
    if (flag.kind === 'boolean') values.set(flag.env, inline ?? '1');
    else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${name} needs a value`);
      values.set(flag.env, value);
    }
  }
  return values;
}

function wholeNumber(raw: string | undefined, name: string, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}, not ${JSON.stringify(raw)}`);
  return value;
}

const truthy = (raw: string | undefined) => raw !== undefined && raw !== '' && raw !== '0' && raw !== 'false';

export function readInvoicingOptions(env: NodeJS.ProcessEnv, argv: readonly string[] = []): InvoicingOptions {
  const flags = flagValues(argv);
  const read = (name: string) => flags.get(name) ?? env[name];
  const kill = truthy(read('BENCH_INVOICING_KILL'));
  const sizes = kill ? KILL_SIZES : BENCH_SIZES;
  return {
    accounts: wholeNumber(read('BENCH_INVOICING_ACCOUNTS'), '--accounts', sizes.accounts, 3),
    events: wholeNumber(read('BENCH_INVOICING_EVENTS'), '--events', sizes.events, 1),
    percentile: !truthy(read('BENCH_INVOICING_NO_PERCENTILE')),
    kill,
    kills: wholeNumber(read('BENCH_INVOICING_KILLS'), '--kills', KILL_SIZES.kills, 1),
    killRuns: wholeNumber(read('BENCH_INVOICING_KILL_RUNS'), '--kill-runs', KILL_SIZES.runs, 1),
  };
}
