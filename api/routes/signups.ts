import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { accountRepresentation } from '../../services/accounts/account-representation';
import { getAccount } from '../../services/accounts/account-service';
import { listPaymentMethods, paymentMethodRepresentation } from '../../services/subscriptions/payment-methods';
import { selfSignup } from '../../services/subscriptions/self-signup';
import { createSignupSchema, paymentMethodSchema, signupSchema } from '../../services/subscriptions/signup-schemas';
import { subscriptionRepresentation } from '../../services/subscriptions/subscription-representation';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute } from '../routing/route';
import { idParams } from './catalog/shared';

/** Self-signup (docs/subscriptions-signup.md) and the payment methods it attaches. */
export const signupRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/signups', operationId: 'createSignup', summary: 'Sign a customer up', tags: ['Subscriptions'],
    description:
      'Creates the account, attaches the payment-method token as its default, applies the promotion code and starts the subscription, in one transaction. ' +
      'Retry with the same Idempotency-Key; or, when account.external_id is given, the identical request without a key returns the rows it made (200).',
    auth: 'tenant', permission: 'write', body: createSignupSchema,
    success: {
      status: 201, description: 'The new account, payment method and subscription', schema: signupSchema,
      otherStatuses: [{ status: 200, description: 'An earlier identical signup with this account.external_id: its rows as they are now; nothing was created' }],
    },
    errors: ['external_id_taken', 'payment_method_taken', 'catalog_item_archived', 'currency_mismatch', 'promotion_not_redeemable', 'subscription_state_conflict', 'service_unavailable'],
    async handler({ tx, change, body, deps }) {
      const result = await selfSignup(tx, change, deps.temporal, body);
      const representation = {
        account: accountRepresentation(result.account),
        payment_method: result.paymentMethod ? paymentMethodRepresentation(result.paymentMethod) : null,
        subscription: subscriptionRepresentation(result.subscription),
      };
      if (result.replayed) return { status: 200, body: representation };
      return { status: 201, body: representation, headers: { Location: `/v1/subscriptions/${result.subscription.id}` } };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/payment_methods', operationId: 'listAccountPaymentMethods', summary: "List an account's payment methods", tags: ['Accounts'],
    description: 'Gateway tokens and what identifies them to a person (brand, last four digits, expiry); never card numbers.',
    auth: 'tenant', permission: 'read', params: idParams, query: z.strictObject({ ...listQueryFields }),
    success: { status: 200, description: 'A page of payment methods, newest first', schema: listSchema(paymentMethodSchema, 'PaymentMethodList') },
    async handler({ tx, tenantId, params, query }) {
      if (!(await getAccount(tx, tenantId, params.id))) throw notFound('account', params.id);
      return { status: 200, body: listBody(await listPaymentMethods(tx, tenantId, params.id, pageRequest(query)), paymentMethodRepresentation) };
    },
  }),
];
