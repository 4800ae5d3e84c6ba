/**
 * The only way non-workflow code learns the time. Domain code takes a Date
 * argument; services and activities take a Clock so tests can pin time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(next: Date): void; advance(ms: number): void } {
  let current = new Date(at.getTime());
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next.getTime());
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
