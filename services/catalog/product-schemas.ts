import { z } from 'zod';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

const fields = {
  name: text(200).meta({ example: 'Full cabinet (42U)' }),
  description: text(1000).nullish(),
  unit_label: text(50).nullish().meta({ example: 'cabinet' }),
  gl_code: text(50).nullish().meta({ description: 'General-ledger revenue account.', example: '4010' }),
  tax_code: text(50).nullish().meta({ description: 'Tax category used by the tax engine.', example: 'colocation' }),
  metadata: metadataSchema.optional(),
};

export const createProductSchema = z.strictObject({ code: catalogCode, ...fields }).meta({ id: 'CreateProduct' });
export type CreateProductInput = z.output<typeof createProductSchema>;

export const updateProductSchema = z
  .strictObject({ ...fields, name: fields.name.optional() })
  .meta({ id: 'UpdateProduct', description: 'The code cannot change: plans refer to it.' });
export type UpdateProductInput = z.output<typeof updateProductSchema>;

export const productSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('product'),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    unit_label: z.string().nullable(),
    gl_code: z.string().nullable(),
    tax_code: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(CATALOG_STATUSES),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'Product' });
