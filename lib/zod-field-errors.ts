import { z } from 'zod';
import type { FieldError, FieldLocation } from './errors';

/**
 * Turns zod issues into field errors a person can act on: every problem in
 * one response, each naming its field, its rule and the expectation.
 */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function describeIssue(issue: z.core.$ZodIssue): { code: string; message: string } {
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
  if (missing) return { code: 'required', message: 'is required' };
  switch (issue.code) {
    case 'invalid_type':
      return { code: 'invalid_type', message: `must be ${ARTICLE[issue.expected] ?? issue.expected}` };
    case 'invalid_value':
      // A schema's own message wins (long enumerations such as currencies name an example instead).
      if (!issue.message.startsWith('Invalid')) return { code: 'invalid_value', message: issue.message };
      return {
        code: 'invalid_value',
        message: `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'too_small':
      if (issue.message.startsWith('Too small')) {
        const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
        return { code: 'too_small', message: `must be at least ${String(issue.minimum)}${unit}` };
      }
      return { code: 'too_small', message: issue.message };
    case 'too_big':
      if (issue.message.startsWith('Too big')) {
        const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
        return { code: 'too_big', message: `must be at most ${String(issue.maximum)}${unit}` };
      }
      return { code: 'too_big', message: issue.message };
    case 'invalid_union':
      return { code: 'invalid_union', message: 'does not match any of the allowed shapes' };
    case 'invalid_format':
      return { code: 'invalid_format', message: issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : issue.message };
    case 'custom':
      return { code: 'invalid', message: issue.message };
    case 'invalid_key': {
      const inner = issue.issues[0];
      return { code: 'invalid_key', message: `has an invalid key: ${inner ? describeIssue(inner).message : 'not allowed'}` };
    }
    default:
      return { code: issue.code, message: issue.message };
  }
}

export function toFieldErrors(error: z.ZodError, location: FieldLocation): FieldError[] {
  const out: FieldError[] = [];
  const push = (e: FieldError) => {
    // One message per field: a value that fails its format also fails the checks after it.
    if (!out.some((seen) => seen.field === e.field)) out.push(e);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        push({ in: location, field: fieldPath([...issue.path, key]), code: 'unknown_field', message: 'is not a known field' });
      }
      continue;
    }
    // A discriminated union with a wrong or missing tag says so at the tag.
    if (issue.code === 'invalid_union' && issue.discriminator) {
      push({
        in: location,
        field: fieldPath(issue.path),
        code: 'invalid_value',
        message: 'is missing or not one of the allowed values',
      });
      continue;
    }
    const { code, message } = describeIssue(issue);
    push({ in: location, field: fieldPath(issue.path), code, message });
  }
  return out;
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  location: FieldLocation,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldError[] } {
  // reportInput lets a missing field be told apart from a wrong type.
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: toFieldErrors(result.error, location) };
}
