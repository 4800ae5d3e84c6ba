import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const volumeConfig = z.strictObject({ model: z.literal('volume') });
export type VolumeConfig = z.output<typeof volumeConfig>;

export function rateVolume(_config: VolumeConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
