import { z } from 'zod';
import { bundleDiscountSchema, bundleItemsSchema } from '../../domain/catalog/bundle';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

export const createBundleSchema = z
  .strictObject({
    code: catalogCode,
    name: text(200),
    description: text(1000).nullish(),
    items: bundleItemsSchema,
    discount: bundleDiscountSchema.nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateBundle' });
export type CreateBundleInput = z.output<typeof createBundleSchema>;

export const updateBundleSchema = z
  .strictObject({
    name: text(200).optional(),
    description: text(1000).nullish(),
    items: bundleItemsSchema.optional(),
    discount: bundleDiscountSchema.nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateBundle', description: 'Changes apply to sign-ups from now on; running subscriptions are unaffected.' });
export type UpdateBundleInput = z.output<typeof updateBundleSchema>;

export const bundleSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('bundle'),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    items: z.object({ plan: z.string(), addons: z.array(z.object({ addon: z.string(), quantity: z.int() })) }),
    discount: z.object({ percent_off: z.string() }).nullable(),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(CATALOG_STATUSES),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'Bundle' });
