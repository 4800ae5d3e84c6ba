import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlanDefinitionInput } from '../../../domain/catalog/plan-definition';

/** One published, immutable definition of a plan (a database trigger refuses updates). */
@Entity({ name: 'plan_versions' })
export class PlanVersion {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') planId!: string;
  @Column('integer') version!: number;
  /** As submitted and validated (decimal strings), so it reads back exactly. */
  @Column('jsonb') definition!: PlanDefinitionInput;
  /** SHA-256 of the canonical JSON: publishing an identical definition is a no-op. */
  @Column('text') definitionHash!: string;
  @Column('timestamptz') createdAt!: Date;
}
