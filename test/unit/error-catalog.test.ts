import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOG } from '../../lib/errors';

/** docs/errors.md documents exactly the codes the API can return, with the same status. */
it('docs/errors.md lists every error code with its status, and no others', () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  const documented = new Map<string, number>();
  for (const match of doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) documented.set(match[1]!, Number(match[2]));
  const catalogue = new Map(Object.entries(ERROR_CATALOG).map(([code, entry]) => [code, entry.status]));
  expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalogue));
});
