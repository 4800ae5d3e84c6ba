import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const meteredKwhConfig = z.strictObject({ model: z.literal('metered_kwh') });
export type MeteredKwhConfig = z.output<typeof meteredKwhConfig>;

export function rateMeteredKwh(_config: MeteredKwhConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
