import { z } from 'zod';
import type { SessionsInput } from '../inputs';
import type { Rating } from '../rating';

// PLACEHOLDER: being implemented; replaced before this lands.
export const remoteHandsConfig = z.strictObject({ model: z.literal('remote_hands') });
export type RemoteHandsConfig = z.output<typeof remoteHandsConfig>;

export function rateRemoteHands(_config: RemoteHandsConfig, _input: SessionsInput): Rating {
  throw new Error('not implemented yet');
}
