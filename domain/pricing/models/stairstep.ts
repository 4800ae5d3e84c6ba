import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const stairstepConfig = z.strictObject({ model: z.literal('stairstep') });
export type StairstepConfig = z.output<typeof stairstepConfig>;

export function rateStairstep(_config: StairstepConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
