import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CatalogStatus } from '../../../domain/catalog/status';

/** Something the provider sells: a cabinet, power, a cross-connect, transit. */
@Entity({ name: 'products' })
export class Product {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') code!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) unitLabel!: string | null;
  /** General-ledger account revenue from this product is booked to. */
  @Column('text', { nullable: true }) glCode!: string | null;
  @Column('text', { nullable: true }) taxCode!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: CatalogStatus;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
