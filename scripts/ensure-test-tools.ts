import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findOnPath, findSchemathesis, findTemporalCli, findTestServer } from '../lib/tool-binaries';

/**
 * Run by `npm test` before jest: makes the tools the suites drive available.
 * The Temporal CLI and test server come from the environment, the PATH or
 * the cache; when missing and Go/Maven are installed they are built/fetched
 * into the cache once per machine, otherwise the SDK downloads them.
 * Schemathesis (API fuzzing) is installed into a cached virtualenv.
 */
function run(script: string): void {
  const result = spawnSync('bash', [path.join(__dirname, '..', '..', 'scripts', script)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed with status ${result.status}`);
}

if (findTemporalCli() === undefined) {
  if (findOnPath('go')) run('install-temporal-cli.sh');
  else console.log('Temporal CLI not found; the SDK will download it.');
}
if (findTestServer() === undefined) {
  if (findOnPath('mvn') && findOnPath('java')) run('install-temporal-test-server.sh');
  else console.log('Temporal test server not found; the SDK will download it.');
}
if (findSchemathesis() === undefined) {
  if (findOnPath('python3')) run('install-schemathesis.sh');
  else console.log('python3 not found: the API fuzz test (test/api/fuzz.test.ts) will fail; install python3.');
}
