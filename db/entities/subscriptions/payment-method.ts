import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A gateway's token for a customer's card or bank account; never the number itself. */
@Entity({ name: 'payment_methods' })
export class PaymentMethod {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('text') gateway!: string;
  @Column('text') token!: string;
  @Column('text') type!: 'card' | 'bank_account';
  @Column('text', { nullable: true }) brand!: string | null;
  @Column('text', { nullable: true }) last4!: string | null;
  @Column('smallint', { nullable: true }) expMonth!: number | null;
  @Column('smallint', { nullable: true }) expYear!: number | null;
  @Column('boolean') isDefault!: boolean;
  @Column('text') status!: 'active' | 'detached';
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('integer') version!: number;
}
