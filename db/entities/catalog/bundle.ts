import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BundleAddon, BundleDiscount } from '../../../domain/catalog/bundle';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** A plan sold together with add-ons (e.g. cabinet + power + cross-connect), optionally at a discount. */
@Entity({ name: 'bundles' })
export class Bundle {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  /** `{ plan, addons: [{ addon, quantity }] }`. */
  @Column('jsonb') items!: { plan: string; addons: BundleAddon[] };
  @Column('jsonb', { nullable: true }) discount!: BundleDiscount | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
