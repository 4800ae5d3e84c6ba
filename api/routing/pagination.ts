import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageRequest } from '../../services/pagination';
import { isUuid } from '../../lib/ids';

/**
 * Cursor pagination for every list: `limit` (1-100, default 20) and an
 * opaque `cursor` taken from the previous page's `next_cursor`. Lists are
 * newest first; a cursor stays valid while items are added.
 */
const CURSOR_VERSION = 'v1:';

export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_VERSION}${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string | null {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_VERSION)) return null;
  const id = decoded.slice(CURSOR_VERSION.length);
  return isUuid(id) ? id : null;
}

export const listQueryFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .meta({ description: `Items per page, 1-${MAX_PAGE_LIMIT}.` }),
  cursor: z
    .string()
    .max(200)
    .refine((c) => decodeCursor(c) !== null, 'is not a cursor returned by this API')
    .optional()
    .meta({ description: 'The next_cursor of the previous page.' }),
};

export function pageRequest(query: { limit: number; cursor?: string | undefined }): PageRequest {
  return { limit: query.limit, after: query.cursor === undefined ? null : decodeCursor(query.cursor) };
}

export function listBody<T extends { id: string }, R>(page: Page<T>, represent: (item: T) => R) {
  const last = page.items[page.items.length - 1];
  return {
    object: 'list' as const,
    data: page.items.map(represent),
    has_more: page.hasMore,
    next_cursor: page.hasMore && last ? encodeCursor(last.id) : null,
  };
}

export function listSchema(item: z.ZodType, id: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z.string().nullable(),
    })
    .meta({ id });
}
