import { accountOffersSchema, offersQuerySchema } from '../../services/subscriptions/offer-schemas';
import { getAccountOffers } from '../../services/subscriptions/offers';
import { tenantRoute } from '../routing/route';
import { idParams } from './catalog/shared';

const tags = ['Subscriptions'];

export const offerRoutes = [
  tenantRoute({
    method: 'get', path: '/v1/accounts/{id}/offers', operationId: 'listAccountOffers', summary: 'Upgrade and cross-sell offers for an account', tags,
    description:
      "For each live subscription: what every other eligible plan, and every add-on it could take, would have cost over its last full closed billing periods, rated on the quantities and usage those periods recorded, against what it was actually charged (docs/offers.md). Candidates that cannot be rated on what was recorded are listed with comparable false and the reason.",
    auth: 'tenant', permission: 'read', params: idParams, query: offersQuerySchema,
    success: { status: 200, description: 'The offers, biggest saving first', schema: accountOffersSchema },
    async handler({ tx, tenantId, params, query, now }) {
      return { status: 200, body: await getAccountOffers(tx, tenantId, params.id, query.periods, now) };
    },
  }),
];
