import type { PriceModelName } from '../pricing/price-model';
import { problem, type CatalogProblem } from './catalog-problem';
import { ALLOWANCE_MODELS, allowedModels } from './charge-compatibility';
import type { AggregationType } from './metric';
import type { PlanDefinition, PlanKind } from './plan-definition';
import type { CatalogStatus } from './status';

/** What a plan definition may refer to, by code. */
export interface CatalogContext {
  products: ReadonlyMap<string, { status: CatalogStatus }>;
  metrics: ReadonlyMap<string, { status: CatalogStatus; aggregation: AggregationType }>;
  plans: ReadonlyMap<string, { status: CatalogStatus; kind: PlanKind }>;
}

/** Every cross-reference problem of a plan or add-on definition, each with its path. */
export function checkPlanDefinition(kind: PlanKind, definition: PlanDefinition, context: CatalogContext): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const currencies = new Set(definition.currencies);
  const keys = new Map<string, number>();

  definition.charges.forEach((charge, i) => {
    const at = (...rest: Array<string | number>) => ['charges', i, ...rest];
    const first = keys.get(charge.key);
    if (first !== undefined) problems.push(problem(at('key'), 'duplicate_key', `repeats the key of charges[${first}]`));
    else keys.set(charge.key, i);

    const product = context.products.get(charge.product);
    if (!product) problems.push(problem(at('product'), 'unknown_product', `no product with code "${charge.product}"`));
    else if (product.status === 'archived') problems.push(problem(at('product'), 'archived_product', `product "${charge.product}" is archived`));

    let aggregation: AggregationType | null = null;
    if (charge.type === 'usage') {
      if (charge.metric === undefined) {
        problems.push(problem(at('metric'), 'metric_required', 'a usage charge needs a billable metric'));
      } else {
        const metric = context.metrics.get(charge.metric);
        if (!metric) problems.push(problem(at('metric'), 'unknown_metric', `no billable metric with code "${charge.metric}"`));
        else if (metric.status === 'archived') problems.push(problem(at('metric'), 'archived_metric', `metric "${charge.metric}" is archived`));
        else aggregation = metric.aggregation;
      }
    } else if (charge.metric !== undefined) {
      problems.push(problem(at('metric'), 'metric_not_allowed', `only usage charges have a metric; this one is ${charge.type}`));
    }
    if (charge.timing !== undefined && charge.type !== 'recurring') {
      problems.push(problem(at('timing'), 'timing_not_allowed', 'only recurring charges have a timing'));
    }

    const allowed = allowedModels(charge.type, aggregation);
    const models = new Set<PriceModelName>();
    for (const currency of currencies) {
      if (!charge.prices[currency]) problems.push(problem(at('prices', currency), 'missing_price', `no price for plan currency ${currency}`));
    }
    for (const [currency, price] of Object.entries(charge.prices)) {
      if (!price) continue;
      if (!currencies.has(currency)) {
        problems.push(problem(at('prices', currency), 'currency_not_in_plan', `${currency} is not one of the plan's currencies`));
      }
      models.add(price.model);
      const checkable = charge.type !== 'usage' || aggregation !== null;
      if (checkable && !allowed.includes(price.model)) {
        const why = charge.type === 'usage' ? `a usage charge on a ${aggregation} metric` : `a ${charge.type} charge`;
        problems.push(problem(at('prices', currency, 'model'), 'model_not_allowed', `${price.model} cannot price ${why}; use one of: ${allowed.join(', ')}`));
      }
    }
    if (charge.included_quantity !== undefined && [...models].some((m) => !ALLOWANCE_MODELS.includes(m))) {
      problems.push(problem(at('included_quantity'), 'allowance_not_allowed', 'an included quantity needs a quantity-priced model'));
    }
    for (const currency of Object.keys(charge.minimum_amount ?? {})) {
      if (!currencies.has(currency)) {
        problems.push(problem(at('minimum_amount', currency), 'currency_not_in_plan', `${currency} is not one of the plan's currencies`));
      }
    }
  });

  for (const currency of Object.keys(definition.minimum_commitment ?? {})) {
    if (!currencies.has(currency)) {
      problems.push(problem(['minimum_commitment', currency], 'currency_not_in_plan', `${currency} is not one of the plan's currencies`));
    }
  }

  if (definition.applies_to_plans !== undefined) {
    if (kind === 'plan') {
      problems.push(problem(['applies_to_plans'], 'addon_only', 'only add-ons name the plans they apply to'));
    } else {
      definition.applies_to_plans.forEach((code, i) => {
        const plan = context.plans.get(code);
        if (!plan || plan.kind !== 'plan') problems.push(problem(['applies_to_plans', i], 'unknown_plan', `no plan with code "${code}"`));
      });
    }
  }
  return problems;
}
