import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { loadConfig } from '../../lib/config';
import { isTaskQueueName } from '../../lib/temporal/task-queues';

/**
 * docker-compose.yml cannot be started here (no Docker engine in CI), so this
 * checks it statically: its YAML, the wiring between services, the values the
 * app will read (through the app's own loadConfig), the PostgreSQL init
 * script, the Dockerfile, and that every `node dist/….js` has a source file.
 * When the `docker compose` plugin is installed, `docker compose config` also
 * validates it against the Compose specification.
 */
const root = path.join(__dirname, '..', '..');
const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const dockerfileText = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

/** What an operator puts in .env; every required variable of the file. */
const ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'postgres-secret',
  RACKRATE_DB_PASSWORD: 'rackrate-secret',
  TEMPORAL_DB_PASSWORD: 'temporal-secret',
  RACKRATE_PLATFORM_KEY: 'k'.repeat(40),
};
const RACKRATE_PROCESSES = ['api', 'worker', 'migrate'];
const LONG_RUNNING = ['postgres', 'temporal', 'temporal-ui', 'api', 'worker'];

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dict(value: unknown, where: string): Dict {
  if (!isDict(value)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

/** Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(text: string, env: Record<string, string>): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return text.replace(pattern, (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    const missing = op?.startsWith(':') ? value === undefined || value === '' : value === undefined;
    if (!missing || op === undefined) return value ?? '';
    if (op.endsWith('?')) throw new Error(`required variable ${name} is missing: ${arg ?? ''}`);
    return arg ?? '';
  });
}

const compose = dict(parse(composeText, { merge: true }), 'docker-compose.yml');
const services = dict(compose.services, 'services');

function service(name: string): Dict {
  return dict(services[name], `services.${name}`);
}

/** A service's environment (map or KEY=VALUE list), before interpolation. */
function rawEnvironment(name: string): Record<string, string> {
  const env = service(name).environment;
  if (env === undefined) return {};
  const entries: Array<[string, string]> = Array.isArray(env)
    ? env.map((item) => {
        const [key, ...rest] = str(item, `services.${name}.environment`).split('=');
        return [key!, rest.join('=')];
      })
    : Object.entries(dict(env, `services.${name}.environment`)).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/** What the process in the container sees, with the operator's ENV. */
function environment(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(rawEnvironment(name)).map(([key, value]) => [key, interpolate(value, ENV)]));
}

function dependsOn(name: string): Record<string, string> {
  const deps = service(name).depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [str(dep, name), 'service_started']));
  return Object.fromEntries(
    Object.entries(dict(deps, `services.${name}.depends_on`)).map(([dep, spec]) => [dep, str(dict(spec, dep).condition ?? 'service_started', `${name} → ${dep}`)]),
  );
}

function command(name: string): string[] {
  const cmd = service(name).command;
  if (cmd === undefined) return [];
  return typeof cmd === 'string' ? cmd.split(/\s+/) : list(cmd, `services.${name}.command`).map((part) => str(part, name));
}

/** The volume entries of a service in long form. */
function volumes(name: string): Array<{ type: string; source: string; target: string }> {
  return (service(name).volumes === undefined ? [] : list(service(name).volumes, `services.${name}.volumes`)).map((entry) => {
    if (isDict(entry)) return { type: str(entry.type, name), source: str(entry.source, name), target: str(entry.target, name) };
    const [source, target] = str(entry, `services.${name}.volumes`).split(':');
    const bind = /^[./~]/.test(source!);
    return { type: bind ? 'bind' : 'volume', source: source!, target: target ?? source! };
  });
}

function healthcheckText(name: string): string {
  const test = dict(service(name).healthcheck, `services.${name}.healthcheck`).test;
  return typeof test === 'string' ? test : list(test, `services.${name}.healthcheck.test`).join(' ');
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\S+)\s+(.*)$/.exec(line);
      return { keyword: match![1]!.toUpperCase(), args: match![2]!.replace(/\s+/g, ' ') };
    });
}

const instructions = dockerfileInstructions(dockerfileText);
const finalStage = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM'));

