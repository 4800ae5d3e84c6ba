import { z } from 'zod';
import type { BandwidthInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const percentileConfig = z.strictObject({ model: z.literal('percentile') });
export type PercentileConfig = z.output<typeof percentileConfig>;

export function ratePercentile(_config: PercentileConfig, _input: BandwidthInput): Rating {
  throw new Error('not implemented yet');
}
