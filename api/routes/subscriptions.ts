import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../../domain/subscriptions/status';
import { timestamp, uuid } from '../../lib/schema-primitives';
import type { ChargeLine } from '../../domain/subscriptions/charge-lines';
import type { RequestOutcome } from '../../workflows/subscription/definitions';
import { querySubscriptionState, updateIdFor } from '../../services/subscriptions/subscription-workflows';
import {
  activateSubscription, cancelSubscription, changeSubscription, simpleRequest, type RequestContext,
} from '../../services/subscriptions/subscription-requests';
import { chargeRepresentation, subscriptionRepresentation } from '../../services/subscriptions/subscription-representation';
import {
  activateSubscriptionSchema, cancelSubscriptionSchema, changeSubscriptionSchema, chargeSchema, createSubscriptionSchema,
  liveStateSchema, pauseSubscriptionSchema, requestOutcomeSchema, subscriptionSchema, suspendSubscriptionSchema,
} from '../../services/subscriptions/subscription-schemas';
import {
  createSubscription, getSubscription, listSubscriptionCharges, listSubscriptions, listSubscriptionTransitions,
} from '../../services/subscriptions/subscriptions';
import type { Subscription } from '../../db/entities/subscriptions/subscription';
import { listBody, listQueryFields, listSchema, pageRequest } from '../routing/pagination';
import { tenantRoute, type TenantRequest } from '../routing/route';
import { created, idParams } from './catalog/shared';

const tags = ['Subscriptions'];
const REQUEST_ERRORS = ['subscription_state_conflict', 'subscription_busy'] as const;

function requestContext(req: TenantRequest<unknown, unknown, unknown>): RequestContext {
  return { tx: req.tx, tenantId: req.tenantId, now: req.now, temporal: req.deps.temporal, updateId: updateIdFor(req.tenantId, req.idempotencyKey, req.requestId) };
}

function lineView(l: ChargeLine) {
  return { key: l.key, kind: l.kind, description: l.description, amount: l.amount, period: { start: l.periodStart, end: l.periodEnd } };
}

/** The stored row is a step behind the outcome: show the outcome's status and revision with it. */
async function outcomeBody(req: TenantRequest<unknown, unknown, unknown>, subscription: Subscription, outcome: RequestOutcome) {
  const fresh = await getSubscription(req.tx, req.tenantId, subscription.id);
  const representation = subscriptionRepresentation(fresh);
  return {
    subscription: { ...representation, status: outcome.status, revision: Math.max(outcome.revision, representation.revision) },
    charges: outcome.lines.map(lineView),
    scheduled_change: outcome.scheduled
      ? {
          id: outcome.scheduled.id, description: outcome.scheduled.description, requested_at: outcome.scheduled.requestedAt,
          effective: outcome.scheduled.effective.type === 'at' ? { type: 'at' as const, at: outcome.scheduled.effective.at } : { type: outcome.scheduled.effective.type },
        }
      : null,
  };
}

const transitionSchema = z
  .strictObject({ revision: z.int(), from_status: z.enum(SUBSCRIPTION_STATUSES), to_status: z.enum(SUBSCRIPTION_STATUSES), events: z.array(z.string()), occurred_at: timestamp })
  .meta({ id: 'SubscriptionTransition' });

const outcome = { status: 200, description: 'The subscription after the request, and the charges it recorded', schema: requestOutcomeSchema };

