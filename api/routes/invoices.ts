import { z } from 'zod';
import { getInvoice, listInvoices } from '../../services/invoicing/invoice-queries';
import { invoiceRepresentation, invoiceSummary } from '../../services/invoicing/invoice-representation';
import { createOneOffInvoiceSchema, invoiceListQuery, invoiceSchema, invoiceSummarySchema, updateInvoiceSchema } from '../../services/invoicing/invoice-schemas';
import { deleteDraft, finalizeInvoice, markUncollectible, updateDraft, voidInvoice } from '../../services/invoicing/invoice-lifecycle';
import { refreshInvoice } from '../../services/invoicing/invoice-drafts';
import { invoiceHtml, invoicePdf } from '../../services/invoicing/invoice-rendering';
import { createOneOffInvoice } from '../../services/invoicing/one-off-charges';
import { upcomingInvoice } from '../../services/invoicing/upcoming-invoice';
import { RackrateError } from '../../lib/errors';
import { timestamp, uuid } from '../../lib/schema-primitives';
import { accountStatement } from '../../services/invoicing/statements';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { created, idParams } from './catalog/shared';

const tags = ['Invoices'];

const statementSchema = z
  .object({
    object: z.literal('statement'),
    account_id: uuid,
    billing_account_id: uuid,
    currency: z.string(),
    from: z.string(),
    to: z.string(),
    opening_balance: z.string(),
    closing_balance: z.string(),
    entries: z.array(z.object({
      date: z.string(), type: z.enum(['invoice', 'payment', 'credit_note', 'void']), reference: z.string(), description: z.string(),
      amount: z.string(), balance: z.string(), invoice_id: uuid,
    })),
    open_invoices: z.array(z.object({
      invoice_id: uuid, number: z.string(), issued_at: z.string(), due_at: z.string(), status: z.string(), amount_remaining: z.string(), days_past_due: z.number().int(),
    })),
    aging: z.object({ current: z.string(), '1_30': z.string(), '31_60': z.string(), '61_90': z.string(), over_90: z.string() }),
    credit_balance: z.string(),
  })
  .meta({ id: 'Statement' });

const upcomingSchema = z
  .object({
    account_id: uuid,
    billing_account_id: uuid,
    draft_invoice_id: uuid.nullable(),
    bill_date: z.string(),
    estimated_line_keys: z.array(z.string()),
    document: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'UpcomingInvoice' });

