import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { PaymentMethod } from '../../db/entities/subscriptions/payment-method';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { canonicalJson } from '../../lib/canonical-json';
import { RackrateError, type FieldError } from '../../lib/errors';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import { createAccount } from '../accounts/account-service';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { attachPaymentMethod } from './payment-methods';
import type { CreateSignupInput } from './signup-schemas';
import { createSubscription } from './subscriptions';

/**
 * Self-signup: account, default payment method and subscription (with its
 * promotion code) in the caller's one transaction, through the same services
 * as POST /v1/accounts and POST /v1/subscriptions; the subscription workflow
 * starts last, inside it, as createSubscription always does.
 *
 * A retry is recognised without an Idempotency-Key when the account carries
 * an external_id: a signup leaves a `signup.completed` record (audit entry
 * and domain event) holding the request's fingerprint, and the identical
 * request finds it and gets the rows it made. Any other request naming that
 * external_id is a conflict, never a silent success. docs/subscriptions-signup.md
 * gives the rule and its reasons.
 */
export interface SignupResult {
  /** An earlier signup of the same request was found: its rows are returned and nothing was created. */
  replayed: boolean;
  account: Account;
  paymentMethod: PaymentMethod | null;
  subscription: Subscription;
}

/** The signup.completed record: what the signup made, and the request that made it. */
interface SignupRecord {
  object: 'signup';
  account_id: string;
  payment_method_id: string | null;
  subscription_id: string;
  plan: string;
  /** SHA-256 of the validated request in canonical JSON (decimals normalised, key order ignored). */
  request_sha256: string;
}

const SIGNUP_COMPLETED = 'signup.completed';

function signupFingerprint(input: CreateSignupInput): string {
  // The JSON round trip writes decimals as their normalised text ("1.0" and "1" are the same quantity).
  return createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(input)))).digest('hex');
}

/**
 * The services name fields as their own endpoints see them (`plan`,
 * `external_id`); a signup's body nests them. Re-homes every field error
 * (and a detail made of them) under the signup's path.
 */
async function nested<T>(rename: (field: string) => string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RackrateError) || error.errors.length === 0) throw error;
    const summary = (list: FieldError[]) => list.map((e) => `${e.field}: ${e.message}`).join('; ');
    const errors = error.errors.map((e) => (e.in === 'body' ? { ...e, field: rename(e.field) } : e));
    const detail = error.message === summary(error.errors) ? summary(errors) : error.message;
    throw new RackrateError(error.code, detail, { errors, headers: error.headers });
  }
}

const under = (prefix: string) => (field: string) => (field === '' ? prefix : `${prefix}.${field}`);

function subscriptionField(field: string): string {
  if (field === 'promotion_code' || field === 'coupon') return 'promotion_code';
  if (field === 'payment_method_id') return 'payment_method';
  return under('subscription')(field);
}

function externalIdConflict(externalId: string, why: string): RackrateError {
  const message = `${why}; retry the identical request to get that signup back, read the account with GET /v1/accounts?external_id=…, or use another external_id`;
  return new RackrateError('external_id_taken', `account.external_id ${externalId}: ${message}.`, {
    errors: [{ in: 'body', field: 'account.external_id', code: 'taken', message }],
  });
}

/** The rows of an earlier identical signup with this external_id; null when no active account has it. */
async function earlierSignup(tx: EntityManager, tenantId: string, externalId: string, input: CreateSignupInput, fingerprint: string): Promise<SignupResult | null> {
  const account = await tx.findOneBy(Account, { tenantId, externalId, status: 'active' });
  if (!account) return null;
  const rows: Array<{ after: SignupRecord }> = await tx.query(
    `SELECT after FROM audit_log WHERE tenant_id = $1 AND resource_type = 'signup' AND resource_id = $2 AND action = $3 ORDER BY id DESC LIMIT 1`,
    [tenantId, account.id, SIGNUP_COMPLETED],
  );
  const record = rows[0]?.after;
  if (!record) throw externalIdConflict(externalId, 'is used by an account that was not created by a signup');
  if (record.plan !== input.subscription.plan) throw externalIdConflict(externalId, `belongs to an account signed up for plan ${record.plan}`);
  if (record.request_sha256 !== fingerprint) {
    throw externalIdConflict(externalId, 'belongs to an account signed up with a different request (same plan, other details)');
  }
  const subscription = await tx.findOneByOrFail(Subscription, { tenantId, id: record.subscription_id });
  const paymentMethod = record.payment_method_id === null ? null : await tx.findOneByOrFail(PaymentMethod, { tenantId, id: record.payment_method_id });
  return { replayed: true, account, paymentMethod, subscription };
}

export async function selfSignup(tx: EntityManager, ctx: ChangeContext, temporal: TemporalClientProvider, input: CreateSignupInput): Promise<SignupResult> {
  const fingerprint = signupFingerprint(input);
  const externalId = input.account.external_id ?? null;
  if (externalId !== null) {
    // Signups of one external id run one at a time: a concurrent retry waits, then finds the first one's rows.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`rackrate.signup:${ctx.tenantId}:${externalId}`]);
    const earlier = await earlierSignup(tx, ctx.tenantId, externalId, input, fingerprint);
    if (earlier) return earlier;
  }

  const account = await nested(under('account'), () => createAccount(tx, ctx, input.account));
  const method = input.payment_method;
  const paymentMethod = method ? await nested(under('payment_method'), () => attachPaymentMethod(tx, ctx, account, method, { makeDefault: true })) : null;
  // Last, as it starts the workflow: after it only the signup record is written (a failed commit leaves a workflow that finds no row and stops).
  const subscription = await nested(subscriptionField, () =>
    createSubscription(tx, ctx, temporal, {
      ...input.subscription,
      account_id: account.id,
      promotion_code: input.promotion_code,
      payment_method_id: paymentMethod?.id,
    }),
  );

  const record: SignupRecord = {
    object: 'signup', account_id: account.id, payment_method_id: paymentMethod?.id ?? null, subscription_id: subscription.id,
    plan: input.subscription.plan, request_sha256: fingerprint,
  };
  await recordChange(tx, ctx, { action: SIGNUP_COMPLETED, resourceType: 'signup', resourceId: account.id, before: null, after: record });
  return { replayed: false, account, paymentMethod, subscription };
}
