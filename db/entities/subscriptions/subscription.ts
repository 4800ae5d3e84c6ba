import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ScheduledChange } from '../../../domain/subscriptions/requests';
import type { SubscriptionStatus } from '../../../domain/subscriptions/status';
import type { SubscriptionTerms } from '../../../domain/subscriptions/subscription-terms';

/**
 * A subscription as the database knows it. Its workflow is the authority on
 * status and periods; every workflow step updates this row (revision goes up
 * by one per step), so the API can list, filter and show subscriptions
 * without asking Temporal.
 */
@Entity({ name: 'subscriptions' })
export class Subscription {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  /** Who pays: the account, or the ancestor it bills to (master billing), fixed at creation. */
  @Column('uuid') billingAccountId!: string;
  @Column('text', { nullable: true }) externalId!: string | null;
  @Column('uuid') planId!: string;
  @Column('integer') planVersion!: number;
  @Column('character', { length: 3 }) currency!: string;
  @Column('numeric') quantity!: string;
  @Column('text') status!: SubscriptionStatus;
  @Column('text') billingInterval!: 'month' | 'quarter' | 'year';
  @Column('text') billingAnchor!: 'calendar' | 'anniversary';
  @Column('smallint', { nullable: true }) billingAnchorDay!: number | null;
  @Column('text') timezone!: string;
  @Column('text') prorationUnit!: 'second' | 'day';
  @Column('boolean') requiresProvisioning!: boolean;
  @Column('integer') trialDays!: number;
  @Column('text') trialEndBehavior!: 'convert' | 'cancel_without_payment_method';
  @Column('timestamptz') orderedAt!: Date;
  @Column('timestamptz') startAt!: Date;
  @Column('timestamptz', { nullable: true }) endsAt!: Date | null;
  @Column('timestamptz', { nullable: true }) activatedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) trialEnd!: Date | null;
  @Column('timestamptz', { nullable: true }) currentPeriodStart!: Date | null;
  @Column('timestamptz', { nullable: true }) currentPeriodEnd!: Date | null;
  @Column('boolean') cancelAtPeriodEnd!: boolean;
  @Column('timestamptz', { nullable: true }) canceledAt!: Date | null;
  @Column('timestamptz', { nullable: true }) endedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) pausedAt!: Date | null;
  @Column('jsonb') terms!: SubscriptionTerms;
  @Column('jsonb') pendingChanges!: ScheduledChange[];
  @Column('uuid', { nullable: true }) couponId!: string | null;
  @Column('uuid', { nullable: true }) promotionCodeId!: string | null;
  @Column('uuid', { nullable: true }) paymentMethodId!: string | null;
  @Column('text') workflowId!: string;
  @Column('integer') revision!: number;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
