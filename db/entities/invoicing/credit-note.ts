import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditNoteReason, CreditOutcome } from '../../../domain/invoicing/credit-note';
import type { CreditNoteDocument } from '../../../domain/invoicing/invoice-document';

/**
 * A credit note against a finalised invoice (services/invoicing/credit-notes.ts).
 * Money columns are numeric, read as decimal strings. The total is used
 * first against what the invoice still owed, the rest refunded or put on the
 * account's credit balance; the table checks the three parts add up.
 */
@Entity({ name: 'credit_notes' })
export class CreditNote {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') invoiceId!: string;
  @Column('uuid') accountId!: string;
  @Column('text') number!: string;
  @Column('bigint') sequenceValue!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') reason!: CreditNoteReason;
  @Column('text') outcome!: CreditOutcome;
  @Column('text', { nullable: true }) memo!: string | null;
  @Column('numeric') subtotal!: string;
  @Column('numeric') taxTotal!: string;
  @Column('numeric') total!: string;
  @Column('numeric') appliedToInvoice!: string;
  @Column('numeric') refundAmount!: string;
  @Column('numeric') creditBalanceAmount!: string;
  @Column('text') status!: 'issued' | 'void';
  /** Frozen at issue: the single input of the JSON, HTML and PDF views. */
  @Column('jsonb') document!: CreditNoteDocument;
  @Column('timestamptz') issuedAt!: Date;
  @Column('timestamptz', { nullable: true }) voidedAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
}

/** What one credit note credits of one invoice line (net amount and its tax). */
@Entity({ name: 'credit_note_lines' })
export class CreditNoteLine {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') creditNoteId!: string;
  @PrimaryColumn('text') invoiceLineKey!: string;
  @Column('uuid') invoiceId!: string;
  @Column('numeric') amount!: string;
  @Column('numeric') taxAmount!: string;
}
