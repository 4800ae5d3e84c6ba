import { assertInstant } from './zoned-time';

/** A stretch of time, half-open: `start` inclusive, `end` exclusive, so consecutive periods share a boundary and never overlap. */
export interface Period {
  start: Date;
  end: Date;
}

/** Throws RangeError unless both ends are valid dates and `start <= end` (an empty period is allowed). */
export function assertPeriod(period: Period, what: string): void {
  assertInstant(period.start, `${what}.start`);
  assertInstant(period.end, `${what}.end`);
  if (period.start.getTime() > period.end.getTime()) throw new RangeError(`${what} ends before it starts`);
}

export function periodContains(period: Period, instant: Date): boolean {
  const t = instant.getTime();
  return period.start.getTime() <= t && t < period.end.getTime();
}

/** `inner` lies within `outer` (ends may coincide). */
export function periodWithin(inner: Period, outer: Period): boolean {
  return outer.start.getTime() <= inner.start.getTime() && inner.end.getTime() <= outer.end.getTime();
}
