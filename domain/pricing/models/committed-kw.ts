import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const committedKwConfig = z.strictObject({ model: z.literal('committed_kw') });
export type CommittedKwConfig = z.output<typeof committedKwConfig>;

export function rateCommittedKw(_config: CommittedKwConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
