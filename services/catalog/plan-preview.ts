import type { EntityManager } from 'typeorm';
import { effectiveChargePrice, type StoredCharge } from '../../domain/catalog/effective-price';
import { Decimal, sum } from '../../domain/money/decimal';
import { roundMoney } from '../../domain/money/money';
import { minimumCommitmentTrueUp, rateCharge, type RatedCharge } from '../../domain/pricing/charge';
import type { RatingInput } from '../../domain/pricing/inputs';
import { INPUT_KIND, type PriceModelName } from '../../domain/pricing/price-model';
import type { BreakdownLine } from '../../domain/pricing/rating';
import { Account } from '../../db/entities/account';
import { PriceOverride } from '../../db/entities/catalog/price-override';
import { RackrateError, notFound, type FieldError } from '../../lib/errors';
import { getPlan, getPlanVersion } from './plans';
import { toRatingInput, usageKindOf, type PreviewPlanInput, type UsageEntry } from './preview-schemas';

/**
 * What given usage would cost on a plan version, charge by charge with the
 * breakdown, for a currency or for one account (its currency, time zone and
 * the price overrides active at `at`). Nothing is stored.
 */
function lineRepresentation(l: BreakdownLine) {
  return {
    description: l.description,
    quantity: l.quantity?.toFixed() ?? null,
    unit_price: l.unitPrice?.toFixed() ?? null,
    amount: l.amount.toFixed(),
    ...(l.tier ? { tier: { index: l.tier.index, from: l.tier.from.toFixed(), to: l.tier.to?.toFixed() ?? null } } : {}),
  };
}

/** Without usage: one unit of a recurring or one-time charge, nothing of a usage charge; other inputs cannot be guessed. */
function defaultInput(charge: StoredCharge, model: PriceModelName): RatingInput | null {
  if (INPUT_KIND[model] !== 'quantity') return null;
  return { kind: 'quantity', quantity: new Decimal(charge.type === 'usage' ? 0 : 1) };
}

function usageError(key: string, message: string, code = 'invalid'): RackrateError {
  const errors: FieldError[] = [{ in: 'body', field: `usage.${key}`, code, message }];
  return new RackrateError('validation_failed', `usage.${key}: ${message}`, { errors });
}

export async function previewPlan(tx: EntityManager, tenantId: string, planId: string, input: PreviewPlanInput, now: Date) {
  const { plan } = await getPlan(tx, tenantId, planId);
  const version = await getPlanVersion(tx, tenantId, plan, input.version ?? plan.currentVersion);
  const definition = version.definition;
  const at = input.at ? new Date(input.at) : now;

  let currency = input.currency;
  let timezone = input.timezone ?? 'UTC';
  let overrides: PriceOverride | null = null;
  if (input.account_id !== undefined) {
    const account = await tx.findOneBy(Account, { tenantId, id: input.account_id });
    if (!account) throw notFound('account', input.account_id);
    if (currency !== undefined && currency !== account.currency) {
      throw new RackrateError('validation_failed', `The account is billed in ${account.currency}.`, {
        errors: [{ in: 'body', field: 'currency', code: 'not_account_currency', message: `must be the account's currency (${account.currency})` }],
      });
    }
    currency = account.currency;
    timezone = input.timezone ?? account.timezone;
    overrides = await tx
      .createQueryBuilder(PriceOverride, 'o')
      .where('o.tenant_id = :tenantId AND o.account_id = :accountId AND o.plan_id = :planId AND o.currency = :currency', {
        tenantId,
        accountId: account.id,
        planId: plan.id,
        currency,
      })
      .andWhere('o.starts_at <= :at AND (o.ends_at IS NULL OR o.ends_at > :at)', { at })
      .getOne();
  }
  if (currency === undefined) {
    throw new RackrateError('validation_failed', 'Give currency or account_id.', {
      errors: [{ in: 'body', field: 'currency', code: 'required', message: 'is required without account_id' }],
    });
  }
  if (!definition.currencies.includes(currency)) {
    throw new RackrateError('validation_failed', `Version ${version.version} of ${plan.code} is not priced in ${currency}.`, {
      errors: [{ in: 'body', field: 'currency', code: 'not_priced', message: `must be one of ${definition.currencies.join(', ')}` }],
    });
  }
  for (const key of Object.keys(input.usage)) {
    if (!definition.charges.some((c) => c.key === key)) throw usageError(key, `the plan version has no charge "${key}"`, 'unknown_charge');
  }

  const charges = [];
  const skipped = [];
  for (const charge of definition.charges) {
    const effective = effectiveChargePrice(charge, currency, overrides?.charges[charge.key]);
    if (!effective) continue;
    const usage: UsageEntry | undefined = input.usage[charge.key];
    const wanted = INPUT_KIND[effective.price.model.model];
    if (usage !== undefined && usageKindOf(usage) !== wanted) {
      throw usageError(charge.key, `the ${effective.price.model.model} price is rated on ${wanted} input, not ${usageKindOf(usage)}`, 'wrong_kind');
    }
    const ratingInput = usage !== undefined ? toRatingInput(usage, timezone) : defaultInput(charge, effective.price.model.model);
    if (ratingInput === null) {
      skipped.push({ key: charge.key, reason: `no usage given for this ${effective.price.model.model} charge` });
      continue;
    }
    let rated: RatedCharge;
    try {
      rated = rateCharge(effective.price, ratingInput, currency);
    } catch (error) {
      // The engine refuses inputs it cannot rate (negative values, ragged sample arrays...): a client error.
      throw usageError(charge.key, error instanceof Error ? error.message : String(error));
    }
    charges.push({
      key: charge.key,
      product: charge.product,
      type: charge.type,
      model: effective.price.model.model,
      price_source: effective.source,
      quantity: rated.rating.quantity?.toFixed() ?? null,
      unit_price: rated.rating.unitPrice?.toFixed() ?? null,
      raw_amount: rated.rawAmount.toFixed(),
      amount: rated.amount.toFixed(),
      lines: rated.rating.lines.map(lineRepresentation),
      details: rated.rating.details ?? null,
      amountValue: rated.amount,
    });
  }

  const minimumText = overrides?.minimumCommitment ?? definition.minimum_commitment?.[currency];
  const amounts = charges.map((c) => c.amountValue);
  const trueUp = minimumText === undefined || minimumText === null ? null : minimumCommitmentTrueUp(new Decimal(minimumText), amounts, currency);
  const subtotal = roundMoney(sum(amounts).plus(trueUp?.amount ?? 0), currency);
  return {
    object: 'plan_preview' as const,
    plan_id: plan.id,
    plan_code: plan.code,
    version: version.version,
    currency,
    account_id: input.account_id ?? null,
    price_override_id: overrides?.id ?? null,
    charges: charges.map(({ amountValue: _, ...rest }) => rest),
    minimum_commitment: minimumText == null ? null : { minimum: new Decimal(minimumText).toFixed(), true_up: trueUp?.amount.toFixed() ?? '0' },
    skipped,
    subtotal: subtotal.toFixed(),
  };
}
