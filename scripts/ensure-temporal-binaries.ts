import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findTemporalCli, findTestServer } from '../lib/temporal/binaries';

/**
 * Run before the tests: makes the Temporal CLI and test server available.
 * When neither the environment, the PATH nor the cache has them and Go/Maven
 * are installed, builds/fetches them into the cache (once per machine).
 * Otherwise leaves it to the SDK to download them.
 */
function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(script: string): void {
  const result = spawnSync('bash', [path.join(__dirname, '..', '..', 'scripts', script)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed with status ${result.status}`);
}

if (findTemporalCli() === undefined) {
  if (has('go')) run('install-temporal-cli.sh');
  else console.log('Temporal CLI not found; the SDK will download it.');
}
if (findTestServer() === undefined) {
  if (has('mvn') && has('java')) run('install-temporal-test-server.sh');
  else console.log('Temporal test server not found; the SDK will download it.');
}
