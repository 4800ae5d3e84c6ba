import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ActorType = 'api_key' | 'platform' | 'system';

/**
 * One change to tenant data: who made it (actor and key), what it was
 * (action, resource), the state before and after, and the request id that
 * ties it to the API log line. Append-only.
 */
@Entity({ name: 'audit_log' })
export class AuditEntry {
  @PrimaryColumn('uuid') id!: string;
  @PrimaryColumn('uuid') tenantId!: string;
  @Column('timestamptz') occurredAt!: Date;
  @Column('text') actorType!: ActorType;
  /** The API key's id for api_key actors; a fixed name (e.g. "seed") for system actors. */
  @Column('text', { nullable: true }) actorId!: string | null;
  /** What a person recognises: the key's prefix and name, or the system job. */
  @Column('text') actorLabel!: string;
  @Column('text') action!: string;
  @Column('text') resourceType!: string;
  @Column('text') resourceId!: string;
  @Column('jsonb', { nullable: true }) before!: object | null;
  @Column('jsonb', { nullable: true }) after!: object | null;
  @Column('text', { nullable: true }) requestId!: string | null;
}