export const subscriptionRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/subscriptions', operationId: 'createSubscription', summary: 'Create a subscription', tags,
    description: 'Starts the subscription workflow. Billing starts now (or at start_at), or, with requires_provisioning, when the provisioning system activates it.',
    auth: 'tenant', permission: 'write', body: createSubscriptionSchema,
    success: { status: 201, description: 'The subscription', schema: subscriptionSchema },
    errors: ['account_archived', 'catalog_item_archived', 'currency_mismatch', 'promotion_not_redeemable', 'external_id_taken', 'subscription_state_conflict'],
    async handler({ tx, change, body, deps }) {
      const subscription = await createSubscription(tx, change, deps.temporal, body);
      return created('/v1/subscriptions', subscription.id, subscriptionRepresentation(subscription));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions', operationId: 'listSubscriptions', summary: 'List subscriptions', tags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, account_id: uuid.optional(), status: z.enum(SUBSCRIPTION_STATUSES).optional() }),
    success: { status: 200, description: 'A page of subscriptions, newest first', schema: listSchema(subscriptionSchema, 'SubscriptionList') },
    async handler({ tx, tenantId, query }) {
      const page = await listSubscriptions(tx, tenantId, { accountId: query.account_id, status: query.status }, pageRequest(query));
      return { status: 200, body: listBody(page, subscriptionRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions/{id}', operationId: 'getSubscription', summary: 'Retrieve a subscription', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The subscription as last recorded by its workflow', schema: subscriptionSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: subscriptionRepresentation(await getSubscription(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions/{id}/state', operationId: 'getSubscriptionLiveState', summary: "Query the subscription's workflow", tags,
    description: 'Asks the workflow itself (a Temporal query): status, current period, next renewal, pending changes.',
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The live state', schema: liveStateSchema },
    async handler({ tx, tenantId, params, deps }) {
      const subscription = await getSubscription(tx, tenantId, params.id);
      const state = await querySubscriptionState(deps.temporal, tenantId, subscription.id);
      if (!state) {
        return { status: 200, body: { status: subscription.status, revision: subscription.revision, current_period: null, next_renewal_at: null, trial_end: subscription.trialEnd?.toISOString() ?? null, cancel_at_period_end: subscription.cancelAtPeriodEnd, resume_at: null, periods_billed: 0, pending_changes: [] } };
      }
      return {
        status: 200,
        body: {
          status: state.status, revision: state.revision, current_period: state.currentPeriod, next_renewal_at: state.nextRenewalAt,
          trial_end: state.trialEnd, cancel_at_period_end: state.cancelAtPeriodEnd, resume_at: state.resumeAt, periods_billed: state.periodsBilled,
          pending_changes: state.pendingChanges.map((c) => ({
            id: c.id, description: c.description, requested_at: c.requestedAt,
            effective: c.effective.type === 'at' ? { type: 'at' as const, at: c.effective.at } : { type: c.effective.type },
          })),
        },
      };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions/{id}/charges', operationId: 'listSubscriptionCharges', summary: "List a subscription's recorded charges", tags,
    auth: 'tenant', permission: 'read', params: idParams, query: z.strictObject({ ...listQueryFields }),
    success: { status: 200, description: 'A page of charges, newest first', schema: listSchema(chargeSchema, 'SubscriptionChargeList') },
    async handler({ tx, tenantId, params, query }) {
      await getSubscription(tx, tenantId, params.id);
      return { status: 200, body: listBody(await listSubscriptionCharges(tx, tenantId, params.id, pageRequest(query)), chargeRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/subscriptions/{id}/transitions', operationId: 'listSubscriptionTransitions', summary: "List a subscription's recorded steps", tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'Every recorded step, oldest first', schema: z.strictObject({ object: z.literal('list'), data: z.array(transitionSchema) }).meta({ id: 'SubscriptionTransitionList' }) },
    async handler({ tx, tenantId, params }) {
      await getSubscription(tx, tenantId, params.id);
      const rows = await listSubscriptionTransitions(tx, tenantId, params.id);
      return {
        status: 200,
        body: { object: 'list', data: rows.map((t) => ({ revision: t.revision, from_status: t.fromStatus, to_status: t.toStatus, events: t.events, occurred_at: t.occurredAt.toISOString() })) },
      };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/activate', operationId: 'activateSubscription', summary: 'Activate (provisioning callback)', tags,
    description: 'The provisioning system reports the service live; billing starts at activated_at.',
    auth: 'tenant', permission: 'write', params: idParams, body: activateSubscriptionSchema,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const { subscription, outcome: result } = await activateSubscription(requestContext(req), req.params.id, req.body.activated_at);
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/change', operationId: 'changeSubscription', summary: 'Change plan, quantity, add-ons or coupon', tags,
    description: 'effective "now" records a prorated credit and charge; "period_end" or a future time schedules the change.',
    auth: 'tenant', permission: 'write', params: idParams, body: changeSubscriptionSchema,
    success: outcome, errors: [...REQUEST_ERRORS, 'currency_mismatch', 'catalog_item_archived', 'promotion_not_redeemable'],
    async handler(req) {
      const { subscription, outcome: result } = await changeSubscription(requestContext(req), req.params.id, req.body);
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/cancel', operationId: 'cancelSubscription', summary: 'Cancel now or at period end', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: cancelSubscriptionSchema,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const { subscription, outcome: result } = await cancelSubscription(requestContext(req), req.params.id, req.body);
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/pause', operationId: 'pauseSubscription', summary: 'Pause billing', tags,
    description: 'Credits the unused part of the period; billing restarts on resume (or at resume_at) with a prorated period.',
    auth: 'tenant', permission: 'write', params: idParams, body: pauseSubscriptionSchema,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const ctx = requestContext(req);
      const resumeAt = req.body.resume_at ? new Date(req.body.resume_at).toISOString() : null;
      const { subscription, outcome: result } = await simpleRequest(ctx, req.params.id, { type: 'pause', requestId: ctx.updateId, resumeAt });
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/resume', operationId: 'resumeSubscription', summary: 'Resume a paused subscription', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const ctx = requestContext(req);
      const { subscription, outcome: result } = await simpleRequest(ctx, req.params.id, { type: 'resume', requestId: ctx.updateId });
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/suspend', operationId: 'suspendSubscription', summary: 'Suspend service', tags,
    description: 'Service is cut off (provisioning hook subscription.suspended); the contract and its billing continue.',
    auth: 'tenant', permission: 'write', params: idParams, body: suspendSubscriptionSchema,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const ctx = requestContext(req);
      const { subscription, outcome: result } = await simpleRequest(ctx, req.params.id, { type: 'suspend', requestId: ctx.updateId, reason: req.body.reason ?? null });
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/subscriptions/{id}/reinstate', operationId: 'reinstateSubscription', summary: 'Reinstate a suspended subscription', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: outcome, errors: [...REQUEST_ERRORS],
    async handler(req) {
      const ctx = requestContext(req);
      const { subscription, outcome: result } = await simpleRequest(ctx, req.params.id, { type: 'reinstate', requestId: ctx.updateId });
      return { status: 200, body: await outcomeBody(req, subscription, result) };
    },
  }),
];
