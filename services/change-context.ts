import type { ActorType } from '../db/entities/audit-entry';

/** Who is acting: an API key, the platform operator, or a system job (seed, housekeeping). */
export interface Actor {
  type: ActorType;
  /** The API key id for api_key actors; the job's name for system actors. */
  id: string | null;
  /** Shown to people: "rr_ab12cd34 (Billing ops)", "platform", "seed". */
  label: string;
}

/**
 * Everything a write needs besides its input: the tenant, the actor, the
 * request that caused it and the time it happened (read once from the
 * injected clock, so all rows of one change carry the same instant).
 */
export interface ChangeContext {
  tenantId: string;
  actor: Actor;
  requestId: string | null;
  now: Date;
}
