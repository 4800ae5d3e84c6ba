import { z } from 'zod';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { accountSchema, createAccountSchema } from '../accounts/account-schemas';
import { createSubscriptionSchema, subscriptionSchema } from './subscription-schemas';

/**
 * Request and response shapes of self-signup (POST /v1/signups) and of
 * payment methods. Payment methods are gateway tokens: Rackrate never sees a
 * card number, and refuses one sent where a token belongs.
 */

const PAN_LENGTH = { min: 13, max: 19 } as const;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Whether `token` contains something shaped like a card number: a run of
 * 13-19 digits (spaces or hyphens allowed between digits, as people type
 * them) that passes the Luhn check. Runs of other lengths, and runs failing
 * Luhn (format-preserving gateway tokens are made to fail it), pass.
 */
export function containsCardNumber(token: string): boolean {
  for (const run of token.match(/\d(?:[ -]?\d)*/g) ?? []) {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length >= PAN_LENGTH.min && digits.length <= PAN_LENGTH.max && passesLuhn(digits)) return true;
  }
  return false;
}

export const PAYMENT_METHOD_TYPES = ['card', 'bank_account'] as const;

export const attachPaymentMethodSchema = z
  .strictObject({
    gateway: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/, 'must be 1-40 lower-case letters, digits or "_", such as simulated or stripe')
      .meta({ description: 'The payment gateway that issued the token.', example: 'simulated' }),
    token: text(200)
      .refine((t) => !containsCardNumber(t), 'looks like a card number; send the card to your gateway and pass the token it returns, never the number')
      .meta({ description: "The gateway's token for the card or bank account. Never a card number: one is refused.", example: 'tok_1Q2w3E4r5T6y' }),
    type: z.enum(PAYMENT_METHOD_TYPES),
    brand: text(40).optional().meta({ description: 'As the gateway reports it, e.g. visa.' }),
    last4: z.string().regex(/^[0-9]{4}$/, 'must be exactly 4 digits').optional(),
    exp_month: z.int().min(1).max(12).optional(),
    exp_year: z.int().min(2000).max(2200).optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.exp_month === undefined) !== (m.exp_year === undefined)) {
      const missing = m.exp_month === undefined ? 'exp_month' : 'exp_year';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'must be given together with exp_month and exp_year' });
    }
    if (m.type === 'bank_account' && m.exp_month !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['exp_month'], message: 'is only for cards' });
    }
  })
  .meta({ id: 'AttachPaymentMethod' });
export type AttachPaymentMethodInput = z.output<typeof attachPaymentMethodSchema>;

/** The account as a customer signing up gives it: no hierarchy, credit terms or tax exemption (operator decisions, set later by PATCH). */
const signupAccountSchema = createAccountSchema
  .omit({ parent_id: true, bill_to_parent: true, payment_terms: true, tax_exemption: true })
  .meta({ id: 'SignupAccount' });

const signupSubscriptionSchema = createSubscriptionSchema
  .pick({
    plan: true, plan_version: true, quantity: true, addons: true, trial_days: true, trial_end_behavior: true,
    requires_provisioning: true, billing_anchor: true, metadata: true,
  })
  .meta({ id: 'SignupSubscription' });

export const createSignupSchema = z
  .strictObject({
    account: signupAccountSchema,
    payment_method: attachPaymentMethodSchema.optional().meta({ description: 'Attached to the new account as its default payment method.' }),
    subscription: signupSubscriptionSchema,
    promotion_code: createSubscriptionSchema.shape.promotion_code,
  })
  .meta({ id: 'CreateSignup' });
export type CreateSignupInput = z.output<typeof createSignupSchema>;

export const paymentMethodSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('payment_method'),
    account_id: uuid,
    gateway: z.string(),
    token: z.string(),
    type: z.enum(PAYMENT_METHOD_TYPES),
    brand: z.string().nullable(),
    last4: z.string().nullable(),
    exp_month: z.int().nullable(),
    exp_year: z.int().nullable(),
    default: z.boolean(),
    status: z.enum(['active', 'detached']),
    created_at: timestamp,
  })
  .meta({ id: 'PaymentMethod' });

export const signupSchema = z
  .strictObject({
    account: accountSchema,
    payment_method: paymentMethodSchema.nullable(),
    subscription: subscriptionSchema,
  })
  .meta({ id: 'Signup' });
