import type { FieldError, FieldLocation } from '../../lib/errors';

/**
 * PostgreSQL cannot store a NUL character in text or JSON, nor a lone UTF-16
 * surrogate (half of an emoji's pair, cut off). Such input is refused up
 * front, naming the field, instead of failing deep in a query (the API
 * fuzzer sent both).
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

function fieldPath(path: Array<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

export function unstorableText(value: unknown, location: FieldLocation, path: Array<string | number> = [], found: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) found.push({ in: location, field: fieldPath(path), code: 'invalid_characters', message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableText(item, location, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) found.push({ in: location, field: fieldPath([...path, key]), code: 'invalid_characters', message: `has a key that ${MESSAGE}` });
      unstorableText(inner, location, [...path, key], found);
    }
  }
  return found;
}
