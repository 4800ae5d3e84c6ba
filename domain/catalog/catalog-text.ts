import { parseDocument, stringify } from 'yaml';
import { jsonErrorOffset } from '../../lib/json-error-offset';
import type { CatalogDocument } from './catalog-file';

/**
 * Catalogue files as text, YAML or JSON. Parsing reports every syntax error
 * with its line and column; writing is deterministic (same document, same
 * bytes) and quotes every string a YAML 1.1 reader could take for a number,
 * boolean or date ("1200", "on", "12:30"), so decimals stay strings in any tool.
 */
export const CATALOG_FORMATS = ['yaml', 'json'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export type ParsedText = { ok: true; document: unknown } | { ok: false; problems: SyntaxProblem[] };

export function parseCatalogText(format: CatalogFormat, text: string): ParsedText {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

function parseYaml(text: string): ParsedText {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length === 0) {
    try {
      return { ok: true, document: doc.toJS({ maxAliasCount: 100 }) };
    } catch (error) {
      // Too many aliases (a "billion laughs" file) is refused here, not expanded.
      return { ok: false, problems: [{ line: 1, column: 1, message: error instanceof Error ? error.message : String(error) }] };
    }
  }
  return {
    ok: false,
    problems: doc.errors.map((error) => {
      const at = error.linePos?.[0] ?? positionOf(text, error.pos[0]);
      // prettyErrors appends " at line L, column C:" and a source excerpt; the position is reported on its own.
      const message = error.message.split(/ at line \d+, column \d+/)[0]!.trim();
      return { line: at.line, column: at.col, message };
    }),
  };
}

function parseJson(text: string): ParsedText {
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const at = positionOf(text, position ? Number(position[1]) : jsonErrorOffset(text));
    return { ok: false, problems: [{ line: at.line, column: at.col, message: message.replace(/ at position \d+( \(line \d+ column \d+\))?/, '') }] };
  }
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

export function formatCatalogText(format: CatalogFormat, document: CatalogDocument): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  return stringify(document, { lineWidth: 0, compat: 'yaml-1.1', aliasDuplicateObjects: false });
}
