import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { CatalogChange } from '../domain/catalog/catalog-diff';
import { CATALOG_FORMATS, formatCatalogText, type CatalogFormat } from '../domain/catalog/catalog-text';
import { loadConfig } from '../lib/config';
import { RackrateError } from '../lib/errors';
import { isUuid } from '../lib/ids';
import { createLogger } from '../lib/logger';
import { applyCatalog, type CatalogApplyResult } from '../services/catalog/catalog-apply';
import { exportCatalog } from '../services/catalog/catalog-export';
import type { ChangeContext } from '../services/change-context';
import { getTenant, getTenantBySlug } from '../services/tenants/tenant-service';

/**
 * `npm run catalog -- <command>`: catalogue as code from the command line,
 * against DATABASE_URL or the embedded PostgreSQL (like `npm run admin`),
 * through the same services as GET /v1/catalog/export and POST /v1/catalog/apply.
 * Exit status: 0 done, 2 problems with the file or the command (nothing
 * applied), 1 anything else (nothing applied either: one transaction).
 */
const USAGE = `usage:
  npm run catalog -- export --tenant <id|slug> [--format yaml|json] [--out <file>] [--include-archived]
  npm run catalog -- apply <file> --tenant <id|slug> [--format yaml|json] [--dry-run]`;

class UsageError extends Error {}

interface Args {
  positional: string[];
  values: Record<string, string>;
  switches: Set<string>;
}

const SWITCHES = new Set(['dry-run', 'include-archived']);
const VALUES = new Set(['tenant', 'format', 'out']);

function parseArgs(argv: string[]): Args {
  const args: Args = { positional: [], values: {}, switches: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      args.positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (SWITCHES.has(name)) args.switches.add(name);
    else if (VALUES.has(name) && argv[i + 1] !== undefined) args.values[name] = argv[(i += 1)]!;
    else throw new UsageError(VALUES.has(name) ? `${arg} needs a value` : `unknown option ${arg}`);
  }
  return args;
}

function formatOf(args: Args, file?: string): CatalogFormat {
  const given = args.values.format;
  if (given !== undefined) {
    if (!(CATALOG_FORMATS as readonly string[]).includes(given)) throw new UsageError(`--format: must be yaml or json, not "${given}"`);
    return given as CatalogFormat;
  }
  return file?.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

async function tenantOf(dataSource: DataSource, args: Args): Promise<{ id: string; slug: string }> {
  const ref = args.values.tenant;
  if (!ref) throw new UsageError('--tenant is required (a tenant id or slug)');
  const tenant = await dataSource.transaction((tx) => (isUuid(ref) ? getTenant(tx, ref) : getTenantBySlug(tx, ref)));
  if (!tenant) throw new UsageError(`--tenant: no tenant with id or slug "${ref}"`);
  return tenant;
}

const SYMBOL: Record<CatalogChange['action'], string> = { create: '+', update: '~', publish_version: '↑', unchanged: '=', not_in_file: '?' };

/** `~ update product power (name, gl_code)`, `↑ publish plan colo-standard v2→v3`. */
function changeLine(change: CatalogChange): string {
  const symbol = SYMBOL[change.action];
  if (change.action === 'publish_version') {
    const others = change.fields.filter((f) => f !== 'definition');
    return `${symbol} publish ${change.type} ${change.code} v${change.from_version}→v${change.to_version}${others.length ? ` (${others.join(', ')})` : ''}`;
  }
  const fields = change.action === 'update' ? ` (${change.fields.join(', ')})` : '';
  return `${symbol} ${change.action} ${change.type} ${change.code}${fields}`;
}

function report(result: CatalogApplyResult): string {
  const s = result.summary;
  const counts = `${s.create} create, ${s.update} update, ${s.publish_version} publish_version, ${s.unchanged} unchanged, ${s.not_in_file} not_in_file`;
  const outcome = result.applied ? `applied: ${counts}` : `dry run: ${counts}; nothing was changed`;
  return [...result.changes.map(changeLine), outcome].join('\n');
}

async function run(dataSource: DataSource, args: Args): Promise<string> {
  const [command, file, ...extra] = args.positional;
  if (command === 'export' && file === undefined) {
    const format = formatOf(args);
    const tenant = await tenantOf(dataSource, args);
    const document = await inTenantTransaction(dataSource, tenant.id, (tx) =>
      exportCatalog(tx, tenant.id, { includeArchived: args.switches.has('include-archived') }),
    );
    const text = formatCatalogText(format, document);
    if (args.values.out === undefined) return text.replace(/\n$/, '');
    writeFileSync(args.values.out, text);
    return `exported the catalogue of ${tenant.slug} to ${args.values.out}`;
  }
  if (command === 'apply' && file !== undefined && extra.length === 0) {
    const format = formatOf(args, file);
    const tenant = await tenantOf(dataSource, args);
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const ctx: ChangeContext = {
      tenantId: tenant.id,
      actor: { type: 'system', id: 'catalog-cli', label: 'catalog CLI' },
      // One id for every audit entry and event of this apply, as an API request has.
      requestId: `cli_${randomUUID().replace(/-/g, '')}`,
      now: new Date(),
    };
    const result = await inTenantTransaction(dataSource, tenant.id, (tx) =>
      applyCatalog(tx, ctx, { format, content }, { dryRun: args.switches.has('dry-run') }),
    );
    return report(result);
  }
  throw new UsageError(`unknown command "${args.positional.join(' ')}"`);
}

/** Every problem of a rejected file, one per line with its path. */
function problemsText(error: RackrateError, file: string | undefined): string {
  const name = file ?? 'catalogue file';
  const lines = error.errors.map((e) => {
    const syntax = /^line (\d+), column (\d+): (.*)$/s.exec(e.message);
    return syntax ? `  ${name}:${syntax[1]}:${syntax[2]}: ${syntax[3]}` : `  ${e.field || '(file)'}: ${e.message}`;
  });
  return `${name}: ${error.errors.length} problem${error.errors.length === 1 ? '' : 's'}, nothing was applied\n${lines.join('\n')}`;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger('warn', 'rackrate-catalog');
  let pg: EmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger })).appUrl;
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'rackrate-catalog' });
  let applying: string | undefined;
  try {
    const args = parseArgs(process.argv.slice(2));
    if (args.positional[0] === 'apply') applying = args.positional[1];
    await migrate(dataSource);
    process.stdout.write(`${await run(dataSource, args)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof RackrateError && (error.code === 'validation_failed' || error.code === 'invalid_catalog') && error.errors.length > 0) {
      process.stderr.write(`${problemsText(error, applying)}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    process.stderr.write(`${code ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}${applying ? '\nnothing was applied' : ''}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
    await pg?.stop();
  }
}

main().then((code) => process.exit(code));
