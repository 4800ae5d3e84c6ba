import type { EntityManager } from 'typeorm';
import { Product } from '../../db/entities/catalog/product';
import { notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { CreateProductInput, UpdateProductInput } from './product-schemas';
import { archived, codeTaken, insertUnique, loadForUpdate, saveChange } from './store';

export function productRepresentation(p: Product) {
  return {
    id: p.id,
    object: 'product' as const,
    code: p.code,
    name: p.name,
    description: p.description,
    unit_label: p.unitLabel,
    gl_code: p.glCode,
    tax_code: p.taxCode,
    metadata: p.metadata,
    status: p.status,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    version: p.version,
  };
}

export async function createProduct(tx: EntityManager, ctx: ChangeContext, input: CreateProductInput): Promise<Product> {
  const product = tx.create(Product, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    unitLabel: input.unit_label ?? null,
    glCode: input.gl_code ?? null,
    taxCode: input.tax_code ?? null,
    metadata: input.metadata ?? {},
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, Product, product, () => codeTaken('product', input.code));
  await recordChange(tx, ctx, { action: 'product.created', resourceType: 'product', resourceId: product.id, before: null, after: productRepresentation(product) });
  return product;
}

export async function getProduct(tx: EntityManager, tenantId: string, id: string): Promise<Product> {
  const product = await tx.findOneBy(Product, { tenantId, id });
  if (!product) throw notFound('product', id);
  return product;
}

export async function listProducts(tx: EntityManager, tenantId: string, status: 'active' | 'archived' | 'all', page: PageRequest): Promise<Page<Product>> {
  const query = tx.createQueryBuilder(Product, 'p').where('p.tenant_id = :tenantId', { tenantId });
  if (status !== 'all') query.andWhere('p.status = :status', { status });
  return paginate(query, 'p', page);
}

export async function updateProduct(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateProductInput): Promise<Product> {
  const product = await loadForUpdate(tx, Product, ctx.tenantId, id, 'product');
  if (product.status === 'archived') throw archived('product', product.code);
  return saveChange(tx, ctx, Product, product, {
    action: 'product.updated',
    resourceType: 'product',
    represent: productRepresentation,
    mutate: (p) => {
      if (patch.name !== undefined) p.name = patch.name;
      if (patch.description !== undefined) p.description = patch.description;
      if (patch.unit_label !== undefined) p.unitLabel = patch.unit_label;
      if (patch.gl_code !== undefined) p.glCode = patch.gl_code;
      if (patch.tax_code !== undefined) p.taxCode = patch.tax_code;
      if (patch.metadata !== undefined) p.metadata = patch.metadata;
    },
  });
}

/** Archived products stay on existing plan versions and invoices; new plan versions cannot use them. */
export async function archiveProduct(tx: EntityManager, ctx: ChangeContext, id: string): Promise<Product> {
  const product = await loadForUpdate(tx, Product, ctx.tenantId, id, 'product');
  return saveChange(tx, ctx, Product, product, {
    action: 'product.archived',
    resourceType: 'product',
    represent: productRepresentation,
    mutate: (p) => {
      p.status = 'archived';
    },
  });
}
