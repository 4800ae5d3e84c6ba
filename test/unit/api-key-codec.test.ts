import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey, secretEquals } from '../../services/auth/api-key-codec';

describe('API key codec', () => {
  it('generates distinct keys with a lookup prefix and a SHA-256 digest', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.plaintext)).size).toBe(200);
    for (const key of keys) {
      expect(key.plaintext).toMatch(/^rr_[a-z0-9]{12}_[A-Za-z0-9]{32}$/);
      expect(apiKeyPrefix(key.plaintext)).toBe(key.prefix);
      expect(key.hash).toEqual(hashApiKey(key.plaintext));
      expect(apiKeyMatches(key.plaintext, key.hash)).toBe(true);
    }
  });

  it('rejects keys that are malformed or do not match', () => {
    const key = generateApiKey();
    expect(apiKeyPrefix('rr_short_secret')).toBeNull();
    expect(apiKeyPrefix(`${key.plaintext}x`)).toBeNull();
    expect(apiKeyPrefix(`Bearer ${key.plaintext}`)).toBeNull();
    expect(apiKeyMatches(generateApiKey().plaintext, key.hash)).toBe(false);
  });

  it('compares the platform key in constant time, exactly', () => {
    expect(secretEquals('platform-secret', 'platform-secret')).toBe(true);
    expect(secretEquals('platform-secret', 'platform-secreT')).toBe(false);
    expect(secretEquals('', 'platform-secret')).toBe(false);
  });
});
