import { z } from 'zod';
import { CATALOG_ITEM_TYPES, CATALOG_SECTIONS } from '../../domain/catalog/catalog-file';
import { CHANGE_ACTIONS, type ChangeAction } from '../../domain/catalog/catalog-diff';
import { CATALOG_FORMATS } from '../../domain/catalog/catalog-text';
import { uuid } from '../../lib/schema-primitives';
import type { CatalogApplyResult } from './catalog-apply';

/** Wire schemas of catalogue export and apply (docs/catalog-as-code.md). */

export const exportCatalogQuery = z.strictObject({
  format: z.enum(CATALOG_FORMATS).default('yaml').meta({ description: 'yaml: the file as application/yaml text; json: the same document as a JSON object.' }),
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .meta({ description: 'Also export archived items (with `status: archived`) and deactivated promotion codes (`active: false`).' }),
});

const items = (what: string) =>
  z.array(z.record(z.string(), z.unknown())).meta({ description: `${what}, sorted by code.` });

/**
 * The catalogue file as export writes it. Items are documented loosely here:
 * each is the create body of its kind (plus `status`, or `active` for
 * promotion codes) with unset and default fields left out.
 */
export const catalogDocumentSchema = z
  .strictObject({
    rackrate_catalog: z.literal(1).meta({ description: 'The file format version.' }),
    products: items('CreateProduct bodies'),
    billable_metrics: items('CreateBillableMetric bodies'),
    plans: items('CreatePlan bodies (plans and add-ons), each with its current definition'),
    bundles: items('CreateBundle bodies'),
    coupons: items('CreateCoupon bodies'),
    promotion_codes: items('CreatePromotionCode bodies, naming their coupon by code'),
    asset_types: items('CreateAssetType bodies, naming their product by code'),
  })
  .meta({ id: 'CatalogFile', description: 'A catalogue file (docs/catalog-as-code.md).' });

export const applyCatalogSchema = z
  .strictObject({
    format: z.enum(CATALOG_FORMATS).optional().meta({ description: 'How `content` is written; required with `content`.' }),
    content: z.string().optional().meta({ description: 'The catalogue file as text (YAML or JSON).', example: 'rackrate_catalog: 1\nproducts:\n  - code: cabinet\n    name: Full cabinet (42U)\n' }),
    document: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'The catalogue file as a JSON object, instead of `content`.' }),
    dry_run: z.boolean().default(false).meta({ description: 'Report the changes without making them.' }),
  })
  .superRefine((body, ctx) => {
    if ((body.content === undefined) === (body.document === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'give exactly one of content (the file as text) and document (the file as an object)' });
    }
    if (body.content !== undefined && body.format === undefined) {
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'is required with content: yaml or json' });
    }
  })
  .meta({ id: 'ApplyCatalog' });
export type ApplyCatalogInput = z.output<typeof applyCatalogSchema>;

const changeSchema = z
  .strictObject({
    action: z.enum(CHANGE_ACTIONS as [ChangeAction, ...ChangeAction[]]),
    type: z.enum(CATALOG_ITEM_TYPES),
    code: z.string(),
    path: z.string().nullable().meta({ description: 'Where the item is in the file, e.g. plans[2]; null for not_in_file.', example: 'plans[2]' }),
    id: uuid.nullable().meta({ description: "The item's id; null for an item a dry run would create." }),
    fields: z.array(z.string()).meta({ description: 'update and publish_version: the fields that change.' }),
    from_version: z.int().optional().meta({ description: 'publish_version: the current version.' }),
    to_version: z.int().optional().meta({ description: 'publish_version: the version the file publishes.' }),
  })
  .meta({ id: 'CatalogChange' });

export const catalogApplyResultSchema = z
  .strictObject({
    object: z.literal('catalog_apply_result'),
    dry_run: z.boolean(),
    applied: z.boolean().meta({ description: 'Whether the changes were made (false on a dry run).' }),
    changes: z.array(changeSchema).meta({ description: `In the order they apply: ${CATALOG_SECTIONS.join(', ')}.` }),
    summary: z.strictObject({
      create: z.int(),
      update: z.int(),
      publish_version: z.int(),
      unchanged: z.int(),
      not_in_file: z.int(),
    }),
  })
  .meta({ id: 'CatalogApplyResult' });

export function catalogApplyResultRepresentation(result: CatalogApplyResult) {
  return {
    object: 'catalog_apply_result' as const,
    dry_run: result.dryRun,
    applied: result.applied,
    changes: result.changes.map((c) => ({
      action: c.action,
      type: c.type,
      code: c.code,
      path: c.index === null ? null : `${c.section}[${c.index}]`,
      id: c.id,
      fields: c.fields,
      ...(c.from_version === undefined ? {} : { from_version: c.from_version, to_version: c.to_version }),
    })),
    summary: result.summary,
  };
}
