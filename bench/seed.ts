import type { DataSource } from 'typeorm';
import type { Actor } from '../services/change-context';
import { createTenant } from '../services/tenants/tenant-service';

const BENCH_ACTOR: Actor = { type: 'system', id: 'bench', label: 'benchmark setup' };

export interface BenchFixture {
  apiKey: string;
  accountId: string;
}

/**
 * One tenant, made through the tenant service, and one account, created
 * through the API itself with the tenant's admin key so it is exactly what a
 * client would have written.
 */
export async function seedFixture(dataSource: DataSource, apiUrl: string): Promise<BenchFixture> {
  const { secret } = await dataSource.transaction((tx) =>
    createTenant(tx, { actor: BENCH_ACTOR, requestId: null, now: new Date() }, { name: 'Benchmark Provider', slug: 'bench' }),
  );
  const response = await fetch(`${apiUrl}/v1/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Benchmark Customer', currency: 'EUR', external_id: 'bench-static' }),
  });
  const body = (await response.json()) as { id?: unknown };
  if (response.status !== 201 || typeof body.id !== 'string') {
    throw new Error(`seeding the account failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return { apiKey: secret, accountId: body.id };
}
