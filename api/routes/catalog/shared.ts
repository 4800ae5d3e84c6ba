import { z } from 'zod';
import { uuid } from '../../../lib/schema-primitives';
import { listQueryFields } from '../../routing/pagination';

export const idParams = z.strictObject({ id: uuid });

/** List query of archivable catalogue items: active by default. */
export const catalogListQuery = z.strictObject({
  ...listQueryFields,
  status: z.enum(['active', 'archived', 'all']).default('active'),
});

export const created = (path: string, id: string, body: unknown) => ({ status: 201, body, headers: { Location: `${path}/${id}` } });
