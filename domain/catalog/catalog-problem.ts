/**
 * A rule a catalogue item breaks that needs the rest of the catalogue to
 * see (an unknown product, a metric whose aggregation a model cannot use).
 * Schema rules are zod issues; both end up as field errors with a path.
 */
export interface CatalogProblem {
  path: Array<string | number>;
  code: string;
  message: string;
}

export function problem(path: Array<string | number>, code: string, message: string): CatalogProblem {
  return { path, code, message };
}
