import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ThresholdBasis = 'units' | 'amount';
export type ThresholdReference = 'value' | 'commit';

/**
 * A bill-shock threshold: levels (percents) of a reference on an account's
 * or a subscription's usage in units of a metric or in amount. Crossing a
 * level emits usage.threshold_crossed once per level and period
 * (services/metering/threshold-evaluation.ts).
 */
@Entity({ name: 'usage_thresholds' })
export class UsageThreshold {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('uuid', { nullable: true }) subscriptionId!: string | null;
  @Column('text') basis!: ThresholdBasis;
  /** Units thresholds only. */
  @Column('text', { nullable: true }) metricCode!: string | null;
  @Column('text') reference!: ThresholdReference;
  /** Reference `value` only: the budget (amount, in the account's currency) or the units. */
  @Column('numeric', { nullable: true }) referenceValue!: string | null;
  /** Ascending, distinct, as decimal strings. */
  @Column('numeric', { array: true }) percents!: string[];
  @Column('text') status!: 'active' | 'archived';
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
