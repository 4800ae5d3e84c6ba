import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the external tools are: the Temporal CLI and test server, and
 * schemathesis for the API fuzz test. The Temporal SDK downloads its binaries
 * itself on a machine that can reach its download site; where it cannot,
 * scripts/ builds the CLI with `go install` and fetches the Java test server
 * with Maven into the cache directory below (see README, "Temporal binaries").
 */
export function rackrateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RACKRATE_CACHE_DIR) return env.RACKRATE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'rackrate');
}

export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(rackrateCacheDir(env), 'bin', 'temporal');
}

export function cachedTestServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(rackrateCacheDir(env), 'temporal-test-server', 'temporal-test-server');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** TEMPORAL_CLI, then `temporal` on the PATH, then the cache; undefined means "let the SDK download it". */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI) return env.TEMPORAL_CLI;
  return findOnPath('temporal', env) ?? (isExecutable(cachedTemporalCliPath(env)) ? cachedTemporalCliPath(env) : undefined);
}

/** TEMPORAL_TEST_SERVER, then the cache; undefined means "let the SDK download it". */
export function findTestServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_TEST_SERVER) return env.TEMPORAL_TEST_SERVER;
  return isExecutable(cachedTestServerPath(env)) ? cachedTestServerPath(env) : undefined;
}

export function cachedSchemathesisPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(rackrateCacheDir(env), 'schemathesis-venv', 'bin', 'schemathesis');
}

/** SCHEMATHESIS, then the cache's virtualenv, then the PATH. */
export function findSchemathesis(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SCHEMATHESIS) return env.SCHEMATHESIS;
  return isExecutable(cachedSchemathesisPath(env)) ? cachedSchemathesisPath(env) : findOnPath('schemathesis', env);
}
