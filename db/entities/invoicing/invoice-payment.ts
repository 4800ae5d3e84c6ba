import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PAYMENT_METHODS = ['check', 'ach', 'wire', 'card', 'cash', 'other'] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHODS)[number];

/** A payment received outside a gateway (check, ACH, wire…) and recorded against an invoice. */
@Entity({ name: 'invoice_payments' })
export class InvoicePayment {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') invoiceId!: string;
  @Column('uuid') accountId!: string;
  @Column('text') method!: PaymentMethodKind;
  @Column('text', { nullable: true }) reference!: string | null;
  @Column('numeric') amount!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('timestamptz') receivedAt!: Date;
  @Column('timestamptz') createdAt!: Date;
}
