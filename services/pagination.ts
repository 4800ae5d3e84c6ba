import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Keyset pagination over time-ordered (UUIDv7) ids, newest first. */
export interface PageRequest {
  limit: number;
  /** Return items older than this id (exclusive); null for the first page. */
  after: string | null;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export async function paginate<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: PageRequest,
): Promise<Page<T>> {
  if (page.after !== null) query.andWhere(`${alias}.id < :after`, { after: page.after });
  const rows = await query
    .orderBy(`${alias}.id`, 'DESC')
    .take(page.limit + 1)
    .getMany();
  return { items: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}
