import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssetState } from '../../../domain/catalog/asset-type';

/**
 * One customer's cabinet, cross-connect, IP block or port, known by the
 * provider's own asset id. Its NRC and MRC are copied from the asset type
 * when ordered (or set by contract), so later price changes do not touch it;
 * billing runs from activation to disconnection.
 */
@Entity({ name: 'assets' })
export class Asset {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('uuid') assetTypeId!: string;
  @Column('text') providerAssetId!: string;
  @Column('text') state!: AssetState;
  @Column('char', { length: 3 }) currency!: string;
  @Column('numeric') nrc!: string;
  @Column('numeric') mrc!: string;
  @Column('timestamptz') orderedAt!: Date;
  @Column('timestamptz', { nullable: true }) activatedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) disconnectedAt!: Date | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
