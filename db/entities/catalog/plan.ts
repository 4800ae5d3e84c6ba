import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlanKind } from '../../../domain/catalog/plan-definition';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** A plan or add-on: its identity and name; what it charges lives in its versions. */
@Entity({ name: 'plans' })
export class Plan {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') kind!: PlanKind;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  /** The version new subscriptions get. */
  @Column('integer') currentVersion!: number;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
