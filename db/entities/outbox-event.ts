import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A domain event (account.created, ...) written in the same transaction as
 * the change it describes, so an event exists if and only if the change
 * committed. Delivery (webhooks) reads unpublished rows in id order.
 */
@Entity({ name: 'outbox_events' })
export class OutboxEvent {
  @PrimaryColumn('uuid') id!: string;
  @PrimaryColumn('uuid') tenantId!: string;
  @Column('text') type!: string;
  @Column('text') resourceType!: string;
  @Column('text') resourceId!: string;
  @Column('jsonb') payload!: object;
  @Column('timestamptz') occurredAt!: Date;
  @Column('text', { nullable: true }) requestId!: string | null;
  @Column('timestamptz', { nullable: true }) publishedAt!: Date | null;
}
