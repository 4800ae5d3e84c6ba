import type { EntityManager } from 'typeorm';
import { CATALOG_SECTIONS } from '../../domain/catalog/catalog-file';
import { summarize, type CatalogChange, type ChangeAction } from '../../domain/catalog/catalog-diff';
import { parseCatalogText, type CatalogFormat } from '../../domain/catalog/catalog-text';
import { RackrateError } from '../../lib/errors';
import type { ChangeContext } from '../change-context';
import { diffCatalogFile } from './catalog-diff';
import { executeChange } from './catalog-execute';
import { catalogFileError, syntaxProblems, type FileProblem } from './catalog-problems';
import { readCatalogDocument } from './catalog-read';

/**
 * Applies a catalogue file: parse, read every item with the API's schemas,
 * diff against the catalogue and check every reference; any problem stops
 * everything before a write, with every problem listed by its path. Then
 * the changes run in dependency order through the catalogue services, in
 * the caller's transaction: a failure anywhere rolls back all of them.
 * Items the file does not mention are reported (not_in_file) and left alone.
 */
export type CatalogSource = { format: CatalogFormat; content: string } | { document: unknown };

export interface ApplyCatalogOptions {
  dryRun: boolean;
}

export interface CatalogApplyResult {
  dryRun: boolean;
  applied: boolean;
  changes: CatalogChange[];
  summary: Record<ChangeAction, number>;
}

/** Problems in file order: by section, then item, then as found within the item. */
function inFileOrder(problems: FileProblem[]): FileProblem[] {
  const rank = (p: FileProblem): [number, number] => {
    const match = /^([a-z_]+)(?:\[(\d+)\])?/.exec(p.field);
    const section = CATALOG_SECTIONS.findIndex((s) => s === match?.[1]);
    return [section, match?.[2] === undefined ? -1 : Number(match[2])];
  };
  return problems
    .map((problem, order) => ({ problem, order, rank: rank(problem) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.order - b.order)
    .map(({ problem }) => problem);
}

/**
 * A service refusing a change that passed the file's checks (a rule only the
 * service knows, a code taken meanwhile) names fields of its own body; the
 * caller needs them as paths in the file.
 */
function withFilePaths(error: unknown, item: string): unknown {
  if (!(error instanceof RackrateError)) return error;
  const errors = (error.errors.length > 0 ? error.errors : [{ in: 'body' as const, field: '', code: error.code, message: error.message }]).map((e) => ({
    ...e,
    field: e.field ? `${item}.${e.field}` : item,
  }));
  return new RackrateError(error.code, `${item}: ${error.message}`, { errors, headers: error.headers });
}

export async function applyCatalog(tx: EntityManager, ctx: ChangeContext, source: CatalogSource, options: ApplyCatalogOptions): Promise<CatalogApplyResult> {
  let document: unknown;
  if ('document' in source) {
    document = source.document;
  } else {
    const parsed = parseCatalogText(source.format, source.content);
    if (!parsed.ok) throw catalogFileError(syntaxProblems(source.format, parsed.problems));
    document = parsed.document;
  }
  const read = readCatalogDocument(document);
  const diff = await diffCatalogFile(tx, ctx, read.file, read.unread);
  const problems = inFileOrder([...read.problems, ...diff.problems]);
  if (problems.length > 0) throw catalogFileError(problems);

  if (!options.dryRun) {
    for (const change of diff.changes) {
      if (change.action === 'unchanged' || change.action === 'not_in_file') continue;
      try {
        change.id = await executeChange(tx, ctx, change, read.file);
      } catch (error) {
        throw withFilePaths(error, `${change.section}[${String(change.index)}]`);
      }
    }
  }
  return { dryRun: options.dryRun, applied: !options.dryRun, changes: diff.changes, summary: summarize(diff.changes) };
}
