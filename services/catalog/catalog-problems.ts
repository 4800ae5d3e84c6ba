import type { CatalogProblem } from '../../domain/catalog/catalog-problem';
import type { SyntaxProblem } from '../../domain/catalog/catalog-text';
import { RackrateError } from '../../lib/errors';
import { formatPath } from './store';

/**
 * A problem with a catalogue file, named by its path in the file
 * (`plans[2].definition.charges[0].metric`). Syntax problems concern the
 * file as a whole (path "") and carry their line and column.
 */
export interface FileProblem {
  kind: 'syntax' | 'schema' | 'catalog';
  field: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export function syntaxProblems(format: 'yaml' | 'json', problems: SyntaxProblem[]): FileProblem[] {
  return problems.map((p) => ({
    kind: 'syntax',
    field: '',
    code: `${format}_syntax`,
    message: `line ${p.line}, column ${p.column}: ${p.message}`,
    line: p.line,
    column: p.column,
  }));
}

/** Cross-reference problems of the item at `prefix` (e.g. ['plans', 2]). */
export function catalogProblems(prefix: Array<string | number>, problems: CatalogProblem[]): FileProblem[] {
  return problems.map((p) => ({ kind: 'catalog', field: formatPath([...prefix, ...p.path]), code: p.code, message: p.message }));
}

/**
 * All problems in one error. A file that breaks a schema is a bad request
 * (400 validation_failed); one that is well-formed but refers to things that
 * do not exist or may not change is 422 invalid_catalog. Either way `errors`
 * lists every problem found, schema and catalogue alike.
 */
export function catalogFileError(problems: FileProblem[]): RackrateError {
  const malformed = problems.some((p) => p.kind !== 'catalog');
  const errors = problems.map((p) => ({ in: 'body' as const, field: p.field, code: p.code, message: p.message }));
  const detail = `${problems.length} problem${problems.length === 1 ? '' : 's'} in the catalogue file, nothing was applied: ${errors
    .map((e) => `${e.field || '(file)'}: ${e.message}`)
    .join('; ')}`;
  return new RackrateError(malformed ? 'validation_failed' : 'invalid_catalog', detail, { errors });
}
