import { formatCatalogText } from '../../../domain/catalog/catalog-text';
import { applyCatalog } from '../../../services/catalog/catalog-apply';
import {
  applyCatalogSchema,
  catalogApplyResultRepresentation,
  catalogApplyResultSchema,
  catalogDocumentSchema,
  exportCatalogQuery,
} from '../../../services/catalog/catalog-as-code-schemas';
import { exportCatalog } from '../../../services/catalog/catalog-export';
import { tenantRoute } from '../../routing/route';

const tags = ['Catalog as code'];

export const catalogAsCodeRoutes = [
  tenantRoute({
    method: 'get', path: '/v1/catalog/export', operationId: 'exportCatalog', summary: 'Export the catalogue as a file', tags,
    description:
      'Products, billable metrics, plans and add-ons (with their current definition), bundles, coupons, promotion codes and asset ' +
      'types, sorted by code with keys in a fixed order: exporting an unchanged catalogue twice gives the same bytes, and ' +
      'applying the export changes nothing. `format=yaml` (default) answers application/yaml text; `format=json` answers the ' +
      'same document as an application/json object. See docs/catalog-as-code.md for the format.',
    auth: 'tenant', permission: 'read', query: exportCatalogQuery,
    // One route answers two media types and a route documents one: the range covers both, the handler sets which.
    success: {
      status: 200,
      description: 'The catalogue file: YAML by default, JSON with format=json',
      // The same document in both media types: YAML is how it is written, not a different shape.
      schema: catalogDocumentSchema,
      contentType: 'application/yaml',
      alternatives: [{ contentType: 'application/json', schema: catalogDocumentSchema }],
    },
    async handler({ tx, tenantId, query }) {
      const document = await exportCatalog(tx, tenantId, { includeArchived: query.include_archived === 'true' });
      if (query.format === 'json') return { status: 200, body: document, headers: { 'Content-Type': 'application/json; charset=utf-8' } };
      return { status: 200, body: formatCatalogText('yaml', document), headers: { 'Content-Type': 'application/yaml; charset=utf-8' } };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/catalog/apply', operationId: 'applyCatalog', summary: 'Apply a catalogue file', tags,
    description:
      'Validates the whole file (every problem at once, each with its path in the file: 400 validation_failed when an item ' +
      'breaks its schema, else 422 invalid_catalog), diffs it against the catalogue and, unless `dry_run`, applies every ' +
      'change in this one request: all or nothing. Items the catalogue has and the file does not are reported as ' +
      '`not_in_file` and left alone, never archived or deleted.',
    auth: 'tenant', permission: 'write', body: applyCatalogSchema,
    success: { status: 200, description: 'What changed (or, on a dry run, would change)', schema: catalogApplyResultSchema },
    errors: ['invalid_catalog', 'code_taken', 'catalog_item_archived'],
    async handler({ tx, change, body }) {
      const source = body.document !== undefined ? { document: body.document } : { format: body.format ?? 'yaml', content: body.content ?? '' };
      const result = await applyCatalog(tx, change, source, { dryRun: body.dry_run });
      return { status: 200, body: catalogApplyResultRepresentation(result) };
    },
  }),
];
