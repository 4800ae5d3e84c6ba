import { EVENT_MIX } from './seed';

/**
 * The ingestion benchmark's events, generated once and rendered twice: as
 * the JSON bodies of POST /v1/events/batch and as the text-format rows a
 * raw COPY loads into usage_events. Both are built before any clock starts,
 * so neither measurement pays for generating its input.
 *
 * Each event: a random-looking UUID id (what agents usually send), one of
 * the customers (`cust-N`, uniform), an event code by EVENT_MIX, a
 * timestamp spread evenly over the 24 hours before generation (inside the
 * late-event window, in time order as agents send them), a value of 0.001 to
 * 100.000 with three decimals, and one string property.
 */
export interface GeneratedEvents {
  /** JSON `{"events": [...]}` bodies, one per batch. */
  bodies: Buffer[];
  /** The same events as COPY text rows for usage_events (tab-separated, newline-terminated), one chunk per batch. */
  copyChunks: Buffer[];
  /** Their idempotency keys as COPY text rows for usage_event_ids. */
  idChunks: Buffer[];
  events: number;
  /** Σ value in thousandths, to check what the database holds (exact: below 2^53). */
  valueThousandths: number;
  /** Bytes of all JSON bodies together. */
  jsonBytes: number;
  /** Earliest and latest occurred_at. */
  from: Date;
  to: Date;
}

const SPAN_MS = 24 * 60 * 60 * 1000;
const REGIONS = ['ams1', 'fra1', 'lon1'];

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same events. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

function uuidFrom(next: () => number): string {
  const a = next();
  const b = next();
  const c = next();
  const d = next();
  // Version 4 and variant bits, as crypto.randomUUID() would set them.
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(0x8000 | (c >>> 18), 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}

export function generateEvents(options: {
  events: number;
  batchSize: number;
  customers: number;
  /** Account ids in external-id order (accountIds[i] is cust-(i+1)); the COPY rows name accounts directly. */
  accountIds: readonly string[];
  tenantId: string;
  now: Date;
  seed?: number;
}): GeneratedEvents {
  const { events, batchSize, customers, accountIds, tenantId } = options;
  if (customers > accountIds.length) throw new Error(`${customers} customers but only ${accountIds.length} accounts`);
  const next = prng(options.seed ?? 20_251_125);
  const codes = EVENT_MIX.flatMap((m) => Array<string>(m.weight).fill(m.code));
  const start = options.now.getTime() - SPAN_MS - 60_000;
  const receivedAt = options.now.toISOString();
  const bodies: Buffer[] = [];
  const copyChunks: Buffer[] = [];
  const idChunks: Buffer[] = [];
  let valueThousandths = 0;
  let jsonBytes = 0;
  for (let first = 0; first < events; first += batchSize) {
    const count = Math.min(batchSize, events - first);
    const json: string[] = new Array(count);
    const rows: string[] = new Array(count);
    const idRows: string[] = new Array(count);
    for (let j = 0; j < count; j++) {
      const i = first + j;
      const id = uuidFrom(next);
      const customer = next() % customers;
      const code = codes[next() % codes.length]!;
      const timestamp = new Date(start + Math.floor((i * SPAN_MS) / events)).toISOString();
      const thousandths = 1 + (next() % 100_000);
      valueThousandths += thousandths;
      const value = String(thousandths / 1000);
      const properties = `{"region":"${REGIONS[next() % REGIONS.length]}"}`;
      json[j] = `{"id":"${id}","customer":"cust-${customer + 1}","code":"${code}","timestamp":"${timestamp}","value":${value},"properties":${properties}}`;
      rows[j] = `${tenantId}\t${id}\t${accountIds[customer]}\t\\N\t${code}\t${timestamp}\t${value}\t${properties}\t${receivedAt}\n`;
      idRows[j] = `${tenantId}\t${id}\t${timestamp}\t${receivedAt}\n`;
    }
    const body = Buffer.from(`{"events":[${json.join(',')}]}`);
    jsonBytes += body.length;
    bodies.push(body);
    copyChunks.push(Buffer.from(rows.join('')));
    idChunks.push(Buffer.from(idRows.join('')));
  }
  return { bodies, copyChunks, idChunks, events, valueThousandths, jsonBytes, from: new Date(start), to: new Date(start + SPAN_MS) };
}

/** The tables and columns the COPY rows fill, in order. */
export const COPY_EVENTS = 'usage_events (tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at)';
export const COPY_IDS = 'usage_event_ids (tenant_id, event_id, occurred_at, received_at)';
