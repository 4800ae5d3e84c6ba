import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The stored outcome of a POST made with an Idempotency-Key: the request's
 * fingerprint and the response it got, saved in the same transaction as the
 * write, so a replay returns exactly what the first call returned.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecord {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text') requestMethod!: string;
  @Column('text') requestPath!: string;
  /** SHA-256 of method, path and the canonical JSON body. */
  @Column('text') requestHash!: string;
  @Column('integer') responseStatus!: number;
  @Column('jsonb') responseBody!: unknown;
  @Column('jsonb') responseHeaders!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
}
