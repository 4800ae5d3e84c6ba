import { z } from 'zod';
import type { RuntimeInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const hourlyCappedConfig = z.strictObject({ model: z.literal('hourly_capped') });
export type HourlyCappedConfig = z.output<typeof hourlyCappedConfig>;

export function rateHourlyCapped(_config: HourlyCappedConfig, _input: RuntimeInput): Rating {
  throw new Error('not implemented yet');
}
