import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CouponAppliesTo, CouponDiscount, CouponDuration } from '../../../domain/catalog/coupon';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** A discount and its rules; customers redeem it through promotion codes or an operator applies it. */
@Entity({ name: 'coupons' })
export class Coupon {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') name!: string;
  @Column('jsonb') discount!: CouponDiscount;
  @Column('text') duration!: CouponDuration;
  @Column('integer', { nullable: true }) durationPeriods!: number | null;
  @Column('jsonb') appliesTo!: CouponAppliesTo;
  @Column('integer', { nullable: true }) maxRedemptions!: number | null;
  @Column('timestamptz', { nullable: true }) redeemBy!: Date | null;
  @Column('integer') timesRedeemed!: number;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
