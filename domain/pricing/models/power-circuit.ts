import { z } from 'zod';
import type { CircuitsInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const powerCircuitConfig = z.strictObject({ model: z.literal('power_circuit') });
export type PowerCircuitConfig = z.output<typeof powerCircuitConfig>;

export function ratePowerCircuit(_config: PowerCircuitConfig, _input: CircuitsInput): Rating {
  throw new Error('not implemented yet');
}
