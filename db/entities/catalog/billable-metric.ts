import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MetricAggregation, MetricFilter } from '../../../domain/catalog/metric';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** How usage events of one kind become a billable quantity. */
@Entity({ name: 'billable_metrics' })
export class BillableMetric {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  /** The event code usage events carry. */
  @Column('text') eventName!: string;
  @Column('jsonb') aggregation!: MetricAggregation;
  @Column('jsonb') filters!: MetricFilter[];
  @Column('text', { array: true }) groupBy!: string[];
  @Column('text', { nullable: true }) unitLabel!: string | null;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
