import { canonicalJson } from '../../lib/canonical-json';
import { CATALOG_SECTIONS, STATE_FIELD, byCode, isActive, itemKey, itemType, type CatalogItemType, type CatalogSection, type FileItem } from './catalog-file';
import { problem, type CatalogProblem } from './catalog-problem';

/**
 * What applying a catalogue file would do, item by item, compared with the
 * tenant's catalogue: create, update (naming the fields), publish a new plan
 * version, nothing, or, for active items the file does not mention,
 * nothing either (`not_in_file`: a file never deletes or archives by
 * omission). Fields that cannot change once created are problems, not updates.
 */
export type ChangeAction = 'create' | 'update' | 'publish_version' | 'unchanged' | 'not_in_file';
export const CHANGE_ACTIONS: readonly ChangeAction[] = ['create', 'update', 'publish_version', 'unchanged', 'not_in_file'];

export interface CatalogChange {
  action: ChangeAction;
  section: CatalogSection;
  type: CatalogItemType;
  code: string;
  /** The item's position in the file ("plans[2]"), for not_in_file none. */
  index: number | null;
  /** Existing items' ids; filled in for created items once applied. */
  id: string | null;
  /** Changed fields of an update or publish_version, in a fixed order; `status`/`active` when it is archived/deactivated. */
  fields: string[];
  /** publish_version: the current version and the one the file's definition becomes. */
  from_version?: number;
  to_version?: number;
}

/** An item of the file that passed its schema, in its file form. */
export interface DesiredItem {
  index: number;
  file: FileItem;
}

/** An item of the catalogue, in its file form. */
export interface CurrentItem {
  id: string;
  file: FileItem;
  /** Plans: the current version number. */
  currentVersion?: number;
  /** Coupons: redemptions so far (a limit cannot go below them). */
  timesRedeemed?: number;
}

interface FieldRules {
  mutable: readonly string[];
  immutable: readonly string[];
  /** Where a change publishes a new version instead of updating (plans). */
  versioned?: string;
  /** Why the immutable fields are fixed, said after "cannot change once created". */
  because: string;
}

