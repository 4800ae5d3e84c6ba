import { z } from 'zod';
import { timestamp, uuid } from '../../lib/schema-primitives';

/** Request and response shapes of `GET /v1/accounts/{id}/offers` (docs/offers.md). */
export const MAX_OFFER_PERIODS = 12;

export const offersQuerySchema = z.strictObject({
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_OFFER_PERIODS)
    .default(3)
    .meta({ description: `How many of the latest closed billing periods to look at, 1-${MAX_OFFER_PERIODS}; only full ones are compared.` }),
});
export type OffersQuery = z.output<typeof offersQuerySchema>;

const money = z.string().meta({ description: "Decimal string with the currency's minor digits.", example: '1800.00' });

const offerSchema = z
  .strictObject({
    subscription_id: uuid,
    kind: z.enum(['plan', 'addon']).meta({ description: 'plan: switch the subscription to it; addon: add it.' }),
    code: z.string(),
    name: z.string(),
    version: z.int().meta({ description: 'The current version, which rated it.' }),
    currency: z.string(),
    comparable: z.boolean().meta({ description: 'False when it cannot be rated on what the periods recorded; `reason` says why.' }),
    reason: z.string().nullable(),
    periods: z.int().meta({ description: 'Full closed periods compared.' }),
    candidate_charges: money.nullable().meta({ description: "The plan's or add-on's own recurring and usage charges over those periods." }),
    would_have_cost: money.nullable().meta({ description: 'What the subscription would have been charged with it.' }),
    actually_paid: money.meta({ description: 'What the subscription was charged in those periods, net of credits and discounts.' }),
    saving: money.nullable().meta({ description: 'actually_paid − would_have_cost: positive means cheaper.' }),
    one_time_fees: money.nullable().meta({ description: 'Charged once on switching or adding; not in the saving.' }),
    contract_prices: z.boolean().meta({ description: "Rated at the account's price override active now." }),
    per_period: z.array(z.strictObject({ start: timestamp, end: timestamp, paid: money, would_have_cost: money })),
    message: z.string().meta({ description: 'One sentence for the customer or the account manager.' }),
    notes: z.array(z.string()),
  })
  .meta({ id: 'AccountOffer' });

const subscriptionComparisonSchema = z
  .strictObject({
    subscription_id: uuid,
    plan: z.string(),
    billing_interval: z.enum(['month', 'quarter', 'year']),
    compared_periods: z.array(z.strictObject({ start: timestamp, end: timestamp, paid: money })).meta({ description: 'Newest first.' }),
    skipped_periods: z.array(z.strictObject({ start: timestamp, end: timestamp, reason: z.string() })),
    actually_paid: money,
    commit_fit: z
      .array(
        z.strictObject({
          charge: z.string(),
          commit_mbps: z.string(),
          periods_over_commit: z.int().meta({ description: 'Consecutive compared periods, up to the latest, whose 95th exceeded the commit.' }),
          figures: z.array(z.strictObject({ start: timestamp, end: timestamp, billed_mbps: z.string() })),
        }),
      )
      .meta({ description: "The current plan's 95th-percentile charges against their commits." }),
  })
  .meta({ id: 'AccountOfferSubscription' });

export const accountOffersSchema = z
  .strictObject({
    object: z.literal('account_offers'),
    account_id: uuid,
    currency: z.string(),
    periods_requested: z.int(),
    generated_at: timestamp,
    subscriptions: z.array(subscriptionComparisonSchema),
    offers: z.array(offerSchema).meta({ description: 'Comparable offers first, biggest saving first; then the rest by kind and code.' }),
  })
  .meta({ id: 'AccountOffers' });
