import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssetCategory, AssetPrices } from '../../../domain/catalog/asset-type';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** A kind of physical asset sold with a one-time (NRC) and a monthly (MRC) price per currency. */
@Entity({ name: 'asset_types' })
export class AssetType {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('uuid') productId!: string;
  @Column('text') category!: AssetCategory;
  @Column('jsonb') prices!: AssetPrices;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
