import { ApplicationFailure } from '@temporalio/common';
import { createSubscriptionActivities } from '../../../activities/subscriptions';
import { Subscription } from '../../../db/entities/subscriptions/subscription';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import { initialRuntime, startBilling } from '../../../domain/subscriptions/lifecycle';
import { createLogger } from '../../../lib/logger';
import { setupOf } from '../../../services/subscriptions/subscriptions';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../../support/subscription-harness';

/**
 * Recording a step is idempotent, and a step recorded twice must be the same
 * step: the activity compares a fingerprint of what it records (revision,
 * statuses, time, line keys and amounts, events) with the one stored, and
 * refuses a different step under a revision already used, so a workflow
 * whose decisions diverged from what was billed stops instead of silently
 * dropping or doubling charges.
 */
const h = useSubscriptionHarness('sub-steps', { startAt: '2042-07-01T00:00:00.000Z' });

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
}, 60_000);

it('records a step once, accepts the identical step again, and refuses a diverged one', async () => {
  const account = await createAccount(h);
  const res = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full' });
  const id = (res.body as { id: string }).id;
  await h.settle();
  const row = await inTenantTransaction(h.db.dataSource, h.tenant.id, (tx) => tx.findOneByOrFail(Subscription, { tenantId: h.tenant.id, id }));
  const setup = setupOf(row, 3);
  // The step the workflow took at the start, computed again from the same inputs.
  const step = startBilling(setup, initialRuntime({ items: row.terms.items, coupon: null }), setup.startAt);
  const activities = createSubscriptionActivities({ dataSource: h.db.dataSource, logger: createLogger('silent', 'test') });
  const count = () => h.db.asSuperuser(async (c) => (await c.query(`SELECT (SELECT count(*) FROM subscription_charges)::int AS charges, (SELECT count(*) FROM outbox_events)::int AS events`)).rows[0]);
  const before = await count();

  await expect(activities.recordSubscriptionStep({ setup, step })).resolves.toEqual({ recorded: false });
  const diverged = { ...step, lines: step.lines.map((l) => ({ ...l, amount: '1199.99' })) };
  const refusal = activities.recordSubscriptionStep({ setup, step: diverged });
  await expect(refusal).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(refusal).rejects.toMatchObject({ type: 'subscription_step_diverged', nonRetryable: true });
  expect(await count()).toEqual(before);
}, 60_000);
