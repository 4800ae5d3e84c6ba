import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { toFieldErrors } from '../lib/zod-field-errors';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { inTenantTransaction } from '../db/tenant-transaction';
import { loadConfig } from '../lib/config';
import { isUuid } from '../lib/ids';
import { createLogger } from '../lib/logger';
import { createApiKeySchema } from '../services/auth/api-key-schemas';
import { createApiKey } from '../services/auth/api-keys';
import type { Actor } from '../services/change-context';
import { createTenantSchema } from '../services/tenants/tenant-schemas';
import { createTenant, getTenant, getTenantBySlug, listTenants } from '../services/tenants/tenant-service';

/**
 * `npm run admin -- <command>`: operator commands that work without the API
 * running, against DATABASE_URL or the embedded PostgreSQL in the data
 * directory (reused if `npm start` is running, else started for the command).
 *
 *   tenant create --name "Acme Colocation" --slug acme-colo
 *   tenant list
 *   key create --tenant <id or slug> --name "Provisioning" --scopes admin,read [--expires-at 2027-01-01T00:00:00Z]
 */
const USAGE = `usage:
  npm run admin -- tenant create --name <name> --slug <slug>
  npm run admin -- tenant list
  npm run admin -- key create --tenant <id|slug> --name <name> --scopes <admin,read,ingest,portal> [--expires-at <ISO time>]`;

const ACTOR: Actor = { type: 'system', id: 'admin-cli', label: 'admin CLI' };

class UsageError extends Error {}

function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined) throw new UsageError(`expected --flag value pairs, got "${args.slice(i).join(' ')}"`);
    out[name.slice(2)] = value;
  }
  return out;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const lines = toFieldErrors(result.error, 'body').map((e) => `  --${e.field.replace(/_/g, '-')}: ${e.message}`);
  throw new UsageError(`invalid input:\n${lines.join('\n')}`);
}

async function run(dataSource: DataSource, args: string[]): Promise<string> {
  const [noun, verb, ...rest] = args;
  const now = new Date();
  if (noun === 'tenant' && verb === 'create') {
    const f = flags(rest);
    const input = parse(createTenantSchema, { name: f.name, slug: f.slug });
    const { tenant, secret } = await dataSource.transaction((tx) => createTenant(tx, { actor: ACTOR, requestId: null, now }, input));
    return `tenant ${tenant.slug} created: ${tenant.id}\nadmin API key (shown once): ${secret}`;
  }
  if (noun === 'tenant' && verb === 'list') {
    const page = await dataSource.transaction((tx) => listTenants(tx, { limit: 100, after: null }));
    return page.items.map((t) => `${t.id}  ${t.slug.padEnd(24)} ${t.status.padEnd(10)} ${t.name}`).join('\n') || '(no tenants)';
  }
  if (noun === 'key' && verb === 'create') {
    const f = flags(rest);
    const ref = f.tenant;
    if (!ref) throw new UsageError('--tenant is required (a tenant id or slug)');
    const tenant = await dataSource.transaction((tx) => (isUuid(ref) ? getTenant(tx, ref) : getTenantBySlug(tx, ref)));
    if (!tenant) throw new UsageError(`--tenant: no tenant with id or slug "${ref}"`);
    const input = parse(createApiKeySchema, { name: f.name, scopes: f.scopes?.split(','), expires_at: f['expires-at'] });
    const { apiKey, secret } = await inTenantTransaction(dataSource, tenant.id, (tx) =>
      createApiKey(tx, { tenantId: tenant.id, actor: ACTOR, requestId: null, now }, input),
    );
    return `API key ${apiKey.prefix} (${apiKey.scopes.join(', ')}) for tenant ${tenant.slug}\nsecret (shown once): ${secret}`;
  }
  throw new UsageError(`unknown command "${args.join(' ')}"`);
}

async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger('warn', 'rackrate-admin');
  let pg: EmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger })).appUrl;
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'rackrate-admin' });
  try {
    await migrate(dataSource);
    process.stdout.write(`${await run(dataSource, process.argv.slice(2))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    process.stderr.write(`${code ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
    await pg?.stop();
  }
}

main().then((code) => process.exit(code));
