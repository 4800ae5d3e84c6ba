import { z } from 'zod';
import type { ReadingsInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const timeOfUseConfig = z.strictObject({ model: z.literal('time_of_use') });
export type TimeOfUseConfig = z.output<typeof timeOfUseConfig>;

export function rateTimeOfUse(_config: TimeOfUseConfig, _input: ReadingsInput): Rating {
  throw new Error('not implemented yet');
}