describe('docker-compose.yml', () => {
  it('is valid YAML without duplicate keys, and declares exactly the stack', () => {
    const doc = parseDocument(composeText, { merge: true, uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'temporal', 'temporal-ui', 'worker']);
  });

  it('pins the images: PostgreSQL 16, Temporal auto-setup 1.29.x on postgres12, the Temporal UI', () => {
    expect(service('postgres').image).toMatch(/^postgres:16(\.\d+)?(-[a-z]+)?$/);
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(environment('temporal')).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
    expect(environment('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(list(service('temporal-ui').ports, 'temporal-ui.ports').map(String).some((p) => p.endsWith(':8080'))).toBe(true);
  });

  it('builds api, worker and migrate from this folder’s Dockerfile, as one image', () => {
    const images = new Set<string>();
    for (const name of RACKRATE_PROCESSES) {
      const build = dict(service(name).build, `services.${name}.build`);
      expect(path.resolve(root, str(build.context, 'context'))).toBe(root);
      expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      if (build.target !== undefined) expect(instructions).toContainEqual({ keyword: 'FROM', args: expect.stringMatching(new RegExp(` AS ${String(build.target)}$`, 'i')) });
      images.add(str(service(name).image, `${name}.image`));
    }
    expect(images.size).toBe(1);
  });

  it('starts in order: migrate after a healthy postgres; api and worker after migrate and a healthy Temporal', () => {
    expect(dependsOn('migrate')).toMatchObject({ postgres: 'service_healthy' });
    expect(dependsOn('temporal')).toMatchObject({ postgres: 'service_healthy' });
    expect(Object.keys(dependsOn('temporal-ui'))).toContain('temporal');
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name)).toMatchObject({ migrate: 'service_completed_successfully', temporal: 'service_healthy' });
    }
    // Every dependency exists, and every "healthy" condition has a healthcheck to satisfy it.
    for (const name of Object.keys(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect(Object.keys(services)).toContain(dep);
        if (condition === 'service_healthy') expect(service(dep).healthcheck).toBeDefined();
      }
    }
  });

  it('restarts long-running services but runs migrate once', () => {
    for (const name of LONG_RUNNING) expect(`${name}: ${String(service(name).restart)}`).toBe(`${name}: unless-stopped`);
    expect([undefined, 'no']).toContain(service('migrate').restart);
  });

  it('connects Rackrate as the plain rackrate role to postgres, and to temporal:7233', () => {
    const superuser = environment('postgres').POSTGRES_USER ?? 'postgres';
    for (const name of RACKRATE_PROCESSES) {
      const env = environment(name);
      const url = new URL(env.DATABASE_URL!);
      expect({ name, protocol: url.protocol, user: url.username, host: url.hostname, port: url.port || '5432', db: url.pathname }).toEqual({
        name, protocol: 'postgres:', user: 'rackrate', host: 'postgres', port: '5432', db: '/rackrate',
      });
      expect(url.username).not.toBe(superuser);
      // The password the app uses is the one the init script gives the role.
      expect(decodeURIComponent(url.password)).toBe(environment('postgres').RACKRATE_DB_PASSWORD);
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      // The app's own validation accepts what the container will see.
      expect(() => loadConfig(env)).not.toThrow();
    }
  });

  it('serves the API on 0.0.0.0 at the published port, with a platform key the operator must set', () => {
    const env = environment('api');
    expect(env.HOST).toBe('0.0.0.0');
    const config = loadConfig(env);
    const ports = list(service('api').ports, 'api.ports').map((p) => interpolate(String(p), ENV));
    expect(ports).toContain(`3000:${config.port}`);
    expect(config.platformKey).toBe(ENV.RACKRATE_PLATFORM_KEY);
    expect(rawEnvironment('api').RACKRATE_PLATFORM_KEY).toMatch(/^\$\{RACKRATE_PLATFORM_KEY:\?[^}]+\}$/);
    expect(() => interpolate(composeText, { ...ENV, RACKRATE_PLATFORM_KEY: '' })).toThrow(/RACKRATE_PLATFORM_KEY/);
  });

  it('gives the worker valid task queues', () => {
    const queues = loadConfig(environment('worker')).taskQueues ?? [];
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) expect(isTaskQueueName(queue)).toBe(true);
  });

  it('health-checks the api over HTTP with node, postgres with pg_isready, Temporal with its CLI', () => {
    const port = loadConfig(environment('api')).port;
    const api = healthcheckText('api');
    expect(api).toMatch(new RegExp(`https?://(127\\.0\\.0\\.1|localhost):${port}/(health|ready)\\b`));
    expect(api).toMatch(/\bnode\b/);
    expect(api).not.toMatch(/\b(curl|wget)\b/);
    expect(healthcheckText('postgres')).toMatch(/\bpg_isready\b/);
    expect(healthcheckText('temporal')).toMatch(/\btemporal operator cluster health\b|\btctl\b.*\bcluster health\b/);
  });

  it('declares every named volume it mounts', () => {
    const declared = Object.keys(dict(compose.volumes ?? {}, 'volumes'));
    const used = Object.keys(services).flatMap((name) => volumes(name).filter((v) => v.type === 'volume').map((v) => v.source));
    expect(used.length).toBeGreaterThan(0);
    for (const volume of used) expect(declared).toContain(volume);
    expect(volumes('postgres')).toContainEqual(expect.objectContaining({ type: 'volume', target: '/var/lib/postgresql/data' }));
  });

  it('initialises PostgreSQL with non-superuser roles for Rackrate and Temporal', () => {
    const mount = volumes('postgres').find((v) => v.target === '/docker-entrypoint-initdb.d' || v.target.startsWith('/docker-entrypoint-initdb.d/'));
    expect(mount?.type).toBe('bind');
    const source = path.resolve(root, mount!.source);
    expect(existsSync(source)).toBe(true);
    const files = statSync(source).isDirectory()
      ? readdirSync(source).filter((f) => /\.(sh|sql)$/.test(f)).map((f) => path.join(source, f))
      : [source];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files.filter((f) => f.endsWith('.sh'))) expect(statSync(file).mode & 0o111).not.toBe(0);
    const sql = files.map((file) => readFileSync(file, 'utf8')).join('\n');

    const roleOptions = (role: string) => new RegExp(`CREATE ROLE ${role}\\b([^;]*);`, 'i').exec(sql)?.[1] ?? '';
    const rackrate = roleOptions('rackrate');
    expect(rackrate).toMatch(/\bLOGIN\b/);
    expect(rackrate).toMatch(/\bNOSUPERUSER\b/);
    expect(rackrate).toMatch(/\bNOBYPASSRLS\b/);
    expect(sql).toMatch(/CREATE DATABASE rackrate OWNER rackrate\b/i);

    // Temporal's own role; it creates no databases, so the script makes the ones auto-setup is told exist.
    const temporal = environment('temporal');
    expect(temporal.POSTGRES_USER).not.toBe(environment('postgres').POSTGRES_USER ?? 'postgres');
    expect(roleOptions(temporal.POSTGRES_USER!)).toMatch(/\bNOSUPERUSER\b/);
    expect(temporal.POSTGRES_PWD).toBe(environment('postgres').TEMPORAL_DB_PASSWORD);
    if (temporal.SKIP_DB_CREATE === 'true') {
      for (const db of [temporal.DBNAME ?? 'temporal', temporal.VISIBILITY_DBNAME ?? 'temporal_visibility']) {
        expect(sql).toMatch(new RegExp(`CREATE DATABASE ${db} OWNER ${temporal.POSTGRES_USER!}\\b`, 'i'));
      }
    }
  });

  it('runs only commands whose TypeScript source exists', () => {
    const tsconfig = dict(JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')), 'tsconfig.json');
    // tsc maps <rootDir>/x/y.ts to <outDir>/x/y.js.
    expect(dict(tsconfig.compilerOptions, 'compilerOptions')).toMatchObject({ rootDir: '.', outDir: 'dist' });
    const cmd = finalStage.find((i) => i.keyword === 'CMD');
    const commands = [...RACKRATE_PROCESSES.map(command), list(JSON.parse(cmd!.args), 'CMD').map((part) => str(part, 'CMD'))];
    const scripts = commands.flatMap((c) => c.filter((part) => /^dist\/.+\.js$/.test(part)));
    expect(scripts).toEqual(expect.arrayContaining(['dist/api/main.js', 'dist/workers/main.js', 'dist/scripts/migrate.js']));
    for (const script of scripts) {
      const source = script.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(`${script} → ${source}: ${existsSync(path.join(root, source))}`).toBe(`${script} → ${source}: true`);
    }
    for (const c of commands) expect(c[0]).toBe('node');
  });
});

