import { assertInstant, assertTimeZone, fromLocal, toLocal } from '../periods/zoned-time';

/**
 * Where the hourly or daily buckets of a usage time series start, on the
 * customer's wall clock. A day bucket runs from local midnight to the next
 * (23 or 25 hours on DST days; a zone that skips midnight starts the day at
 * the first instant after the gap). An hour bucket runs from one instant the
 * local clock reads :00 to the next, so the repeated hour of a fall-back
 * night is two buckets and a 30-minute DST shift makes one bucket 30 or 90
 * minutes long. The first and last buckets are cut at the range's ends.
 */
export type BucketSize = 'hour' | 'day';
export const BUCKET_SIZES: readonly BucketSize[] = ['hour', 'day'];

/** More buckets than this is a request to chart a decade by the hour; the caller should ask for days. */
export const MAX_BUCKETS = 50_000;

const HOUR_MS = 3_600_000;

/** Milliseconds past the local clock's last :00:00 at `epochMs`. */
function pastLocalHour(epochMs: number, timeZone: string): number {
  const local = toLocal(epochMs, timeZone);
  return local.minute * 60_000 + local.second * 1000 + local.millisecond;
}

/** The first instant after `epochMs` at which the local clock reads :00:00. */
export function nextLocalHour(epochMs: number, timeZone: string): number {
  let candidate = epochMs - pastLocalHour(epochMs, timeZone) + HOUR_MS;
  // An offset change of a fraction of an hour in between (Lord Howe's 30 minutes) leaves the
  // candidate off the hour; the next :00 is then later, never earlier.
  for (let step = 0; step < 4; step++) {
    const past = pastLocalHour(candidate, timeZone);
    if (past === 0) return candidate;
    candidate += HOUR_MS - past;
  }
  throw new RangeError(`no local hour boundary found after ${new Date(epochMs).toISOString()} in ${timeZone}`);
}

/** The first local midnight (or the start of the local day, if midnight is skipped) after `epochMs`. */
export function nextLocalDay(epochMs: number, timeZone: string): number {
  const local = toLocal(epochMs, timeZone);
  // fromLocal normalises day + 1 past the month's end.
  return fromLocal({ year: local.year, month: local.month, day: local.day + 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone).getTime();
}

/**
 * Bucket edges for [from, to): `edges[i]` is bucket i's start and `edges[i + 1]` its end (exclusive);
 * `edges[0]` = from and the last edge = to. Empty range → [from].
 */
export function bucketEdges(from: Date, to: Date, size: BucketSize, timeZone: string): Date[] {
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  assertTimeZone(timeZone);
  if (to.getTime() < from.getTime()) throw new RangeError('to is before from');
  const next = size === 'hour' ? nextLocalHour : nextLocalDay;
  const end = to.getTime();
  const edges = [from];
  let at = from.getTime();
  while (at < end) {
    at = Math.min(next(at, timeZone), end);
    edges.push(new Date(at));
    if (edges.length > MAX_BUCKETS + 1) throw new RangeError(`more than ${MAX_BUCKETS} ${size} buckets between ${from.toISOString()} and ${to.toISOString()}`);
  }
  return edges;
}

/**
 * Index of the bucket holding instant `at`, for edges as numbers in the same unit (ms or µs),
 * or -1 outside [first edge, last edge).
 */
export function bucketIndex(edges: readonly number[], at: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  if (hi < 1 || at < edges[0]! || at >= edges[hi]!) return -1;
  // Invariant: edges[lo] ≤ at < edges[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= at) lo = mid;
    else hi = mid;
  }
  return lo;
}
