import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A charge created through the API (remote hands, setup fee, hardware), waiting for an invoice or on one. */
@Entity({ name: 'one_off_charges' })
export class OneOffCharge {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('character', { length: 3 }) currency!: string;
  @Column('text', { nullable: true }) productCode!: string | null;
  @Column('text', { nullable: true }) taxCode!: string | null;
  @Column('text') description!: string;
  @Column('numeric') quantity!: string;
  @Column('numeric') unitPrice!: string;
  /** quantity × unit price, rounded to the currency. */
  @Column('numeric') amount!: string;
  /** When the work was done or the goods delivered; the charge goes on the first invoice whose bill date is not before it. */
  @Column('timestamptz') serviceDate!: Date;
  @Column('uuid', { nullable: true }) invoiceId!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz') createdAt!: Date;
}