/** Invoices (docs/invoicing.md): reading, one-off invoices, the draft → finalised → paid/void/uncollectible life cycle, documents. */
export const invoiceRoutes = [
  tenantRoute({
    method: 'get', path: '/v1/invoices', operationId: 'listInvoices', summary: 'List invoices', tags,
    auth: 'tenant', permission: 'read', query: z.strictObject({ ...listQueryFields, ...invoiceListQuery }),
    success: { status: 200, description: 'A page of invoices, newest first', schema: listSchema(invoiceSummarySchema, 'InvoiceList') },
    async handler({ tx, tenantId, query }) {
      const page = await listInvoices(tx, tenantId, { accountId: query.account_id, status: query.status, kind: query.kind }, pageRequest(query));
      return { status: 200, body: listBody(page, invoiceSummary) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/invoices', operationId: 'createOneOffInvoice', summary: 'Create a one-off invoice', tags,
    description: "An invoice outside the billing cycle (hardware, an upfront setup fee) with the given items as its lines, in the account's currency. A draft unless `finalize`.",
    auth: 'tenant', permission: 'write', body: createOneOffInvoiceSchema,
    success: { status: 201, description: 'The invoice', schema: invoiceSchema }, errors: ['not_found', 'account_archived', 'account_currency_mismatch'],
    async handler({ tx, change, body }) {
      const invoice = await createOneOffInvoice(tx, change, body);
      return created('/v1/invoices', invoice.id, invoiceRepresentation(invoice));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/invoices/{id}', operationId: 'getInvoice', summary: 'Retrieve an invoice', tags,
    description: 'The invoice as JSON: header, totals, lines grouped per account (with the rating breakdown and 95th-percentile facts), taxes.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: invoiceRepresentation(await getInvoice(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/invoices/{id}/pdf', operationId: 'getInvoicePdf', summary: 'Download the invoice PDF', tags,
    description: 'Branded PDF in the customer’s locale and currency, with a graph per burstable-bandwidth line. A finalised invoice’s PDF is rendered once and always returns the same bytes.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The PDF', schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' },
    async handler({ tx, tenantId, params }) {
      const invoice = await getInvoice(tx, tenantId, params.id);
      const pdf = await invoicePdf(tx, tenantId, invoice);
      const name = invoice.number ?? `draft-${invoice.id}`;
      return { status: 200, body: pdf, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}.pdf"` } };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/invoices/{id}/html', operationId: 'getInvoiceHtml', summary: 'View the invoice as HTML', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'One self-contained HTML page', schema: z.string(), contentType: 'text/html' },
    async handler({ tx, tenantId, params }) {
      const invoice = await getInvoice(tx, tenantId, params.id);
      return { status: 200, body: await invoiceHtml(tx, tenantId, invoice), headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/invoices/{id}', operationId: 'updateInvoice', summary: "Change a draft's PO number, memo or automatic finalisation", tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateInvoiceSchema,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema }, errors: ['invoice_finalized'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: invoiceRepresentation(await updateDraft(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'delete', path: '/v1/invoices/{id}', operationId: 'deleteInvoiceDraft', summary: 'Delete a one-off draft invoice', tags,
    description: 'Its charges are released and wait for the next invoice. Cycle drafts are refreshed or finalised, not deleted; finalised invoices are voided.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 204, description: 'Deleted' }, errors: ['invoice_finalized', 'invoice_state_conflict'],
    async handler({ tx, change, params }) {
      await deleteDraft(tx, change, params.id);
      return { status: 204, body: null };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/refresh', operationId: 'refreshInvoice', summary: 'Rebuild a draft from its sources', tags,
    description: 'Charges recorded since the draft was built (late usage, a renewal that ran late) land on it; totals and tax follow. Drafts are also refreshed at finalisation.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema }, errors: ['invoice_finalized'],
    async handler({ tx, change, params }) {
      return { status: 200, body: invoiceRepresentation(await refreshInvoice(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/finalize', operationId: 'finalizeInvoice', summary: 'Finalise a draft now', tags,
    description: 'Gives the next gapless number, sets the issue date (now) and the due date (payment terms), applies the credit balance. From then on the invoice never changes.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema }, errors: ['invoice_state_conflict'],
    async handler({ tx, change, params }) {
      return { status: 200, body: invoiceRepresentation(await finalizeInvoice(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/void', operationId: 'voidInvoice', summary: 'Void an unpaid invoice', tags,
    description: 'For an open or uncollectible invoice with no payments or credit notes. The number stays used; the charges are not billed again; credit balance it used is restored.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema }, errors: ['invoice_state_conflict'],
    async handler({ tx, change, params }) {
      return { status: 200, body: invoiceRepresentation(await voidInvoice(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/mark_uncollectible', operationId: 'markInvoiceUncollectible', summary: 'Mark an invoice uncollectible', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The invoice', schema: invoiceSchema }, errors: ['invoice_state_conflict'],
    async handler({ tx, change, params }) {
      return { status: 200, body: invoiceRepresentation(await markUncollectible(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/upcoming_invoice', operationId: 'getUpcomingInvoice', summary: "Preview the account's next invoice", tags,
    description: 'Built now by the same code as the real invoice: waiting charges plus estimates (usage to date, fixed fees in advance of periods starting by the bill date, keys `estimate:…`). Saves nothing.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The preview', schema: upcomingSchema },
    async handler({ tx, tenantId, params, now }) {
      return { status: 200, body: await upcomingInvoice(tx, tenantId, params.id, now) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/statement', operationId: 'getAccountStatement', summary: 'Statement of account', tags,
    description:
      "The account's billing account: what it owed at `from`, every invoice, payment, credit note and void until `to` with a running balance, " +
      'what it owes at `to`, its open invoices aged by days past due, and its credit balance. Default window: the last 90 days.',
    auth: 'tenant', permission: 'read', params: idParams,
    query: z.strictObject({ from: timestamp.optional(), to: timestamp.optional() }),
    success: { status: 200, description: 'The statement', schema: statementSchema },
    async handler({ tx, tenantId, params, query, now }) {
      const to = query.to ? new Date(query.to) : now;
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 90 * 86_400_000);
      if (from >= to) {
        throw new RackrateError('validation_failed', 'from must be before to.', { errors: [{ in: 'query', field: 'from', code: 'range', message: 'must be before to' }] });
      }
      return { status: 200, body: await accountStatement(tx, tenantId, params.id, from, to, now) };
    },
  }),
];
