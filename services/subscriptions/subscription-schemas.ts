import { z } from 'zod';
import { catalogCode } from '../../domain/catalog/status';
import { decimalText, positiveDecimal } from '../../domain/pricing/decimal-input';
import { SUBSCRIPTION_STATUSES } from '../../domain/subscriptions/status';
import { CHARGE_KINDS } from '../../domain/subscriptions/charge-lines';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

/** Request and response shapes of the subscription endpoints (named <Operation>Input types, validated once at the boundary). */
const quantity = positiveDecimal.meta({ description: 'Units of the plan or add-on, as a decimal string.', example: '1' });

export const addonRequestSchema = z.strictObject({
  code: catalogCode.meta({ description: 'The add-on code.' }),
  quantity: quantity.optional(),
});

const promotion = {
  coupon: catalogCode.optional().meta({ description: 'A coupon code applied directly (operators). Give coupon or promotion_code, not both.' }),
  promotion_code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3-40 letters, digits, _ or -')
    .optional()
    .meta({ description: 'A customer-facing promotion code (any case).' }),
};

export const createSubscriptionSchema = z
  .strictObject({
    account_id: uuid,
    plan: catalogCode.meta({ description: 'Plan code; its current version is used unless plan_version is given.' }),
    plan_version: z.int().min(1).optional(),
    quantity: quantity.optional(),
    addons: z.array(addonRequestSchema).max(50).optional(),
    ...promotion,
    trial_days: z.int().min(0).max(365).optional().meta({ description: "Overrides the plan's trial_days." }),
    trial_end_behavior: z
      .enum(['convert', 'cancel_without_payment_method'])
      .optional()
      .meta({ description: 'At trial end: always convert (default), or end the subscription when the account has no payment method.' }),
    requires_provisioning: z
      .boolean()
      .optional()
      .meta({ description: 'Wait for POST /v1/subscriptions/{id}/activate; billing starts at the reported activation time.' }),
    start_at: timestamp.optional().meta({ description: 'When billing starts (default now). May be in the past (backdated); not in the future (use requires_provisioning).' }),
    ends_at: timestamp.optional().meta({ description: 'A fixed end: the subscription ends at the first period boundary on or after it.' }),
    billing_anchor: z
      .enum(['calendar', 'anniversary'])
      .optional()
      .meta({ description: "calendar (default): periods start on the account's billing_anchor_day; anniversary: on the day billing started." }),
    payment_method_id: uuid.optional(),
    external_id: text(200).optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateSubscription' });
export type CreateSubscriptionInput = z.output<typeof createSubscriptionSchema>;

export const effectiveSchema = z
  .enum(['now', 'period_end'])
  .or(timestamp)
  .meta({ description: '"now" (prorated), "period_end", or a future timestamp (applied then, prorated).' });

export const changeSubscriptionSchema = z
  .strictObject({
    plan: catalogCode.optional().meta({ description: 'Move to this plan (upgrade or downgrade).' }),
    plan_version: z.int().min(1).optional(),
    quantity: quantity.optional(),
    add_addons: z.array(addonRequestSchema).max(50).optional().meta({ description: 'Add-ons to add, or to set a new quantity on.' }),
    remove_addons: z.array(catalogCode).max(50).optional(),
    ...promotion,
    effective: effectiveSchema.default('now'),
  })
  .meta({ id: 'ChangeSubscription' });
export type ChangeSubscriptionInput = z.output<typeof changeSubscriptionSchema>;

export const activateSubscriptionSchema = z
  .strictObject({
    activated_at: timestamp.optional().meta({ description: 'When the service went live, as the provisioning system saw it (default now). Billing starts here.' }),
  })
  .meta({ id: 'ActivateSubscription' });

export const cancelSubscriptionSchema = z
  .strictObject({
    effective: z.enum(['now', 'period_end']).default('period_end'),
    proration: z
      .enum(['credit', 'none'])
      .default('credit')
      .meta({ description: 'Cancel now only: credit the unused part of fees paid in advance, or not.' }),
    reason: text(500).optional(),
  })
  .meta({ id: 'CancelSubscription' });

export const pauseSubscriptionSchema = z
  .strictObject({ resume_at: timestamp.optional().meta({ description: 'Resume automatically at this time.' }) })
  .meta({ id: 'PauseSubscription' });

export const suspendSubscriptionSchema = z.strictObject({ reason: text(500).optional() }).meta({ id: 'SuspendSubscription' });

const periodSchema = z.strictObject({ start: timestamp, end: timestamp });

const itemSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  version: z.int(),
  quantity: decimalText,
  recurring: z.array(
    z.strictObject({ key: z.string(), product: z.string(), description: z.string(), timing: z.enum(['in_advance', 'in_arrears']), period_amount: z.string() }),
  ),
  one_time: z.array(z.strictObject({ key: z.string(), product: z.string(), description: z.string(), amount: z.string() })),
  usage: z.array(z.string()),
});

const pendingChangeSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  effective: z.union([z.strictObject({ type: z.literal('at'), at: timestamp }), z.strictObject({ type: z.enum(['now', 'period_end']) })]),
  requested_at: timestamp,
});

export const subscriptionSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('subscription'),
    account_id: uuid,
    billing_account_id: uuid,
    external_id: z.string().nullable(),
    status: z.enum(SUBSCRIPTION_STATUSES),
    plan: z.string().nullable(),
    plan_version: z.int(),
    currency: z.string(),
    quantity: z.string(),
    addons: z.array(z.strictObject({ code: z.string(), quantity: z.string() })),
    items: z.array(itemSchema),
    coupon: z
      .strictObject({
        code: z.string(),
        promotion_code_id: uuid.nullable(),
        discount: z.union([
          z.strictObject({ type: z.literal('percent'), percent_off: z.string() }),
          z.strictObject({ type: z.literal('amount'), amount_off: z.string() }),
        ]),
        duration: z.enum(['once', 'repeating', 'forever']),
        periods_remaining: z.int().nullable(),
      })
      .nullable(),
    billing_cycle: z.strictObject({
      interval: z.enum(['month', 'quarter', 'year']),
      anchor: z.enum(['calendar', 'anniversary']),
      anchor_day: z.int().nullable(),
      timezone: z.string(),
      proration_unit: z.enum(['second', 'day']),
    }),
    requires_provisioning: z.boolean(),
    trial_days: z.int(),
    trial_end_behavior: z.enum(['convert', 'cancel_without_payment_method']),
    ordered_at: timestamp,
    start_at: timestamp,
    ends_at: timestamp.nullable(),
    activated_at: timestamp.nullable(),
    trial_end: timestamp.nullable(),
    current_period: periodSchema.nullable(),
    cancel_at_period_end: z.boolean(),
    canceled_at: timestamp.nullable(),
    ended_at: timestamp.nullable(),
    paused_at: timestamp.nullable(),
    pending_changes: z.array(pendingChangeSchema),
    workflow_id: z.string(),
    revision: z.int(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Subscription' });

export const chargeSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('subscription_charge'),
    key: z.string(),
    subscription_id: uuid,
    account_id: uuid,
    billing_account_id: uuid,
    currency: z.string(),
    kind: z.enum(CHARGE_KINDS),
    item: z.string().nullable(),
    charge: z.string().nullable(),
    product: z.string().nullable(),
    description: z.string(),
    period: periodSchema,
    quantity: z.string(),
    amount: z.string(),
    invoice_id: uuid.nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'SubscriptionCharge' });

export const requestOutcomeSchema = z
  .strictObject({
    subscription: subscriptionSchema,
    charges: z.array(z.strictObject({ key: z.string(), kind: z.string(), description: z.string(), amount: z.string(), period: periodSchema })),
    scheduled_change: pendingChangeSchema.nullable(),
  })
  .meta({ id: 'SubscriptionRequestOutcome' });

export const liveStateSchema = z
  .strictObject({
    status: z.enum(SUBSCRIPTION_STATUSES),
    revision: z.int(),
    current_period: periodSchema.nullable(),
    next_renewal_at: timestamp.nullable(),
    trial_end: timestamp.nullable(),
    cancel_at_period_end: z.boolean(),
    resume_at: timestamp.nullable(),
    periods_billed: z.int(),
    pending_changes: z.array(pendingChangeSchema),
  })
  .meta({ id: 'SubscriptionLiveState' });
