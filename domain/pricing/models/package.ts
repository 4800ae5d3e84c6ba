import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const packageConfig = z.strictObject({ model: z.literal('package') });
export type PackageConfig = z.output<typeof packageConfig>;

export function ratePackage(_config: PackageConfig, _input: QuantityInput): Rating {
  throw new Error('not implemented yet');
}