const RULES: Record<CatalogSection, FieldRules> = {
  products: { mutable: ['name', 'description', 'unit_label', 'gl_code', 'tax_code', 'metadata'], immutable: [], because: '' },
  billable_metrics: {
    mutable: ['name', 'description', 'unit_label'],
    immutable: ['event_name', 'aggregation', 'filters', 'group_by'],
    because: 'running subscriptions are billed on it; create a new metric (and plan version) instead',
  },
  plans: {
    mutable: ['name', 'description', 'metadata'],
    immutable: ['kind'],
    versioned: 'definition',
    because: 'a plan stays a plan and an add-on an add-on',
  },
  bundles: { mutable: ['name', 'description', 'items', 'discount', 'metadata'], immutable: [], because: '' },
  coupons: {
    mutable: ['name', 'max_redemptions', 'redeem_by', 'metadata'],
    immutable: ['discount', 'duration', 'duration_periods', 'applies_to'],
    because: 'redemptions rely on it; create a new coupon instead',
  },
  promotion_codes: {
    mutable: [],
    immutable: ['code', 'coupon', 'max_redemptions', 'expires_at', 'first_time_only'],
    because: 'customers hold it; deactivate it (active: false) and create another instead',
  },
  asset_types: {
    mutable: ['name', 'description', 'prices', 'metadata'],
    immutable: ['product', 'category'],
    because: 'assets and their invoices point at it; create a new asset type instead',
  },
};

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Short enough to read in one problem line. */
function shown(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function diffItem(section: CatalogSection, desired: DesiredItem, current: CurrentItem): { change: CatalogChange; problems: CatalogProblem[] } {
  const rules = RULES[section];
  const stateField = STATE_FIELD[section];
  const at = (field: string) => [section, desired.index, field];
  const type = itemType(section, current.file);
  const problems: CatalogProblem[] = [];
  const changed = (field: string) => !same(desired.file[field], current.file[field]);

  for (const field of rules.immutable.filter(changed)) {
    problems.push(problem(at(field), 'immutable_field', `cannot change once created (the catalogue has ${shown(current.file[field])}): ${rules.because}`));
  }
  const fields = [...rules.mutable, ...(rules.versioned ? [rules.versioned] : []), stateField].filter(changed);
  const change: CatalogChange = { action: 'unchanged', section, type, code: String(desired.file.code), index: desired.index, id: current.id, fields };
  if (fields.length === 0) return { change, problems };

  if (!isActive(section, current.file)) {
    const label = `${type.replace('_', ' ')} "${String(current.file.code)}"`;
    for (const field of fields) {
      problems.push(
        field === stateField
          ? problem(at(field), 'cannot_reactivate', `${label} is ${stateField === 'active' ? 'deactivated' : 'archived'} and cannot be made active again; use a new code`)
          : problem(at(field), 'archived_item', `cannot change: ${label} is ${stateField === 'active' ? 'deactivated' : 'archived'}`),
      );
    }
    return { change, problems };
  }
  if (section === 'coupons' && fields.includes('max_redemptions')) {
    const limit = desired.file.max_redemptions;
    const redeemed = current.timesRedeemed ?? 0;
    if (typeof limit === 'number' && limit < redeemed) {
      problems.push(problem(at('max_redemptions'), 'below_redemptions', `must be at least ${redeemed}, the redemptions already made`));
    }
  }
  if (rules.versioned && fields.includes(rules.versioned)) {
    const from = current.currentVersion ?? 1;
    return { change: { ...change, action: 'publish_version', from_version: from, to_version: from + 1 }, problems };
  }
  return { change: { ...change, action: 'update' }, problems };
}

/** Plans before add-ons (an add-on names the plans it applies to), then by code. */
function applyOrder(a: CatalogChange, b: CatalogChange): number {
  const rank = (c: CatalogChange) => (c.type === 'addon' ? 1 : 0);
  return rank(a) - rank(b) || byCode(a, b);
}

export interface CatalogDiff {
  changes: CatalogChange[];
  problems: CatalogProblem[];
}

/**
 * Compares the file's items with the catalogue's, section by section. The
 * changes come out in the order they must be applied: section order, plans
 * before add-ons, then by code; not_in_file items close their section.
 */
export function diffCatalog(
  desired: Record<CatalogSection, readonly DesiredItem[]>,
  current: Record<CatalogSection, ReadonlyMap<string, CurrentItem>>,
): CatalogDiff {
  const changes: CatalogChange[] = [];
  const problems: CatalogProblem[] = [];
  for (const section of CATALOG_SECTIONS) {
    const seen = new Set<string>();
    const sectionChanges: CatalogChange[] = [];
    for (const item of desired[section]) {
      const code = String(item.file.code);
      seen.add(itemKey(section, code));
      const existing = current[section].get(itemKey(section, code));
      if (!existing) {
        sectionChanges.push({ action: 'create', section, type: itemType(section, item.file), code, index: item.index, id: null, fields: [] });
        continue;
      }
      const result = diffItem(section, item, existing);
      sectionChanges.push(result.change);
      problems.push(...result.problems);
    }
    const missing: CatalogChange[] = [];
    for (const [key, item] of current[section]) {
      // Archived items are out of the catalogue already; a file without them is the usual case.
      if (seen.has(key) || !isActive(section, item.file)) continue;
      missing.push({ action: 'not_in_file', section, type: itemType(section, item.file), code: String(item.file.code), index: null, id: item.id, fields: [] });
    }
    changes.push(...sectionChanges.sort(applyOrder), ...missing.sort(applyOrder));
  }
  return { changes, problems };
}

export function summarize(changes: readonly CatalogChange[]): Record<ChangeAction, number> {
  const summary = { create: 0, update: 0, publish_version: 0, unchanged: 0, not_in_file: 0 };
  for (const change of changes) summary[change.action] += 1;
  return summary;
}
