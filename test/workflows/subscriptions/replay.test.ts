import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { historyFromJson } from '../../support/history-json';
import type { ReplayCheckSinks } from './replay-interceptors';

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
 */
type History = temporal.api.history.v1.IHistory;
const HISTORIES = path.join(__dirname, 'histories');

interface Fixture {
  id: string;
  history: History;
  /** The activities the history scheduled, in order, as the workflow passed them. */
  scheduled: Array<{ type: string; args: unknown[] }>;
  /** What the replay scheduled; filled by the sink. */
  replayed: Array<{ type: string; args: unknown[] }>;
}

let fixtures: Fixture[] = [];
const outcomes = new Map<string, Error | undefined>();

function scheduledActivities(history: History): Fixture['scheduled'] {
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a) return [];
    return [{ type: a.activityType?.name ?? '', args: (a.input?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p)) }];
  });
}

function loadFixtures(): Fixture[] {
  const sets = readdirSync(HISTORIES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return sets.flatMap((set) => {
    const dir = path.join(HISTORIES, set);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { timelines: Record<string, string[]> };
    const listed = Object.values(manifest.timelines).flat().sort();
    const present = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'manifest.json').sort();
    if (listed.join() !== present.join()) throw new Error(`histories/${set}: manifest lists [${listed.join(', ')}], directory holds [${present.join(', ')}]`);
    return listed.map((file) => {
      const history = historyFromJson(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      return { id: `${set}/${file}`, history, scheduled: scheduledActivities(history), replayed: [] };
    });
  });
}

/** Free text that may change without changing billing. */
const IGNORED_KEYS = new Set(['description', 'details']);

/** Where `computed` departs from `recorded` (every recorded field must match; extra computed fields are fine), or null. */
function departure(recorded: unknown, computed: unknown, at = ''): string | null {
  if (Array.isArray(recorded)) {
    if (!Array.isArray(computed) || computed.length !== recorded.length) return `${at}: ${JSON.stringify(recorded)} became ${JSON.stringify(computed)}`;
    for (const [i, value] of recorded.entries()) {
      const d = departure(value, computed[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (computed === null || typeof computed !== 'object') return `${at}: ${JSON.stringify(recorded)} became ${JSON.stringify(computed)}`;
    for (const [key, value] of Object.entries(recorded)) {
      if (IGNORED_KEYS.has(key)) continue;
      const d = departure(value, (computed as Record<string, unknown>)[key], `${at}.${key}`);
      if (d) return d;
    }
    return null;
  }
  return recorded === computed ? null : `${at}: ${JSON.stringify(recorded)} became ${JSON.stringify(computed)}`;
}

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed by an earlier test file in this jest worker.
  }
  fixtures = loadFixtures();
  const byId = new Map(fixtures.map((f) => [f.id, f]));
  const sinks: InjectedSinks<ReplayCheckSinks> = {
    replayCheck: {
      activityScheduled: {
        fn: (info, type, args) => void byId.get(info.workflowId)?.replayed.push({ type, args }),
        callDuringReplay: true,
      },
    },
  };
  const replays = Worker.runReplayHistories(
    {
      workflowsPath: require.resolve('../../../workflows'),
      interceptors: { workflowModules: [require.resolve('./replay-interceptors')] },
      sinks,
      replayName: 'subscription-replay',
    },
    fixtures.map((f) => ({ workflowId: f.id, history: f.history })),
  );
  for await (const result of replays) outcomes.set(result.workflowId, result.error);
}, 120_000);

it('has recorded histories, each listed in its set’s manifest', () => {
  expect(fixtures.length).toBeGreaterThan(0);
  expect([...outcomes.keys()].sort()).toEqual(fixtures.map((f) => f.id).sort());
});

it('replays every recorded history on the current workflow code without a determinism violation', () => {
  const failures = [...outcomes].filter(([, error]) => error).map(([id, error]) => `${id}: ${error!.name}: ${error!.message}`);
  expect(failures).toEqual([]);
});

it('schedules the same activities with the same inputs as each history recorded', () => {
  const departures = fixtures.flatMap((f) => {
    if (outcomes.get(f.id)) return []; // Reported above.
    // The replay may go on past the history's end (a timer that fired since): only the recorded prefix is compared.
    if (f.replayed.length < f.scheduled.length) return [`${f.id}: replay scheduled ${f.replayed.length} activities, the history ${f.scheduled.length}`];
    return f.scheduled.flatMap((recorded, i) => {
      const d = departure(recorded, f.replayed[i]);
      return d ? [`${f.id}: activity #${i + 1} (${recorded.type})${d}`] : [];
    });
  });
  expect(departures).toEqual([]);
});
