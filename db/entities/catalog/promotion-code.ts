import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer-facing code ("COLO2027") that redeems a coupon, with its own limits. */
@Entity({ name: 'promotion_codes' })
export class PromotionCode {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') couponId!: string;
  /** Unique per tenant ignoring case. */
  @Column('text') code!: string;
  @Column('integer', { nullable: true }) maxRedemptions!: number | null;
  @Column('timestamptz', { nullable: true }) expiresAt!: Date | null;
  /** Only for accounts that have never had a subscription. */
  @Column('boolean') firstTimeOnly!: boolean;
  @Column('boolean') active!: boolean;
  @Column('integer') timesRedeemed!: number;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