describe('Dockerfile', () => {
  it('builds on node:24-bookworm-slim with npm ci and npm run build', () => {
    const args = new Map<string, string>();
    for (const i of instructions.slice(0, instructions.findIndex((x) => x.keyword === 'FROM'))) {
      const [name, value] = i.args.split('=');
      if (i.keyword === 'ARG' && value !== undefined) args.set(name!, value);
    }
    const bases = instructions
      .filter((i) => i.keyword === 'FROM')
      .map((i) => i.args.split(' ')[0]!.replace(/^\$\{?(\w+)\}?$/, (_, name: string) => args.get(name) ?? name));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toBe('node:24-bookworm-slim');
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    // An npm that reads package.json's allowScripts, pinned for repeatable installs.
    expect(dockerfileText).toMatch(/npm@(\$\{NPM_VERSION\}|11\.\d+\.\d+)/);
    expect(dockerfileText).toMatch(/ARG NPM_VERSION=11\.\d+\.\d+/);
  });

  it('runs the API by default, as an unprivileged user, with the compiled output', () => {
    const cmd = finalStage.find((i) => i.keyword === 'CMD');
    expect(JSON.parse(cmd!.args)).toEqual(['node', 'dist/api/main.js']);
    // The base image's entrypoint execs the command; an override must be exec-form too.
    for (const entrypoint of finalStage.filter((i) => i.keyword === 'ENTRYPOINT')) expect(entrypoint.args).toMatch(/^\[/);
    const user = finalStage.filter((i) => i.keyword === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(['root', '0']).not.toContain(user!.args);
    expect(finalStage.some((i) => i.keyword === 'COPY' && /\bdist\b/.test(i.args))).toBe(true);
  });

  it('.dockerignore keeps out build output, local data and secrets, but nothing the build needs', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim().replace(/\/$/, ''))
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.env', '.git']));
    const tsconfig = dict(JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')), 'tsconfig.json');
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', ...list(tsconfig.include, 'include').map((i) => str(i, 'include'))];
    for (const entry of needed) expect(ignored).not.toContain(entry);
  });
});

describe('docs/deployment.md', () => {
  it('names every variable the compose file requires', () => {
    const doc = readFileSync(path.join(root, 'docs', 'deployment.md'), 'utf8');
    const required = [...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*):?\?/g)].map((m) => m[1]!);
    expect(new Set(required)).toEqual(new Set(Object.keys(ENV)));
    for (const name of required) expect(doc).toContain(`\`${name}\``);
  });
});

