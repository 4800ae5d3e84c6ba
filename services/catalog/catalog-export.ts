import type { EntityManager } from 'typeorm';
import { CATALOG_SECTIONS, catalogDocument, compactItem, isActive, type CatalogDocument, type CatalogSection, type FileItem } from '../../domain/catalog/catalog-file';
import { readItem } from './catalog-read';
import { loadCatalogState } from './catalog-state';

/**
 * The tenant's catalogue as a file: active items (archived ones too on
 * request), sorted by code, fields in a fixed order, so exporting an
 * unchanged catalogue twice gives the same bytes and applying the export
 * changes nothing. Each item is read back through the same schema apply
 * uses, so what export writes is exactly what apply expects (nested keys in
 * schema order, decimals as stored).
 */
export interface ExportCatalogOptions {
  includeArchived: boolean;
}

function canonical(section: CatalogSection, item: FileItem): FileItem {
  const read = readItem(section, compactItem(section, item));
  // An item stored before a schema change may no longer read; it is exported as stored.
  return read.ok ? read.file : item;
}

export async function exportCatalog(tx: EntityManager, tenantId: string, options: ExportCatalogOptions): Promise<CatalogDocument> {
  const state = await loadCatalogState(tx, tenantId);
  const items = Object.fromEntries(
    CATALOG_SECTIONS.map((section) => [
      section,
      [...state[section].values()]
        .filter((item) => options.includeArchived || isActive(section, item.file))
        .map((item) => canonical(section, item.file)),
    ]),
  ) as Record<CatalogSection, FileItem[]>;
  return catalogDocument(items);
}
