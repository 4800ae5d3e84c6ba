import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TenantStatus = 'active' | 'suspended';

/** A provider using Rackrate. Platform-level table: not under row-level security. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** Unique, URL-safe handle (e.g. "demo"); used by the CLI and the demo seed. */
  @Column('text') slug!: string;
  @Column('text') status!: TenantStatus;
  /** How subscriptions created from now on prorate: by the second (Stripe) or by local calendar day (Kill Bill). */
  @Column('text') prorationUnit!: 'second' | 'day';
  /** How many days before a trial ends the trial_will_end event is emitted. */
  @Column('integer') trialEndingNoticeDays!: number;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
