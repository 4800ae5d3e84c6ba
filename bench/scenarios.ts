import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import type { LoadTarget } from './load';
import type { BenchTargets } from './protocol';

/**
 * The benchmarks. Each describes the load it puts on a server given its base
 * URL; Rackrate and the baseline get byte-for-byte the same kind of requests
 * (the baseline simply ignores the API key and the Idempotency-Key).
 */
export interface Benchmark {
  name: string;
  target(baseUrl: string): LoadTarget;
}

// Unique per process, so every POST (warm-ups included) carries a fresh key and external_id.
const RUN_PREFIX = `bench-${randomBytes(6).toString('hex')}`;
let sequence = 0;

function withUniqueAccount(request: autocannon.RequestParams): autocannon.RequestParams {
  sequence += 1;
  const id = `${RUN_PREFIX}-${sequence}`;
  return {
    ...request,
    headers: { ...request.headers, 'idempotency-key': id },
    body: JSON.stringify({ name: `Benchmark customer ${sequence}`, currency: 'EUR', external_id: id }),
  };
}

export function benchmarks(targets: BenchTargets): Benchmark[] {
  const authorization = `Bearer ${targets.apiKey}`;
  return [
    {
      name: 'GET /v1/accounts/:id (authenticated)',
      target: (baseUrl) => ({ url: `${baseUrl}/v1/accounts/${targets.accountId}`, method: 'GET', headers: { authorization } }),
    },
    {
      name: 'POST /v1/accounts (idempotent)',
      target: (baseUrl) => ({
        url: baseUrl,
        requests: [
          {
            method: 'POST',
            path: '/v1/accounts',
            headers: { authorization, 'content-type': 'application/json' },
            setupRequest: withUniqueAccount,
          },
        ],
      }),
    },
  ];
}
