import { z } from 'zod';
import { uuid } from '../../lib/schema-primitives';
import { creditBalanceEntrySchema, creditBalanceSchema, grantCreditSchema } from '../../services/invoicing/credit-balance-schemas';
import { creditBalanceRepresentation, creditEntryRepresentation, getCreditBalance, grantCredit } from '../../services/invoicing/credit-balance';
import { createCreditNoteSchema, creditNoteSchema } from '../../services/invoicing/credit-note-schemas';
import { createCreditNote, creditNoteRepresentation, getCreditNote, listCreditNotes } from '../../services/invoicing/credit-notes';
import { invoicePaymentSchema, recordPaymentSchema } from '../../services/invoicing/invoice-payment-schemas';
import { listPayments, paymentRepresentation, recordPayment } from '../../services/invoicing/invoice-payments';
import { renderCreditNoteHtml } from '../../services/invoicing/documents';
import { creditNotePdf } from '../../services/invoicing/invoice-rendering';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { created, idParams } from './catalog/shared';

/** Credit notes, the account credit balance and payments recorded against invoices (docs/invoicing.md). */
const creditNoteTags = ['Credit notes'];

export const creditNoteRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/credit_notes', operationId: 'createCreditNote', summary: 'Credit a finalised invoice', tags: creditNoteTags,
    description:
      'Credits named charge lines (each at most what is left of it, with its share of tax) or, without `lines`, everything the invoice has left. ' +
      'The total first reduces what the invoice still owes (it becomes paid when nothing remains); the rest goes to the credit balance or, ' +
      'with outcome refund, is recorded as owed back to the customer.',
    auth: 'tenant', permission: 'write', params: idParams, body: createCreditNoteSchema,
    success: { status: 201, description: 'The credit note', schema: creditNoteSchema }, errors: ['invoice_state_conflict', 'credit_exceeds_invoice'],
    async handler({ tx, change, params, body }) {
      const note = await createCreditNote(tx, change, params.id, body);
      return created('/v1/credit_notes', note.id, creditNoteRepresentation(note));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/credit_notes', operationId: 'listCreditNotes', summary: 'List credit notes', tags: creditNoteTags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, invoice_id: uuid.optional(), account_id: uuid.optional() }),
    success: { status: 200, description: 'A page of credit notes, newest first', schema: listSchema(creditNoteSchema, 'CreditNoteList') },
    async handler({ tx, tenantId, query }) {
      const page = await listCreditNotes(tx, tenantId, { invoiceId: query.invoice_id, accountId: query.account_id }, pageRequest(query));
      return { status: 200, body: listBody(page, creditNoteRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/credit_notes/{id}', operationId: 'getCreditNote', summary: 'Retrieve a credit note', tags: creditNoteTags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The credit note with its lines', schema: creditNoteSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: creditNoteRepresentation(await getCreditNote(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/credit_notes/{id}/pdf', operationId: 'getCreditNotePdf', summary: 'Download the credit note PDF', tags: creditNoteTags,
    description: 'Branded like the invoice it credits; rendered once and stored, so every download returns the same bytes.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The PDF', schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' },
    async handler({ tx, tenantId, params }) {
      const note = await getCreditNote(tx, tenantId, params.id);
      const pdf = await creditNotePdf(tx, tenantId, note);
      return { status: 200, body: pdf, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${note.number}.pdf"` } };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/credit_notes/{id}/html', operationId: 'getCreditNoteHtml', summary: 'View the credit note as HTML', tags: creditNoteTags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'One self-contained HTML page', schema: z.string(), contentType: 'text/html' },
    async handler({ tx, tenantId, params }) {
      const note = await getCreditNote(tx, tenantId, params.id);
      return { status: 200, body: renderCreditNoteHtml(note.document), headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    },
  }),
];

const balanceTags = ['Credit balance'];

export const creditBalanceRoutes = [
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/credit_balance', operationId: 'getCreditBalance', summary: "Retrieve an account's credit balance", tags: balanceTags,
    description: 'The balance in the account currency and its latest 50 movements. Finalised invoices use the balance before asking for payment.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The balance', schema: creditBalanceSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: creditBalanceRepresentation(await getCreditBalance(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/accounts/{id}/credits', operationId: 'grantCredit', summary: 'Grant credit to an account', tags: balanceTags,
    description: 'Adds prepaid credit or an adjustment to the balance. Send an Idempotency-Key: a retried grant then returns the first instead of granting twice.',
    auth: 'tenant', permission: 'write', params: idParams, body: grantCreditSchema,
    success: { status: 201, description: 'The new balance entry', schema: creditBalanceEntrySchema }, errors: ['account_archived', 'account_currency_mismatch'],
    async handler({ tx, change, params, body }) {
      const entry = await grantCredit(tx, change, params.id, body);
      return { status: 201, body: creditEntryRepresentation(entry), headers: { Location: `/v1/accounts/${params.id}/credit_balance` } };
    },
  }),
];

const paymentTags = ['Invoice payments'];

export const invoicePaymentRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/invoices/{id}/payments', operationId: 'recordInvoicePayment', summary: 'Record a payment against an invoice', tags: paymentTags,
    description: 'A check, ACH transfer, wire… received outside a gateway. The invoice becomes partially paid, or paid when nothing remains (an uncollectible invoice stays uncollectible until paid in full).',
    auth: 'tenant', permission: 'write', params: idParams, body: recordPaymentSchema,
    success: { status: 201, description: 'The payment', schema: invoicePaymentSchema }, errors: ['invoice_state_conflict', 'account_currency_mismatch', 'payment_exceeds_balance'],
    async handler({ tx, change, params, body }) {
      const payment = await recordPayment(tx, change, params.id, body);
      return { status: 201, body: paymentRepresentation(payment), headers: { Location: `/v1/invoices/${params.id}/payments` } };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/invoices/{id}/payments', operationId: 'listInvoicePayments', summary: "List an invoice's payments", tags: paymentTags,
    auth: 'tenant', permission: 'read', params: idParams, query: z.strictObject({ ...listQueryFields }),
    success: { status: 200, description: 'A page of payments, newest first', schema: listSchema(invoicePaymentSchema, 'InvoicePaymentList') },
    async handler({ tx, tenantId, params, query }) {
      return { status: 200, body: listBody(await listPayments(tx, tenantId, params.id, pageRequest(query)), paymentRepresentation) };
    },
  }),
];
