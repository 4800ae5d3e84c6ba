import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { DemoCredentials } from './demo/seed';

/**
 * Secrets `npm start` keeps in the data directory (mode 0600) so a second
 * start can print them again. For local use only; production passes the
 * platform key in RACKRATE_PLATFORM_KEY and never seeds a demo.
 */
export async function loadOrCreatePlatformKey(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = `rrp_${randomBytes(24).toString('base64url')}`;
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export async function readDemoCredentials(file: string): Promise<DemoCredentials | null> {
  if (!existsSync(file)) return null;
  return JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
}

export async function writeDemoCredentials(file: string, credentials: DemoCredentials): Promise<void> {
  await writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
}
