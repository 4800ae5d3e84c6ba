import { z } from 'zod';
import { ASSET_CATEGORIES, ASSET_STATES, assetPricesSchema } from '../../domain/catalog/asset-type';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { nonNegativeDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

export const createAssetTypeSchema = z
  .strictObject({
    code: catalogCode.meta({ example: 'xc-smf' }),
    name: text(200).meta({ example: 'Cross-connect, single-mode fiber' }),
    description: text(1000).nullish(),
    product: catalogCode.meta({ description: 'Product whose GL and tax codes the charges use.' }),
    category: z.enum(ASSET_CATEGORIES),
    prices: assetPricesSchema.meta({ example: { USD: { nrc: '500.00', mrc: '300.00' } } }),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateAssetType' });
export type CreateAssetTypeInput = z.output<typeof createAssetTypeSchema>;

export const updateAssetTypeSchema = z
  .strictObject({
    name: text(200).optional(),
    description: text(1000).nullish(),
    prices: assetPricesSchema.optional().meta({ description: 'Replaces the whole price book: give every currency to keep.' }),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateAssetType', description: 'New prices apply to assets ordered from now on; existing assets keep theirs.' });
export type UpdateAssetTypeInput = z.output<typeof updateAssetTypeSchema>;

export const assetTypeSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('asset_type'),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    product_id: uuid,
    category: z.enum(ASSET_CATEGORIES),
    prices: z.record(z.string(), z.object({ nrc: z.string(), mrc: z.string() })),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(CATALOG_STATUSES),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'AssetType' });

export const createAssetSchema = z
  .strictObject({
    account_id: uuid,
    asset_type: catalogCode,
    provider_asset_id: text(200).meta({ description: "Your id for the physical asset (DCIM/CMDB).", example: 'NYC1-CAB-0412' }),
    currency: currencyCode.optional().meta({ description: "Defaults to the account's currency." }),
    nrc: nonNegativeDecimal.optional().meta({ description: "Contract price; defaults to the asset type's price." }),
    mrc: nonNegativeDecimal.optional().meta({ description: "Contract price; defaults to the asset type's price." }),
    ordered_at: timestamp.optional().meta({ description: 'When it was ordered, for assets recorded after the fact (defaults to now).' }),
    description: text(500).nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateAsset' });
export type CreateAssetInput = z.output<typeof createAssetSchema>;

export const assetTransitionSchema = z
  .strictObject({ at: timestamp.optional().meta({ description: 'When it happened (defaults to now); not more than 5 minutes ahead.' }) })
  .optional()
  .meta({ id: 'AssetTransition', description: 'Optional: an empty or absent body means now.' });

export const assetSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('asset'),
    account_id: uuid,
    asset_type_id: uuid,
    provider_asset_id: z.string(),
    state: z.enum(ASSET_STATES),
    currency: z.string(),
    nrc: z.string(),
    mrc: z.string(),
    ordered_at: timestamp,
    activated_at: timestamp.nullable(),
    disconnected_at: timestamp.nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'Asset' });
