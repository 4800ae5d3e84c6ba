/**
 * The subscription benchmark's knobs, from the environment:
 * BENCH_SUBSCRIPTIONS (how many, default 10,000), BENCH_SUBSCRIPTIONS_CONCURRENCY
 * (creations and no-op starts in flight, default 16) and
 * BENCH_SUBSCRIPTIONS_LEAD_SECONDS (from the end of the warm-up to the
 * renewal instant; by default predicted from the warm-up, see leadTime in
 * run-subscriptions.ts).
 */
export interface SubscriptionOptions {
  count: number;
  concurrency: number;
  /** Subscriptions created (starting now, not renewed) before the measured ones, to warm up and to pace the lead time; as many no-op workflows warm up the baseline. */
  warmup: number;
  leadSeconds: number | null;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number | null, min: number): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}, not ${JSON.stringify(raw)}`);
  return value;
}

export function readSubscriptionOptions(env: NodeJS.ProcessEnv): SubscriptionOptions {
  const count = wholeNumber(env, 'BENCH_SUBSCRIPTIONS', 10_000, 1)!;
  return {
    count,
    concurrency: wholeNumber(env, 'BENCH_SUBSCRIPTIONS_CONCURRENCY', 16, 1)!,
    warmup: Math.min(250, Math.max(100, Math.ceil(count / 20))),
    leadSeconds: wholeNumber(env, 'BENCH_SUBSCRIPTIONS_LEAD_SECONDS', null, 1),
  };
}
