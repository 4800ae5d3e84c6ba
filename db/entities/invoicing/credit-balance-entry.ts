import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CREDIT_ENTRY_KINDS = ['credit_note', 'invoice_applied', 'invoice_void_restored', 'negative_invoice', 'prepaid', 'adjustment'] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/**
 * One movement of an account's credit balance (services/invoicing/credit-balance.ts):
 * positive adds credit, negative uses it. `entryKey` is unique per tenant,
 * so each movement (a credit note, an invoice's use of the balance) happens once.
 */
@Entity({ name: 'credit_balance_entries' })
export class CreditBalanceEntry {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') accountId!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') entryKey!: string;
  @Column('text') kind!: CreditEntryKind;
  @Column('numeric') amount!: string;
  @Column('uuid', { nullable: true }) invoiceId!: string | null;
  @Column('uuid', { nullable: true }) creditNoteId!: string | null;
  @Column('text') description!: string;
  @Column('timestamptz') createdAt!: Date;
}
