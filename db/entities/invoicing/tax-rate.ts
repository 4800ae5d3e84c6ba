import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A tax rate of the tenant's rate table (domain/tax/tax-rate.ts, docs/taxes.md):
 * a jurisdiction (country, optional region), an optional product tax code,
 * a percentage, inclusive or exclusive, valid from `validFrom` (inclusive)
 * to `validTo` (exclusive). Percentage, inclusiveness, place and tax code
 * never change: invoices name the rate by id, so a new figure is a new rate.
 */
@Entity({ name: 'tax_rates' })
export class TaxRate {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('char', { length: 2 }) country!: string;
  @Column('text', { nullable: true }) region!: string | null;
  @Column('text', { nullable: true }) taxCode!: string | null;
  /** 0..100 as a decimal string, "20" for 20 %. */
  @Column('numeric') percentage!: string;
  @Column('boolean') inclusive!: boolean;
  @Column('timestamptz') validFrom!: Date;
  /** Exclusive; null means until ended. */
  @Column('timestamptz', { nullable: true }) validTo!: Date | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