/**
 * The compose-spec loader `docker compose config` uses (compose-go), run from
 * scripts/compose-check: schema validation, interpolation and merging,
 * without a Docker engine or the compose plugin. Needs Go (CI has it).
 */
function composeCheck(file: string, env: Record<string, string>) {
  return spawnSync('go', ['-C', path.join(root, 'scripts', 'compose-check'), 'run', '.', file], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

it('the compose-spec loader accepts the file, refuses it without a required secret, and rejects schema errors', () => {
  const file = path.join(root, 'docker-compose.yml');
  const ok = composeCheck(file, ENV);
  expect(ok.error).toBeUndefined();
  // The first run on a machine fetches compose-go through the module proxy and says so; nothing else may be printed.
  expect(ok.stderr.split('\n').filter((l) => l && !/^go: (downloading|finding|extracting) /.test(l))).toEqual([]);
  expect(ok.stdout).toMatch(/rackrate: 6 services valid/);
  expect(ok.status).toBe(0);

  const refused = composeCheck(file, { ...ENV, RACKRATE_PLATFORM_KEY: '' });
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/RACKRATE_PLATFORM_KEY/);

  // The loader really validates: a misspelt key fails the schema.
  const broken = path.join(mkdtempSync(path.join(os.tmpdir(), 'compose-')), 'docker-compose.yml');
  writeFileSync(broken, composeText.replace('restart: unless-stopped', 'restartt: unless-stopped'));
  const invalid = composeCheck(broken, ENV);
  expect(invalid.status).not.toBe(0);
  expect(invalid.stderr).toMatch(/restartt/);
}, 180_000);
