import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const graduatedConfig = z.strictObject({ model: z.literal('graduated') });
export type GraduatedConfig = z.output<typeof graduatedConfig>;

export function rateGraduated(_config: GraduatedConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
