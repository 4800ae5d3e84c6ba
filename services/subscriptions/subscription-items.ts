import type { EntityManager } from 'typeorm';
import { effectiveChargePrice } from '../../domain/catalog/effective-price';
import type { PlanDefinitionInput } from '../../domain/catalog/plan-definition';
import { Decimal } from '../../domain/money/decimal';
import { rateCharge } from '../../domain/pricing/charge';
import { INPUT_KIND } from '../../domain/pricing/price-model';
import { money } from '../../domain/subscriptions/charge-lines';
import type { SubscriptionItem } from '../../domain/subscriptions/subscription-terms';
import { Plan } from '../../db/entities/catalog/plan';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import { PriceOverride } from '../../db/entities/catalog/price-override';
import { Product } from '../../db/entities/catalog/product';
import { RackrateError } from '../../lib/errors';

/**
 * Turns a plan or add-on code and a quantity into a priced subscription
 * item for one account: the version's charges in the account's currency,
 * with the account's contract price overrides active at `at`, each
 * recurring fee rated at the quantity for one whole period. Proration
 * happens later, in the workflow, from these full-period amounts.
 */
export interface ItemRequest {
  code: string;
  kind: 'plan' | 'addon';
  quantity: Decimal;
  version?: number | undefined;
  /** The request field this item came from, for error messages (e.g. `addons[1].code`). */
  field: string;
}

export interface PricedItem {
  item: SubscriptionItem;
  plan: Plan;
  definition: PlanDefinitionInput;
}

function invalid(field: string, code: string, message: string): RackrateError {
  return new RackrateError('validation_failed', `${field}: ${message}`, { errors: [{ in: 'body', field, code, message }] });
}

export async function priceItem(
  tx: EntityManager,
  tenantId: string,
  account: { id: string; currency: string },
  request: ItemRequest,
  at: Date,
): Promise<PricedItem> {
  const plan = await tx.findOneBy(Plan, { tenantId, code: request.code });
  if (!plan || plan.kind !== request.kind) {
    throw invalid(request.field, 'unknown', `there is no ${request.kind === 'plan' ? 'plan' : 'add-on'} with code "${request.code}"`);
  }
  if (plan.status === 'archived') {
    throw new RackrateError('catalog_item_archived', `The ${request.kind === 'plan' ? 'plan' : 'add-on'} ${plan.code} is archived; new subscriptions cannot use it.`, {
      errors: [{ in: 'body', field: request.field, code: 'archived', message: 'is archived' }],
    });
  }
  const versionNumber = request.version ?? plan.currentVersion;
  const version = await tx.findOneBy(PlanVersion, { tenantId, planId: plan.id, version: versionNumber });
  if (!version) throw invalid(request.field === 'plan' ? 'plan_version' : request.field, 'unknown_version', `${plan.code} has no version ${versionNumber}`);
  const definition = version.definition;
  if (!definition.currencies.includes(account.currency)) {
    throw new RackrateError('currency_mismatch', `${plan.code} version ${versionNumber} is priced in ${definition.currencies.join(', ')}; the account is billed in ${account.currency}.`, {
      errors: [{ in: 'body', field: request.field, code: 'not_priced_in_account_currency', message: `is not priced in ${account.currency}` }],
    });
  }
  const override = await tx
    .createQueryBuilder(PriceOverride, 'o')
    .where('o.tenant_id = :tenantId AND o.account_id = :accountId AND o.plan_id = :planId AND o.currency = :currency', {
      tenantId, accountId: account.id, planId: plan.id, currency: account.currency,
    })
    .andWhere('o.starts_at <= :at AND (o.ends_at IS NULL OR o.ends_at > :at)', { at })
    .getOne();
  const products = new Map((await tx.findBy(Product, { tenantId })).map((p) => [p.code, p.name]));

  const item: SubscriptionItem = {
    kind: request.kind, code: plan.code, name: plan.name, planId: plan.id, version: versionNumber,
    quantity: request.quantity.toFixed(), recurring: [], oneTime: [], usage: [],
  };
  for (const charge of definition.charges) {
    if (charge.type === 'usage') {
      item.usage.push(charge.key);
      continue;
    }
    const effective = effectiveChargePrice(charge, account.currency, override?.charges[charge.key]);
    if (!effective) continue;
    if (INPUT_KIND[effective.price.model.model] !== 'quantity') {
      throw invalid(request.field, 'unpriceable', `charge ${charge.key} of ${plan.code} is a ${effective.price.model.model} price, which a fixed fee cannot use`);
    }
    const rated = rateCharge(effective.price, { kind: 'quantity', quantity: request.quantity }, account.currency);
    const description = charge.description ?? products.get(charge.product) ?? charge.key;
    if (charge.type === 'recurring') {
      item.recurring.push({
        key: charge.key, product: charge.product, description,
        timing: charge.timing ?? definition.fixed_fee_timing, periodAmount: rated.rawAmount.toFixed(),
      });
    } else {
      item.oneTime.push({ key: charge.key, product: charge.product, description, amount: money(rated.amount, account.currency) });
    }
  }
  return { item, plan, definition };
}
