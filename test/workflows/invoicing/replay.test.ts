import path from 'node:path';
import { commandDepartures, loadHistorySets, replayFailures, replayHistories, type RecordedHistory } from '../../support/history-replay';

/**
 * "Deploying changed billing code does not break running bill runs or the
 * billing scheduler." Every history recorded under histories/
 * (record-histories.ts writes them; sets are only ever added) is replayed
 * against the current workflows bundle, as the subscription histories are
 * (test/workflows/subscriptions/replay.test.ts). For each:
 *  - no DeterminismViolationError: the code issues the commands the history
 *    holds (activities, child bill runs, timers, continue-as-new), in order;
 *  - the same inputs to every activity and child workflow: a bill run's
 *    activity inputs are its tenant, instant, page cursors and limits and
 *    its batches of accounts and drafts; the scheduler's are the tenants and
 *    instants it bills. Temporal does not compare inputs on replay, so a
 *    changed page or batch size, or a changed cursor, would go unnoticed by
 *    it while a running bill run carried on with pages other than the ones
 *    it started with. Gate such changes with patched() (docs/invoicing.md,
 *    "Bill runs").
 */
const HISTORIES = path.join(__dirname, 'histories');

let histories: RecordedHistory[] = [];

beforeAll(async () => {
  histories = loadHistorySets(HISTORIES);
  await replayHistories(histories, 'invoicing-replay');
}, 120_000);

it('has recorded histories, each listed in its set’s manifest and replayed', () => {
  expect(histories.length).toBeGreaterThan(0);
  expect(histories.filter((h) => h.error === undefined).map((h) => h.id)).toEqual([]);
});

it('has histories that cover paging, batching, drafting, finalising, a wake signal and continue-as-new', () => {
  const events = histories.flatMap((h) => h.history.events ?? []);
  const started = histories.flatMap((h) => h.recorded);
  const activities = (type: string) => started.filter((c) => c.kind === 'activity' && c.type === type).map((c) => c.args[0] as Record<string, unknown>);
  expect(new Set(events.map((e) => e.workflowExecutionStartedEventAttributes?.workflowType?.name).filter(Boolean))).toEqual(
    new Set(['billRunWorkflow', 'billingSchedulerWorkflow']),
  );
  expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
  expect(events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'wake')).toBe(true);
  expect(started.some((c) => c.kind === 'child workflow' && c.type === 'billRunWorkflow')).toBe(true);
  // A second page (a cursor) and a page split into several batches.
  expect(activities('dueBillingAccounts').some((input) => input.after !== null)).toBe(true);
  expect(activities('draftInvoices').some((input) => (input.accounts as unknown[]).length > 1)).toBe(true);
  expect(activities('finalizeInvoices').length).toBeGreaterThan(0);
});

it('replays every recorded history on the current workflow code without a determinism violation', () => {
  expect(replayFailures(histories)).toEqual([]);
});

it('starts the same activities and child bill runs with the same inputs as each history recorded', () => {
  expect(commandDepartures(histories)).toEqual([]);
});
