import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChargeDetails } from '../../../domain/invoicing/charge-details';
import type { ChargeKind } from '../../../domain/subscriptions/charge-lines';

/** A charge a subscription recorded for its billing account, waiting for an invoice. */
@Entity({ name: 'subscription_charges' })
export class SubscriptionCharge {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  /** Deterministic identity (subscription, kind, period or change, charge): recording it twice is a no-op. */
  @Column('text') lineKey!: string;
  @Column('uuid') subscriptionId!: string;
  @Column('uuid') accountId!: string;
  @Column('uuid') billingAccountId!: string;
  @Column('character', { length: 3 }) currency!: string;
  @Column('text') kind!: ChargeKind;
  @Column('text', { nullable: true }) itemCode!: string | null;
  @Column('text', { nullable: true }) chargeKey!: string | null;
  @Column('text', { nullable: true }) productCode!: string | null;
  @Column('text') description!: string;
  @Column('timestamptz') periodStart!: Date;
  @Column('timestamptz') periodEnd!: Date;
  @Column('numeric') quantity!: string;
  @Column('numeric') amount!: string;
  /** The workflow step that recorded it. */
  @Column('integer') revision!: number;
  @Column('uuid', { nullable: true }) invoiceId!: string | null;
  /** The rating behind a usage line (breakdown, 95th-percentile facts) for the invoice. */
  @Column('jsonb', { nullable: true }) details!: ChargeDetails | null;
  @Column('timestamptz') createdAt!: Date;
}
