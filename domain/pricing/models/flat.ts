import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const flatConfig = z.strictObject({ model: z.literal('flat') });
export type FlatConfig = z.output<typeof flatConfig>;

export function rateFlat(_config: FlatConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
