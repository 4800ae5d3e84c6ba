import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A coupon redeemed on a subscription (directly or through a promotion code); counts toward its limits. */
@Entity({ name: 'coupon_redemptions' })
export class CouponRedemption {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') couponId!: string;
  @Column('uuid', { nullable: true }) promotionCodeId!: string | null;
  @Column('uuid') accountId!: string;
  @Column('uuid') subscriptionId!: string;
  @Column('timestamptz') redeemedAt!: Date;
}
