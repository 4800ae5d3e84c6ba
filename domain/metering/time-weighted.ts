import { Decimal, ZERO } from '../money/decimal';

/**
 * A gauge integrated over time (GB stored → GB-hours, kW → kWh). Each
 * reading holds from its instant until the next reading, or the end of the
 * range; the last reading before the range (the carry-in) holds from the
 * range's start until the first reading in it. Before any reading the gauge
 * is unknown and counts as nothing. Readings at the same instant: only the
 * last one in the given order holds (the others last zero time), which is
 * why callers order ties the way `latest` breaks them (greatest event id).
 *
 * Instants are epoch microseconds (PostgreSQL's resolution; 2^53 µs is
 * year 2255), so the products value × µs are exact Decimals and one
 * division turns them into unit-hours.
 */
export interface GaugeReading {
  atUs: number;
  value: Decimal;
}

export const MICROSECONDS_PER_HOUR = 3_600_000_000;

/** Unit-hours from unit-seconds, the one rounding point (40 significant digits). */
export function unitHoursFromSeconds(unitSeconds: Decimal): Decimal {
  return unitSeconds.dividedBy(3600);
}

/**
 * Unit-hours per bucket: `edgesUs[i]` to `edgesUs[i + 1]` is bucket i (so n + 1 edges give n buckets;
 * the whole range is edgesUs[0] to the last edge). `readings` must be sorted by instant and lie in
 * the range; `carryIn` is the value of the last reading before it, or null.
 */
export function integrateGauge(carryIn: Decimal | null, readings: readonly GaugeReading[], edgesUs: readonly number[]): Decimal[] {
  const buckets = edgesUs.length - 1;
  if (buckets < 0) throw new RangeError('integrateGauge needs at least one edge');
  const start = edgesUs[0]!;
  const end = edgesUs[buckets]!;
  const unitUs: Decimal[] = new Array<Decimal>(Math.max(buckets, 0)).fill(ZERO);
  let bucket = 0;
  // Adds value × (overlap of [a, b) with each bucket); segments arrive in time order, so `bucket` only moves forward.
  const hold = (value: Decimal, a: number, b: number) => {
    while (bucket < buckets && edgesUs[bucket + 1]! <= a) bucket++;
    for (let i = bucket; i < buckets && edgesUs[i]! < b; i++) {
      const overlap = Math.min(b, edgesUs[i + 1]!) - Math.max(a, edgesUs[i]!);
      if (overlap > 0) unitUs[i] = unitUs[i]!.plus(value.times(overlap));
    }
  };
  let previous: GaugeReading | null = carryIn === null ? null : { atUs: start, value: carryIn };
  for (const reading of readings) {
    if (reading.atUs < start || reading.atUs >= end) throw new RangeError(`reading at ${reading.atUs} µs is outside the range`);
    if (previous && reading.atUs < previous.atUs) throw new RangeError('readings must be sorted by time');
    if (previous) hold(previous.value, previous.atUs, reading.atUs);
    previous = reading;
  }
  if (previous) hold(previous.value, previous.atUs, end);
  return unitUs.map((u) => u.dividedBy(MICROSECONDS_PER_HOUR));
}

/** Whole-range unit-hours (one bucket). */
export function gaugeUnitHours(carryIn: Decimal | null, readings: readonly GaugeReading[], fromUs: number, toUs: number): Decimal {
  return integrateGauge(carryIn, readings, [fromUs, toUs])[0] ?? new Decimal(0);
}
