import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApiKeyScope } from '../../domain/auth/scopes';

/**
 * A tenant's API key. Only a SHA-256 digest of the full key is stored; the
 * `prefix` (public part of the key) finds the row. Platform-level table read
 * before the tenant is known, so it is outside row-level security; the auth
 * module is its only reader.
 */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('text') name!: string;
  @Column('text') prefix!: string;
  @Column('bytea') secretHash!: Buffer;
  @Column('text', { array: true }) scopes!: ApiKeyScope[];
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz', { nullable: true }) expiresAt!: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) lastUsedAt!: Date | null;
}
