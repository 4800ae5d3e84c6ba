import { z } from 'zod';
import type { TransactionsInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const percentageConfig = z.strictObject({ model: z.literal('percentage') });
export type PercentageConfig = z.output<typeof percentageConfig>;

export function ratePercentage(_config: PercentageConfig, _input: TransactionsInput): Rating {
  throw new Error('not implemented yet');
}
