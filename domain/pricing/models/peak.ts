import { z } from 'zod';
import type { SeriesInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const peakConfig = z.strictObject({ model: z.literal('peak') });
export type PeakConfig = z.output<typeof peakConfig>;

export function ratePeak(_config: PeakConfig, _input: SeriesInput): Rating {
  throw new Error('not implemented yet');
}
