import type { EntityManager } from 'typeorm';
import { Invoice } from '../../db/entities/invoicing/invoice';
import type { InvoiceStatus } from '../../domain/invoicing/invoice-document';
import { notFound } from '../../lib/errors';
import { paginate, type Page, type PageRequest } from '../pagination';

export interface InvoiceFilter {
  accountId?: string | undefined;
  status?: InvoiceStatus | undefined;
  kind?: 'cycle' | 'one_off' | undefined;
}

export async function getInvoice(tx: EntityManager, tenantId: string, id: string): Promise<Invoice> {
  const invoice = await tx.findOneBy(Invoice, { tenantId, id });
  if (!invoice) throw notFound('invoice', id);
  return invoice;
}

export async function listInvoices(tx: EntityManager, tenantId: string, filter: InvoiceFilter, page: PageRequest): Promise<Page<Invoice>> {
  const query = tx.createQueryBuilder(Invoice, 'i').where('i.tenant_id = :tenantId', { tenantId });
  if (filter.accountId) query.andWhere('i.account_id = :accountId', { accountId: filter.accountId });
  if (filter.status) query.andWhere('i.status = :status', { status: filter.status });
  if (filter.kind) query.andWhere('i.kind = :kind', { kind: filter.kind });
  return paginate(query, 'i', page);
}
