import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key format: `rr_<12 lowercase alphanumerics>_<32 base62>`. The part up
 * to the second underscore is the public prefix (stored, shown in lists and
 * logs, used to find the row); the whole key is only ever stored as its
 * SHA-256 digest. A plain fast digest is right here: the secret has ~190
 * bits of entropy, so there is nothing for a slow KDF to protect against,
 * and every API request verifies one.
 */
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_PATTERN = /^(rr_[a-z0-9]{12})_[A-Za-z0-9]{32}$/;

function randomString(alphabet: string, length: number): string {
  // Rejection sampling keeps every character uniformly likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export interface GeneratedApiKey {
  plaintext: string;
  prefix: string;
  hash: Buffer;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = `rr_${randomString(PREFIX_ALPHABET, 12)}`;
  const plaintext = `${prefix}_${randomString(SECRET_ALPHABET, 32)}`;
  return { plaintext, prefix, hash: hashApiKey(plaintext) };
}

export function hashApiKey(plaintext: string): Buffer {
  return createHash('sha256').update(plaintext).digest();
}

/** The lookup prefix of a well-formed key, or null for anything else. */
export function apiKeyPrefix(presented: string): string | null {
  return KEY_PATTERN.exec(presented)?.[1] ?? null;
}

export function apiKeyMatches(presented: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(presented);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/** Constant-time comparison for the platform key, which is configured, not stored. */
export function secretEquals(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
