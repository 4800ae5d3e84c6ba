import type { PriceModelName } from '../pricing/price-model';
import type { AggregationType } from './metric';

/**
 * Which price models a charge may use, by charge type and, for usage
 * charges, by what its metric's aggregation produces: a quantity (count,
 * sum…), rate samples (percentile), a series of window averages (peak),
 * timestamped readings or individual values (sum of events).
 */
export type ChargeType = 'recurring' | 'one_time' | 'usage';

const QUANTITY_MODELS: PriceModelName[] = ['flat', 'per_unit', 'graduated', 'volume', 'package', 'stairstep'];

export const RECURRING_MODELS: PriceModelName[] = [...QUANTITY_MODELS, 'power_circuit', 'committed_kw'];
export const ONE_TIME_MODELS: PriceModelName[] = ['flat', 'per_unit'];

export const USAGE_MODELS: Record<AggregationType, PriceModelName[]> = {
  count: [...QUANTITY_MODELS],
  sum: [...QUANTITY_MODELS, 'percentage', 'time_of_use', 'hourly_capped', 'remote_hands', 'metered_kwh'],
  max: [...QUANTITY_MODELS, 'committed_kw'],
  latest: [...QUANTITY_MODELS],
  unique_count: [...QUANTITY_MODELS],
  time_weighted: [...QUANTITY_MODELS, 'metered_kwh', 'hourly_capped'],
  percentile: ['percentile'],
  peak: [...QUANTITY_MODELS, 'peak', 'committed_kw'],
};

/** Models whose input is a plain quantity, so an included allowance can be deducted first. */
export const ALLOWANCE_MODELS: PriceModelName[] = [...QUANTITY_MODELS, 'committed_kw', 'metered_kwh'];

export function allowedModels(type: ChargeType, aggregation: AggregationType | null): PriceModelName[] {
  if (type === 'recurring') return RECURRING_MODELS;
  if (type === 'one_time') return ONE_TIME_MODELS;
  return aggregation === null ? [] : USAGE_MODELS[aggregation];
}
