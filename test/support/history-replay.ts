import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { historyFromJson } from './history-json';
import type { ReplayCheckSinks } from './replay-interceptors';

/**
 * Replays recorded workflow histories against the current workflows bundle
 * (the subscription and invoicing replay tests). A history folder holds sets
 * (`<set>/manifest.json` listing `timelines: { name: [file, …] }`, the files
 * in proto3 JSON, see history-json.ts). Besides Temporal's own determinism
 * check, the activities and child workflows the replay starts are captured
 * (replay-interceptors.ts) to be compared with the inputs the history holds.
 */
type History = temporal.api.history.v1.IHistory;

/** An activity or child workflow a workflow started, with the arguments it passed. */
export interface StartedCommand {
  kind: 'activity' | 'child workflow';
  type: string;
  /** Child workflows only. */
  workflowId?: string;
  args: unknown[];
}

export interface RecordedHistory {
  /** `<set>/<file>`; also the workflow id of its replay. */
  id: string;
  history: History;
  /** What the history started, in order. */
  recorded: StartedCommand[];
  /** What the replay started; filled by replayHistories. */
  replayed: StartedCommand[];
  /** Set once replayed: null when the replay succeeded. */
  error?: Error | null;
}

const decode = (payloads: temporal.api.common.v1.IPayload[] | null | undefined): unknown[] =>
  (payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p));

export function recordedCommands(history: History): StartedCommand[] {
  return (history.events ?? []).flatMap((e): StartedCommand[] => {
    const activity = e.activityTaskScheduledEventAttributes;
    if (activity) return [{ kind: 'activity', type: activity.activityType?.name ?? '', args: decode(activity.input?.payloads) }];
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) return [{ kind: 'child workflow', type: child.workflowType?.name ?? '', workflowId: child.workflowId ?? '', args: decode(child.input?.payloads) }];
    return [];
  });
}

/** Every history of every set under `dir`; a set whose manifest and files disagree is an error, not a skip. */
export function loadHistorySets(dir: string): RecordedHistory[] {
  const sets = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return sets.flatMap((set) => {
    const setDir = path.join(dir, set);
    const manifest = JSON.parse(readFileSync(path.join(setDir, 'manifest.json'), 'utf8')) as { timelines: Record<string, string[]> };
    const listed = Object.values(manifest.timelines).flat().sort();
    const present = readdirSync(setDir).filter((f) => f.endsWith('.json') && f !== 'manifest.json').sort();
    if (listed.join() !== present.join()) throw new Error(`${set}: manifest lists [${listed.join(', ')}], directory holds [${present.join(', ')}]`);
    return listed.map((file) => {
      const history = historyFromJson(JSON.parse(readFileSync(path.join(setDir, file), 'utf8')));
      return { id: `${set}/${file}`, history, recorded: recordedCommands(history), replayed: [] };
    });
  });
}

/** Replays each history on `workflows/` (the bundle workers run), filling `replayed` and `error`. */
export async function replayHistories(histories: RecordedHistory[], replayName: string): Promise<void> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed by an earlier test file in this jest worker.
  }
  const byId = new Map(histories.map((h) => [h.id, h]));
  const sinks: InjectedSinks<ReplayCheckSinks> = {
    replayCheck: {
      activityScheduled: {
        fn: (info, type, args) => void byId.get(info.workflowId)?.replayed.push({ kind: 'activity', type, args }),
        callDuringReplay: true,
      },
      childWorkflowStarted: {
        fn: (info, type, workflowId, args) => void byId.get(info.workflowId)?.replayed.push({ kind: 'child workflow', type, workflowId, args }),
        callDuringReplay: true,
      },
    },
  };
  const replays = Worker.runReplayHistories(
    {
      workflowsPath: require.resolve('../../workflows'),
      interceptors: { workflowModules: [require.resolve('./replay-interceptors')] },
      sinks,
      replayName,
    },
    histories.map((h) => ({ workflowId: h.id, history: h.history })),
  );
  for await (const result of replays) {
    const replayed = byId.get(result.workflowId);
    if (replayed) replayed.error = result.error ?? null;
  }
}

/** The histories whose replay failed (a DeterminismViolationError, a missing workflow type…), as `id: name: message`. */
export function replayFailures(histories: RecordedHistory[]): string[] {
  return histories.flatMap((h) => (h.error ? [`${h.id}: ${h.error.name}: ${h.error.message}`] : []));
}

/** Where `computed` departs from `recorded` (every recorded field must match; extra computed fields are fine), or null. */
export function departure(recorded: unknown, computed: unknown, ignoredKeys: ReadonlySet<string>, at = ''): string | null {
  const differ = () => `${at}: ${JSON.stringify(recorded)} became ${JSON.stringify(computed)}`;
  if (Array.isArray(recorded)) {
    if (!Array.isArray(computed) || computed.length !== recorded.length) return differ();
    for (const [i, value] of recorded.entries()) {
      const d = departure(value, computed[i], ignoredKeys, `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (computed === null || typeof computed !== 'object') return differ();
    for (const [key, value] of Object.entries(recorded)) {
      if (ignoredKeys.has(key)) continue;
      const d = departure(value, (computed as Record<string, unknown>)[key], ignoredKeys, `${at}.${key}`);
      if (d) return d;
    }
    return null;
  }
  return recorded === computed ? null : differ();
}

/**
 * Each replayed history's started commands against its recorded ones. The
 * replay may go on past the history's end (a timer that fired since): only
 * the recorded prefix is compared. Failed replays are left to replayFailures.
 */
export function commandDepartures(histories: RecordedHistory[], ignoredKeys: ReadonlySet<string> = new Set()): string[] {
  return histories.flatMap((h) => {
    if (h.error !== null) return [];
    if (h.replayed.length < h.recorded.length) return [`${h.id}: replay started ${h.replayed.length} activities and child workflows, the history ${h.recorded.length}`];
    return h.recorded.flatMap((recorded, i) => {
      const d = departure(recorded, h.replayed[i], ignoredKeys);
      return d ? [`${h.id}: #${i + 1} ${recorded.kind} ${recorded.type}${d}`] : [];
    });
  });
}
