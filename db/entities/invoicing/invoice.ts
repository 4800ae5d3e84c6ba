import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InvoiceDocument, InvoiceStatus } from '../../../domain/invoicing/invoice-document';

/**
 * An invoice of one billing account. A draft is rebuilt from its sources on
 * every refresh; from finalisation on, the trigger in 0005-invoicing.ts lets
 * only the payment figures and status change. `document` is what the
 * customer reads (the views render it).
 */
@Entity({ name: 'invoices' })
export class Invoice {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('text') kind!: 'cycle' | 'one_off';
  /** The bill date a cycle invoice closes (ISO instant); null for one-off invoices. */
  @Column('text', { nullable: true }) cycleKey!: string | null;
  @Column('text', { nullable: true }) number!: string | null;
  @Column('bigint', { nullable: true }) sequenceValue!: string | null;
  @Column('text') status!: InvoiceStatus;
  @Column('character', { length: 3 }) currency!: string;
  @Column('timestamptz', { nullable: true }) periodStart!: Date | null;
  @Column('timestamptz', { nullable: true }) periodEnd!: Date | null;
  @Column('timestamptz') billDate!: Date;
  @Column('timestamptz', { nullable: true }) graceEndsAt!: Date | null;
  @Column('boolean') autoFinalize!: boolean;
  @Column('timestamptz', { nullable: true }) issuedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) dueAt!: Date | null;
  @Column('integer') netTermsDays!: number;
  @Column('text', { nullable: true }) poNumber!: string | null;
  @Column('text', { nullable: true }) memo!: string | null;
  @Column('numeric') subtotal!: string;
  @Column('numeric') discountTotal!: string;
  @Column('numeric') taxTotal!: string;
  @Column('numeric') taxIncluded!: string;
  @Column('numeric') total!: string;
  @Column('numeric') creditApplied!: string;
  @Column('numeric') amountDue!: string;
  @Column('numeric') amountPaid!: string;
  @Column('numeric') amountRemaining!: string;
  @Column('numeric') creditedTotal!: string;
  @Column('jsonb') document!: InvoiceDocument;
  @Column('integer') revision!: number;
  @Column('timestamptz', { nullable: true }) paidAt!: Date | null;
  @Column('timestamptz', { nullable: true }) voidedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) markedUncollectibleAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
