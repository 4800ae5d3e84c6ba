import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { msToTs } from '@temporalio/common/lib/time';
import { subscriptionState, subscriptionWorkflowId } from '../../workflows/subscription/definitions';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestApi, type TestApi, type TestResponse } from './http';
import { startTemporalRuntime, type TemporalRuntime } from './temporal-runtime';
import { createTestTenant, type TestTenant } from './tenants';

/**
 * Subscription timelines on real parts: a fresh database, the real API,
 * the Temporal time-skipping test server and a worker running the real
 * workflow and activities. The API's clock follows the test server's, so
 * "now" means the same instant to both. `advanceTo` moves time to a fixed
 * instant; tests start at a fixed date far in the future (time only moves
 * forward) so their expected dates do not depend on the day they run.
 */
export interface SubscriptionHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: TestApi;
  tenant: TestTenant;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Moves the test server's clock to just after `iso` and waits until every subscription workflow has caught up. */
  advanceTo(iso: string): Promise<void>;
  settle(): Promise<void>;
  now(): Date;
  charges(subscriptionId: string): Promise<ChargeRow[]>;
  events(subscriptionId: string): Promise<string[]>;
}

export interface ChargeRow {
  kind: string;
  item: string | null;
  amount: string;
  start: string;
  end: string;
  description: string;
}

export function useSubscriptionHarness(slug: string, options: { startAt: string; prorationUnit?: 'second' | 'day' }): SubscriptionHarness {
  const h = {} as SubscriptionHarness;
  let now = new Date(options.startAt);
  let runtime: TemporalRuntime | undefined;
  const subscriptionIds = async (): Promise<Array<{ id: string; revision: number }>> =>
    h.db.asSuperuser(async (c) => (await c.query(`SELECT id, revision FROM subscriptions WHERE status NOT IN ('canceled', 'ended') OR revision = 0`)).rows);

  beforeAll(async () => {
    h.db = await createTestDatabase();
    runtime = await startTemporalRuntime(h.db.dataSource);
    h.env = runtime.env;
    await skipTo(now.getTime());
    h.api = await startTestApi(h.db.dataSource, { clock: { now: () => now }, temporal: runtime.temporal });
    h.tenant = await createTestTenant(h.db.dataSource, slug);
    if (options.prorationUnit) {
      await h.db.asSuperuser((c) => c.query(`UPDATE tenants SET proration_unit = $1 WHERE id = $2`, [options.prorationUnit, h.tenant.id]));
    }
  }, 90_000);

  afterAll(async () => {
    await h.api?.close();
    await runtime?.close();
    await h.db?.drop();
  });

  /** Time skipping stays locked outside these jumps, so nothing moves while a test looks. */
  async function skipTo(ms: number): Promise<void> {
    const current = await h.env.currentTimeMs();
    if (ms < current) throw new Error(`cannot move the test server back from ${new Date(current).toISOString()} to ${new Date(ms).toISOString()}`);
    if (ms > current) await h.env.connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(ms - current) });
  }

  h.now = () => now;
  h.req = (method, path, body, headers) => h.api.request(method, path, { key: h.tenant.adminKey, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

  h.settle = async () => {
    // Idle = every live workflow's revision equals the stored one, three polls in a row.
    let stable = 0;
    let last = '';
    for (let i = 0; i < 400 && stable < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const rows = await subscriptionIds();
      const parts: string[] = [];
      for (const row of rows) {
        const query = h.env.client.workflow.getHandle(subscriptionWorkflowId(h.tenant.id, row.id)).query(subscriptionState);
        let timer: NodeJS.Timeout | undefined;
        const state = await Promise.race([query, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 3000)))])
          .catch(() => null)
          .finally(() => clearTimeout(timer));
        if (state === 'timeout') {
          parts.push('busy');
          continue;
        }
        parts.push(`${row.id}:${row.revision}:${state?.revision ?? 'none'}`);
        if (state && state.revision !== row.revision) parts.push('busy');
      }
      const signature = parts.join(',');
      stable = signature === last && !signature.includes('busy') ? stable + 1 : 0;
      last = signature;
    }
    if (stable < 3) throw new Error(`subscription workflows did not settle: ${last}`);
  };

  h.advanceTo = async (iso) => {
    const target = new Date(iso);
    // A second past the target: timers were set from workflow task times, a few milliseconds after the instants they aim at.
    await skipTo(target.getTime() + 1000);
    now = target;
    await h.settle();
  };

  h.charges = async (subscriptionId) =>
    h.db.asSuperuser(async (c) =>
      (
        await c.query(
          `SELECT kind, item_code AS item, amount::text AS amount, period_start, period_end, description
             FROM subscription_charges WHERE subscription_id = $1 ORDER BY revision, id`,
          [subscriptionId],
        )
      ).rows.map((r: { kind: string; item: string | null; amount: string; period_start: Date; period_end: Date; description: string }) => ({
        kind: r.kind, item: r.item, amount: r.amount, start: r.period_start.toISOString(), end: r.period_end.toISOString(), description: r.description,
      })),
    );

  h.events = async (subscriptionId) =>
    h.db.asSuperuser(async (c) =>
      (await c.query(`SELECT type FROM outbox_events WHERE resource_id = $1 ORDER BY occurred_at, id`, [subscriptionId])).rows.map((r: { type: string }) => r.type),
    );
  return h;
}

/** Products and plans the subscription tests share: a cabinet plan at 1200/month, a half cabinet at 600, a cross-connect add-on. */
export async function seedSubscriptionCatalog(h: SubscriptionHarness, extra: { trialDays?: number } = {}): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await h.req('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  };
  await post('/v1/products', { code: 'cabinet', name: 'Full cabinet' });
  await post('/v1/products', { code: 'setup', name: 'Installation' });
  await post('/v1/products', { code: 'cross-connect', name: 'Cross-connect' });
  const plan = (code: string, price: string, trialDays = 0) => ({
    code, name: code, definition: {
      billing_interval: 'month', currencies: ['USD', 'EUR'], trial_days: trialDays,
      charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: price }, EUR: { model: 'per_unit', unit_price: price } } }],
    },
  });
  await post('/v1/plans', plan('cabinet-full', '1200.00', extra.trialDays ?? 0));
  await post('/v1/plans', plan('cabinet-half', '600.00'));
  await post('/v1/plans', {
    code: 'cabinet-jpy', name: 'Cabinet (JPY)', definition: {
      billing_interval: 'month', currencies: ['JPY'],
      charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { JPY: { model: 'per_unit', unit_price: '150000' } } }],
    },
  });
  await post('/v1/plans', {
    code: 'cross-connect', name: 'Cross-connect', kind: 'addon', definition: {
      billing_interval: 'month', currencies: ['USD', 'EUR'],
      charges: [
        { key: 'xc', product: 'cross-connect', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '300.00' }, EUR: { model: 'per_unit', unit_price: '280.00' } } },
        { key: 'install', product: 'setup', type: 'one_time', prices: { USD: { model: 'per_unit', unit_price: '150.00' }, EUR: { model: 'per_unit', unit_price: '140.00' } } },
      ],
    },
  });
}

export async function createAccount(h: SubscriptionHarness, body: Record<string, unknown> = {}): Promise<string> {
  const res = await h.req('POST', '/v1/accounts', { name: 'Customer', currency: 'USD', timezone: 'UTC', ...body });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${res.text}`);
  return (res.body as { id: string }).id;
}
