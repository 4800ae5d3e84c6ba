import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SubscriptionStatus } from '../../../domain/subscriptions/status';

/** One recorded workflow step: the status before and after, and the domain events it emitted. */
@Entity({ name: 'subscription_transitions' })
export class SubscriptionTransition {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') subscriptionId!: string;
  @Column('integer') revision!: number;
  @Column('text') fromStatus!: SubscriptionStatus;
  @Column('text') toStatus!: SubscriptionStatus;
  @Column('text', { array: true }) events!: string[];
  @Column('timestamptz') occurredAt!: Date;
  /** SHA-256 of the step (revision, statuses, time, line keys and amounts, event types). */
  @Column('text') stepHash!: string;
}
