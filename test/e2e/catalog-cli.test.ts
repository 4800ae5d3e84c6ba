import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APPLY_WRITES_TO, COLO_CATALOG_YAML } from '../support/catalog-file';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi } from '../support/http';
import { createTestTenant, type TestTenant } from '../support/tenants';

/** `npm run catalog` (compiled by `npm test`'s tsc step) against a real database, checked through the API. */
let db: TestDatabase;
let api: TestApi;
let dir: string;
const cli = path.join(__dirname, '..', '..', 'dist', 'scripts', 'catalog.js');

function catalog(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

async function rowCounts(tenantId: string): Promise<Record<string, number>> {
  return db.asSuperuser(async (c) => {
    const out: Record<string, number> = {};
    for (const table of APPLY_WRITES_TO) {
      out[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n);
    }
    return out;
  });
}

let tenants = 0;
async function freshTenant(): Promise<TestTenant> {
  tenants += 1;
  return createTestTenant(db.dataSource, `cli-cat-${tenants}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestApi(db.dataSource);
  dir = mkdtempSync(path.join(tmpdir(), 'rackrate-catalog-'));
});

afterAll(async () => {
  await api.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

it('applies a catalogue from scratch, one line per item, audited as the CLI', async () => {
  const tenant = await freshTenant();
  const out = catalog('apply', file('colo.yaml', COLO_CATALOG_YAML), '--tenant', tenant.slug);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const lines = out.stdout.trim().split('\n');
  expect(lines).toHaveLength(14);
  expect(lines.slice(0, 2)).toEqual(['+ create product cabinet', '+ create product cross-connect']);
  expect(lines).toEqual(expect.arrayContaining(['+ create plan colo-standard', '+ create addon extra-cross-connect', '+ create promotion_code COLO2027']));
  expect(lines[13]).toBe('applied: 13 create, 0 update, 0 publish_version, 0 unchanged, 0 not_in_file');

  const plans = await api.request('GET', '/v1/plans', { key: tenant.adminKey });
  expect(plans.body.data.map((p: { code: string }) => p.code).sort()).toEqual(['colo-standard', 'extra-cross-connect']);
  const audit = await api.request('GET', '/v1/audit_log?limit=100', { key: tenant.adminKey });
  const entries = audit.body.data.filter((e: { actor: { id: string } }) => e.actor.id === 'catalog-cli');
  expect(entries).toHaveLength(13);
  // One request id for the whole run.
  expect(new Set(entries.map((e: { request_id: string }) => e.request_id)).size).toBe(1);
  expect(entries[0].request_id).toMatch(/^cli_[0-9a-f]{32}$/);
});

it('exports the same bytes every time, to a file or stdout, and the export applies back unchanged', async () => {
  const tenant = await freshTenant();
  expect(catalog('apply', file('seed.yaml', COLO_CATALOG_YAML), '--tenant', tenant.id).code).toBe(0);
  const out = path.join(dir, 'export.yaml');
  const written = catalog('export', '--tenant', tenant.slug, '--out', out);
  expect(written.code).toBe(0);
  expect(written.stdout).toBe(`exported the catalogue of ${tenant.slug} to ${out}\n`);
  const text = readFileSync(out, 'utf8');
  expect(catalog('export', '--tenant', tenant.slug).stdout).toBe(text);
  const viaApi = await api.request('GET', '/v1/catalog/export', { key: tenant.adminKey });
  expect(viaApi.text).toBe(text);

  const before = await rowCounts(tenant.id);
  const again = catalog('apply', out, '--tenant', tenant.slug);
  expect(again.code).toBe(0);
  const lines = again.stdout.trim().split('\n');
  expect(lines.slice(0, -1).every((line) => line.startsWith('= unchanged '))).toBe(true);
  expect(lines).toContain('= unchanged plan colo-standard');
  expect(lines.at(-1)).toBe('applied: 0 create, 0 update, 0 publish_version, 13 unchanged, 0 not_in_file');

  const json = catalog('export', '--tenant', tenant.slug, '--format', 'json', '--out', path.join(dir, 'export.json'));
  expect(json.code).toBe(0);
  const jsonViaApi = await api.request('GET', '/v1/catalog/export?format=json', { key: tenant.adminKey });
  expect(JSON.parse(readFileSync(path.join(dir, 'export.json'), 'utf8'))).toEqual(jsonViaApi.body);
  expect(catalog('apply', path.join(dir, 'export.json'), '--tenant', tenant.slug).stdout).toMatch(/13 unchanged/);
  expect(await rowCounts(tenant.id)).toEqual(before);
});

it('shows a dry run diff and changes nothing, then applies it', async () => {
  const tenant = await freshTenant();
  expect(catalog('apply', file('base.yaml', COLO_CATALOG_YAML), '--tenant', tenant.slug).code).toBe(0);
  const edited = COLO_CATALOG_YAML.replace('name: Metered power\n    unit_label: kWh\n    gl_code: "4020"', 'name: Power, metered\n    unit_label: kWh\n    gl_code: "4021"')
    .replace('unit_price: "1200.00"', 'unit_price: "1250.00"')
    .replace('products:\n', 'products:\n  - code: remote-hands\n    name: Remote hands\n')
    .replace(/asset_types:[\s\S]*$/, '');
  const path_ = file('edited.yaml', edited);
  const before = await rowCounts(tenant.id);
  const dry = catalog('apply', path_, '--tenant', tenant.slug, '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('~ update product power (name, gl_code)\n+ create product remote-hands\n');
  expect(dry.stdout).toContain('↑ publish plan colo-standard v1→v2\n');
  expect(dry.stdout).toContain('= unchanged product cabinet\n');
  expect(dry.stdout).toContain('? not_in_file asset_type xc-smf\n');
  expect(dry.stdout).toMatch(/dry run: 1 create, 1 update, 1 publish_version, 10 unchanged, 1 not_in_file; nothing was changed\n$/);
  expect(await rowCounts(tenant.id)).toEqual(before);

  const applied = catalog('apply', path_, '--tenant', tenant.slug);
  expect(applied.code).toBe(0);
  const [plan] = (await api.request('GET', '/v1/plans?kind=plan', { key: tenant.adminKey })).body.data;
  expect(plan).toMatchObject({ code: 'colo-standard', current_version: 2 });
  expect(catalog('apply', path_, '--tenant', tenant.slug, '--dry-run').stdout).toMatch(/0 create, 0 update, 0 publish_version, 13 unchanged, 1 not_in_file/);
});

it('prints every problem with its path, exits 2 and applies nothing', async () => {
  const tenant = await freshTenant();
  const bad = COLO_CATALOG_YAML.replace('metric: energy-kwh', 'metric: energy-kwhh')
    .replace('unit_price: "300.00"', 'unit_price: "-300.00"')
    .replace('percent_off: "50"', 'percent_off: "150"')
    .replace('    product: cross-connect\n    category', '    product: no-such-product\n    category');
  const before = await rowCounts(tenant.id);
  const out = catalog('apply', file('bad.yaml', bad), '--tenant', tenant.slug);
  expect(out.code).toBe(2);
  expect(out.stdout).toBe('');
  expect(out.stderr.split('\n').slice(0, 5)).toEqual([
    `${path.join(dir, 'bad.yaml')}: 4 problems, nothing was applied`,
    '  plans[0].definition.charges[2].metric: no billable metric with code "energy-kwhh"',
    '  plans[1].definition.charges[0].prices.USD.unit_price: must not be negative',
    '  coupons[0].discount.percent_off: must be between 0 and 100',
    '  asset_types[0].product: no product with code "no-such-product"',
  ]);
  expect(await rowCounts(tenant.id)).toEqual(before);
});

it('names the line and column of a syntax error', async () => {
  const tenant = await freshTenant();
  const name = file('broken.yaml', 'rackrate_catalog: 1\nproducts:\n  - code: [cabinet\n    name: x\n');
  const out = catalog('apply', name, '--tenant', tenant.slug);
  expect(out.code).toBe(2);
  const [head, first] = out.stderr.split('\n');
  expect(head).toMatch(/broken\.yaml: \d+ problems?, nothing was applied$/);
  expect(first).toMatch(/^  \S+broken\.yaml:\d+:\d+: \S/);
  const json = catalog('apply', file('broken.json', '{"rackrate_catalog": 1,\n "products": [}'), '--tenant', tenant.slug);
  expect(json.code).toBe(2);
  expect(json.stderr).toContain('broken.json:2:15: ');
});

it('refuses bad commands with usage and exit 2', async () => {
  expect(catalog('apply', path.join(dir, 'colo.yaml')).stderr).toMatch(/--tenant is required/);
  const unknown = catalog('export', '--tenant', 'nobody');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/no tenant with id or slug "nobody"/);
  expect(catalog('export', '--tenant', 'cli-cat-1', '--format', 'toml').stderr).toMatch(/--format: must be yaml or json/);
  expect(catalog('frobnicate').code).toBe(2);
  expect(catalog('apply', path.join(dir, 'missing.yaml'), '--tenant', 'cli-cat-1').stderr).toMatch(/cannot read/);
});

it('rolls back every change when a late one fails, and exits 1', async () => {
  const tenant = await freshTenant();
  await db.asSuperuser((c) =>
    c.query(`
      CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.code = 'boom' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_refuse_boom BEFORE INSERT ON asset_types FOR EACH ROW EXECUTE FUNCTION test_refuse_boom();`),
  );
  try {
    const before = await rowCounts(tenant.id);
    const out = catalog('apply', file('boom.yaml', COLO_CATALOG_YAML.replace('  - code: xc-smf\n', '  - code: boom\n')), '--tenant', tenant.slug);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/refused by test trigger\nnothing was applied\n$/);
    expect(await rowCounts(tenant.id)).toEqual(before);
  } finally {
    await db.asSuperuser((c) => c.query('DROP TRIGGER test_refuse_boom ON asset_types; DROP FUNCTION test_refuse_boom();'));
  }
});
