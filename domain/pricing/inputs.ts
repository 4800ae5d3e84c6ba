import type { Decimal } from '../money/decimal';

/**
 * What a charge is rated on. Each price model takes one kind; the
 * dispatcher (price-model.ts) refuses a mismatch.
 */
export interface QuantityInput {
  kind: 'quantity';
  quantity: Decimal;
}

/** Individual transaction amounts, for percentage pricing with per-transaction fees and limits. */
export interface TransactionsInput {
  kind: 'transactions';
  amounts: Decimal[];
}

/**
 * 5-minute average rates in bit/s per port, slot by slot over the whole
 * period (8,640 slots in a 30-day month). Values are whole bit/s, which
 * float64 holds exactly; null marks a slot with no known sample. A pool is
 * several ports; a single port is a pool of one.
 */
export interface PortSamples {
  portId: string;
  in: ReadonlyArray<number | null>;
  out: ReadonlyArray<number | null>;
}

export interface BandwidthInput {
  kind: 'bandwidth';
  ports: PortSamples[];
}

/** Values over the period, e.g. 15-minute average kW, for peak pricing. */
export interface SeriesInput {
  kind: 'series';
  values: Decimal[];
}

/** Interval readings classified by their start time in the customer's time zone (time-of-use). */
export interface ReadingsInput {
  kind: 'readings';
  timezone: string;
  readings: Array<{ at: Date; quantity: Decimal }>;
}

/** Seconds a server was provisioned in the period (hourly capped at monthly). */
export interface RuntimeInput {
  kind: 'runtime';
  seconds: number;
}

export interface RemoteHandsSession {
  startedAt: Date;
  minutes: number;
  expedited: boolean;
  /** Set to override the business-hours rule (e.g. an agreed emergency call-out). */
  afterHours?: boolean;
}

export interface SessionsInput {
  kind: 'sessions';
  timezone: string;
  sessions: RemoteHandsSession[];
  /** Prepaid remote-hands hours left in the customer's bundle, consumed first. */
  prepaidHours: Decimal;
}

export interface Circuit {
  circuitId: string;
  volts: number;
  amps: number;
  phase: 1 | 3;
}

export interface CircuitsInput {
  kind: 'circuits';
  circuits: Circuit[];
}

export type RatingInput =
  | QuantityInput
  | TransactionsInput
  | BandwidthInput
  | SeriesInput
  | ReadingsInput
  | RuntimeInput
  | SessionsInput
  | CircuitsInput;

export type InputKind = RatingInput['kind'];
