import { z } from 'zod';

/** Catalogue items are never deleted (invoices and versions point at them): they are archived. */
export const CATALOG_STATUSES = ['active', 'archived'] as const;
export type CatalogStatus = (typeof CATALOG_STATUSES)[number];

/**
 * The stable handle of a catalogue item, used in plan definitions and in
 * catalogue files: lower-case, digits, `_`, `.` and `-`, up to 63 characters.
 */
export const catalogCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be 1-63 lower-case letters, digits, "_", "." or "-", starting with a letter or digit')
  .meta({ example: 'cabinet-full' });
