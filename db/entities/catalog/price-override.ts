import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OverrideCharges } from '../../../domain/catalog/price-override';

/**
 * Contract pricing: one account's own prices, allowances or minimums for
 * charges of one plan, in one currency, for a period of time.
 */
@Entity({ name: 'price_overrides' })
export class PriceOverride {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('uuid') planId!: string;
  @Column('char', { length: 3 }) currency!: string;
  /** By charge key, as stored (decimals as strings). */
  @Column('jsonb') charges!: OverrideCharges;
  @Column('numeric', { nullable: true }) minimumCommitment!: string | null;
  @Column('timestamptz') startsAt!: Date;
  /** Exclusive; null means open-ended. */
  @Column('timestamptz', { nullable: true }) endsAt!: Date | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
