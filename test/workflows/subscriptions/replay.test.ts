import path from 'node:path';
import { commandDepartures, loadHistorySets, replayFailures, replayHistories, type RecordedHistory } from '../../support/history-replay';

/**
 * "Deploying changed workflow code does not break running subscriptions."
 * Every history recorded under histories/ (record-histories.ts writes them;
 * sets are only ever added) is replayed against the current workflows
 * bundle. Two things must hold for each:
 *  - no DeterminismViolationError: the code issues the commands the history
 *    holds, in the same order;
 *  - the same activity inputs: Temporal does not compare an activity's input
 *    on replay, yet this workflow computes each billing step itself and
 *    keeps the step's state, not the activity's result. A changed step on
 *    replay means running subscriptions would carry on from a state (period,
 *    terms, revision) other than the one they stored. Fields the recording
 *    lacks (new ones) and free text (descriptions, event details) are not
 *    compared. Gate such changes with patched() (docs/subscriptions.md).
 * The replay and the comparison are shared with the invoicing workflows'
 * replay test (test/support/history-replay.ts).
 */
const HISTORIES = path.join(__dirname, 'histories');

/** Free text that may change without changing billing. */
const IGNORED_KEYS = new Set(['description', 'details']);

let histories: RecordedHistory[] = [];

beforeAll(async () => {
  histories = loadHistorySets(HISTORIES);
  await replayHistories(histories, 'subscription-replay');
}, 120_000);

it('has recorded histories, each listed in its set’s manifest', () => {
  expect(histories.length).toBeGreaterThan(0);
  expect(histories.filter((h) => h.error === undefined).map((h) => h.id)).toEqual([]);
});

it('replays every recorded history on the current workflow code without a determinism violation', () => {
  expect(replayFailures(histories)).toEqual([]);
});

it('schedules the same activities with the same inputs as each history recorded', () => {
  expect(commandDepartures(histories, IGNORED_KEYS)).toEqual([]);
});
