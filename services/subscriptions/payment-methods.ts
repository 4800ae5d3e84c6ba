import type { EntityManager } from 'typeorm';
import type { Account } from '../../db/entities/account';
import { PaymentMethod } from '../../db/entities/subscriptions/payment-method';
import { RackrateError } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import { isUniqueViolation } from '../catalog/store';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import type { AttachPaymentMethodInput } from './signup-schemas';

/**
 * Payment methods: a gateway's token for a customer's card or bank account
 * and the few facts a person needs to recognise it (brand, last four digits,
 * expiry). A token belongs to one account: the same gateway token cannot be
 * attached twice in a tenant. The account's default method is the one
 * renewals will charge; making one default unsets the others.
 */
function invalid(field: string, code: string, message: string): RackrateError {
  return new RackrateError('validation_failed', `${field}: ${message}`, { errors: [{ in: 'body', field, code, message }] });
}

/** The last instant a card expiring in `month`/`year` can be charged: the end of that month (UTC). */
function cardExpiresAt(month: number, year: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

export function paymentMethodRepresentation(m: PaymentMethod) {
  return {
    id: m.id,
    object: 'payment_method' as const,
    account_id: m.accountId,
    gateway: m.gateway,
    token: m.token,
    type: m.type,
    brand: m.brand,
    last4: m.last4,
    exp_month: m.expMonth,
    exp_year: m.expYear,
    default: m.isDefault,
    status: m.status,
    created_at: m.createdAt.toISOString(),
  };
}

export async function attachPaymentMethod(
  tx: EntityManager,
  ctx: ChangeContext,
  account: Account,
  input: AttachPaymentMethodInput,
  options: { makeDefault: boolean },
): Promise<PaymentMethod> {
  if (input.exp_month !== undefined && input.exp_year !== undefined && cardExpiresAt(input.exp_month, input.exp_year) <= ctx.now) {
    throw invalid('exp_year', 'expired', `the card expired at the end of ${input.exp_year}-${String(input.exp_month).padStart(2, '0')}`);
  }
  if (options.makeDefault) {
    await tx.update(PaymentMethod, { tenantId: ctx.tenantId, accountId: account.id, isDefault: true }, { isDefault: false, updatedAt: ctx.now });
  }
  const method = tx.create(PaymentMethod, {
    tenantId: ctx.tenantId, id: uuidv7(ctx.now.getTime()), accountId: account.id,
    gateway: input.gateway, token: input.token, type: input.type, brand: input.brand ?? null, last4: input.last4 ?? null,
    expMonth: input.exp_month ?? null, expYear: input.exp_year ?? null, isDefault: options.makeDefault, status: 'active',
    createdAt: ctx.now, updatedAt: ctx.now, version: 1,
  });
  try {
    await tx.query('SAVEPOINT payment_method_insert');
    await tx.insert(PaymentMethod, method);
    await tx.query('RELEASE SAVEPOINT payment_method_insert');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT payment_method_insert');
    if (isUniqueViolation(error, 'payment_methods_tenant_id_gateway_token_key')) {
      throw new RackrateError('payment_method_taken', `This ${input.gateway} token is already attached to an account.`, {
        errors: [{ in: 'body', field: 'token', code: 'taken', message: 'is already attached to an account' }],
      });
    }
    throw error;
  }
  await recordChange(tx, ctx, {
    action: 'payment_method.created', resourceType: 'payment_method', resourceId: method.id, before: null, after: paymentMethodRepresentation(method),
  });
  return method;
}

export async function listPaymentMethods(tx: EntityManager, tenantId: string, accountId: string, page: PageRequest): Promise<Page<PaymentMethod>> {
  const query = tx.createQueryBuilder(PaymentMethod, 'm').where('m.tenant_id = :tenantId AND m.account_id = :accountId', { tenantId, accountId });
  return paginate(query, 'm', page);
}
